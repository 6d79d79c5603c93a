// The side panel listing who is in the current room, from the server's answer to \who:
// "* in ROOM (N): NAME, NAME, ..." (at most 500 names, then "and K more").

const WHO = /^\* in (\S+) \((\d+)\): ([\s\S]*)$/;

export function parseWho(line) {
  const match = WHO.exec(line);
  if (!match) return null;
  let names = match[3];
  let more = 0;
  const tail = / and (\d+) more$/.exec(names);
  if (tail) {
    more = Number(tail[1]);
    names = names.slice(0, tail.index).replace(/,$/, '');
  }
  return {
    room: match[1],
    count: Number(match[2]),
    names: names.split(', ').filter((name) => name !== ''),
    more,
  };
}

export class WhoPanel {
  constructor(panel, title, list, toggle) {
    this.panel = panel;
    this.title = title;
    this.list = list;
    this.toggle = toggle;
  }

  get open() {
    return !this.panel.hidden;
  }

  setOpen(open) {
    this.panel.hidden = !open;
    this.toggle.setAttribute('aria-expanded', String(open));
  }

  show(who) {
    this.title.textContent = `in ${who.room} (${who.count})`;
    const items = who.names.map((name) => {
      const item = document.createElement('li');
      item.textContent = name;
      return item;
    });
    if (who.more > 0) {
      const item = document.createElement('li');
      item.className = 'notice';
      item.textContent = `and ${who.more} more`;
      items.push(item);
    }
    this.list.replaceChildren(...items);
  }
}
