// The page's connection to chatroomd: a WebSocket to /ws on the server that served the page,
// one text message per line each way. When it drops it reconnects by itself, waiting 1 s,
// then twice as long each time up to 30 s (with jitter, so a restarted server is not hit by
// every browser at once), and says what it is doing through onState.

const FIRST_DELAY_MS = 1000;
const LONGEST_DELAY_MS = 30000;
// Closes after which trying again would only repeat them: the user left, was kicked or cut
// off by a limit, or the page broke the protocol. The user can still reconnect by hand.
const FINAL_CODES = new Set([1000, 1002, 1003, 1007, 1008, 1009]);

export function socketUrl(location) {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/ws`;
}

export class ChatSocket {
  // onLine(text); onState({ state: 'connecting' | 'connected' | 'disconnected', detail, retryAt })
  constructor(url, { onLine, onState }) {
    this.url = url;
    this.onLine = onLine;
    this.onState = onState;
    this.socket = null;
    this.failures = 0;
    this.retryTimer = null;
  }

  get connected() {
    return this.socket !== null && this.socket.readyState === WebSocket.OPEN;
  }

  connect() {
    clearTimeout(this.retryTimer);
    this.retryTimer = null;
    if (this.socket !== null) return;
    this.onState({ state: 'connecting', detail: '' });
    const socket = new WebSocket(this.url);
    this.socket = socket;
    socket.onopen = () => {
      this.failures = 0;
      this.onState({ state: 'connected', detail: '' });
    };
    socket.onmessage = (event) => {
      if (typeof event.data === 'string') this.onLine(event.data);
    };
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.closed(event);
    };
  }

  send(line) {
    if (!this.connected) return false;
    this.socket.send(line);
    return true;
  }

  closed(event) {
    const detail = event.reason || (event.code === 1006 ? 'connection lost' : `closed (${event.code})`);
    if (FINAL_CODES.has(event.code)) {
      this.onState({ state: 'disconnected', detail, retryAt: null });
      return;
    }
    const delay = Math.min(LONGEST_DELAY_MS, FIRST_DELAY_MS * 2 ** this.failures) * (0.8 + 0.4 * Math.random());
    this.failures += 1;
    this.onState({ state: 'disconnected', detail, retryAt: Date.now() + delay });
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }
}
