// The message list. Each line the server sends is sorted into its kind (docs/protocol.md,
// "Telling lines apart") and shown with text nodes only: nothing anyone types is ever parsed
// as HTML. Lines are added once per animation frame, however many arrive, and the list keeps
// at most `limit` of them, so a busy room stays as fast as a quiet one.

export const DEFAULT_LIMIT = 2000;

const HISTORY = /^\[(\d\d:\d\d:\d\d)\] ([\s\S]*)$/;
const CHAT = /^<([^>]*)>:\t([\s\S]*)$/;
const PRIVATE_SENT = /^-> \*([^*]*)\*:\t([\s\S]*)$/;
const PRIVATE_RECEIVED = /^\*([^*\s]+)\*:\t([\s\S]*)$/;

// { kind: chat | server | private | notice | error, sender, text, time }
export function classify(line) {
  let time = null;
  const history = HISTORY.exec(line);
  if (history) {
    time = history[1];
    line = history[2];
  }
  let match;
  if ((match = CHAT.exec(line))) {
    return { kind: match[1] === 'server' ? 'server' : 'chat', sender: match[1], text: match[2], time };
  }
  if ((match = PRIVATE_SENT.exec(line))) return { kind: 'private', sender: `→ ${match[1]}`, text: match[2], time };
  if ((match = PRIVATE_RECEIVED.exec(line))) return { kind: 'private', sender: match[1], text: match[2], time };
  if (line.startsWith('! ')) return { kind: 'error', sender: null, text: line, time };
  return { kind: 'notice', sender: null, text: line, time };
}

export class MessageList {
  constructor(element, limit = DEFAULT_LIMIT) {
    this.element = element;
    this.limit = limit;
    this.pending = [];
    this.scheduled = false;
  }

  // `mine`: a line this page sent, which the server does not echo.
  add(line, { mine = false } = {}) {
    this.pending.push({ line, mine });
    if (this.pending.length > this.limit) this.pending.splice(0, this.pending.length - this.limit);
    if (this.scheduled) return;
    this.scheduled = true;
    // A hidden tab gets no animation frames; the timer keeps it up to date all the same.
    const flush = () => this.flush();
    requestAnimationFrame(flush);
    setTimeout(flush, 100);
  }

  flush() {
    if (!this.scheduled) return;
    this.scheduled = false;
    const stickToBottom = this.element.scrollHeight - this.element.scrollTop - this.element.clientHeight < 40;
    const fragment = document.createDocumentFragment();
    for (const { line, mine } of this.pending) fragment.append(render(line, mine));
    this.pending = [];
    this.element.append(fragment);
    let excess = this.element.childElementCount - this.limit;
    while (excess-- > 0) this.element.firstElementChild.remove();
    if (stickToBottom) this.element.scrollTop = this.element.scrollHeight;
  }
}

function render(line, mine) {
  const entry = classify(line);
  const item = document.createElement('li');
  item.classList.add(entry.kind);
  if (entry.time !== null) item.classList.add('history');
  if (mine) item.classList.add('mine');
  if (entry.time !== null) item.append(span('time', entry.time));
  if (entry.sender !== null) item.append(span('sender', `${entry.sender}:`), ' ');
  item.append(document.createTextNode(entry.text));
  return item;
}

function span(className, text) {
  const element = document.createElement('span');
  element.className = className;
  element.textContent = text;
  return element;
}
