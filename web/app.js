// The chatroom web client: wires the socket, the message list, the input line and the who
// panel together, and keeps track of the room and nickname from what the server says.

import { ChatSocket, socketUrl } from './chat_socket.js';
import { InputHistory } from './input_history.js';
import { MessageList } from './message_list.js';
import { WhoPanel, parseWho } from './who_panel.js';

const NICKNAME_TAKEN = /^\* you are now known as (\S+)$/;
const ROOM_JOINED = /^\* you joined (\S+) \(/;
// Notices that change who is in the room: the panel, when open, asks again.
const ROSTER_CHANGE = /^\* \S+ (joined|left|is now known as)/;

const elements = {
  connection: document.getElementById('connection'),
  room: document.getElementById('room'),
  nickname: document.getElementById('nickname'),
  messages: document.getElementById('messages'),
  compose: document.getElementById('compose'),
  line: document.getElementById('line'),
  whoToggle: document.getElementById('who-toggle'),
};

const messages = new MessageList(elements.messages);
const history = new InputHistory();
const who = new WhoPanel(document.getElementById('who'), document.getElementById('who-title'),
                         document.getElementById('who-list'), elements.whoToggle);
// What to restore after a reconnect: the server forgets us when the connection drops.
const identity = { nickname: null, room: 'lobby' };
// \who requests the panel made, whose answers go to the panel rather than the list.
let whoRequestsPending = 0;
let whoRefreshTimer = null;
let countdownTimer = null;

const socket = new ChatSocket(socketUrl(window.location), { onLine: receive, onState: showState });

function receive(line) {
  let match;
  if ((match = NICKNAME_TAKEN.exec(line))) {
    identity.nickname = match[1];
    elements.nickname.textContent = match[1];
  } else if ((match = ROOM_JOINED.exec(line))) {
    identity.room = match[1];
    elements.room.textContent = match[1];
    refreshWhoSoon();
  } else if (ROSTER_CHANGE.test(line)) {
    refreshWhoSoon();
  }
  const roster = parseWho(line);
  if (roster !== null) {
    who.show(roster);
    if (whoRequestsPending > 0) {
      whoRequestsPending -= 1;
      return;
    }
  }
  messages.add(line);
}

function showState({ state, detail, retryAt }) {
  clearInterval(countdownTimer);
  const element = elements.connection;
  element.className = `connection ${state}`;
  if (state === 'connected') {
    element.textContent = 'connected';
    rejoin();
    return;
  }
  if (state === 'connecting') {
    element.textContent = 'connecting…';
    return;
  }
  const show = () => {
    const seconds = retryAt ? Math.max(0, Math.ceil((retryAt - Date.now()) / 1000)) : null;
    element.textContent = seconds === null ? `disconnected: ${detail} (click to reconnect)`
                                           : `disconnected: ${detail}; retrying in ${seconds} s`;
  };
  show();
  if (retryAt) countdownTimer = setInterval(show, 1000);
}

// After a reconnect, take the nickname and room back, as far as the server lets us.
function rejoin() {
  whoRequestsPending = 0;
  if (identity.nickname !== null) socket.send(`\\nick ${identity.nickname}`);
  if (identity.room.toLowerCase() !== 'lobby') {
    socket.send(`\\join ${identity.room}`);
  } else {
    refreshWhoSoon();
  }
}

function refreshWhoSoon() {
  if (!who.open || whoRefreshTimer !== null) return;
  whoRefreshTimer = setTimeout(() => {
    whoRefreshTimer = null;
    if (socket.send('\\who')) whoRequestsPending += 1;
  }, 300);
}

function send(line) {
  if (!socket.send(line)) {
    messages.add('! not connected: the line was not sent');
    return false;
  }
  // The server does not echo our own chat lines; commands are answered instead.
  if (!line.startsWith('\\')) messages.add(`<${identity.nickname ?? 'you'}>:\t${line}`, { mine: true });
  return true;
}

elements.compose.addEventListener('submit', (event) => {
  event.preventDefault();
  const line = elements.line.value;
  if (line.trim() === '') return;
  if (!send(line)) return;
  // A password never goes into the history.
  if (!/^\s*\\pass\b/.test(line)) history.remember(line);
  elements.line.value = '';
});

elements.line.addEventListener('keydown', (event) => {
  let recalled = null;
  if (event.key === 'ArrowUp') recalled = history.previous(elements.line.value);
  else if (event.key === 'ArrowDown') recalled = history.next();
  else return;
  event.preventDefault();
  if (recalled !== null) elements.line.value = recalled;
});

elements.whoToggle.addEventListener('click', () => {
  who.setOpen(!who.open);
  refreshWhoSoon();
});

elements.connection.addEventListener('click', () => {
  if (!socket.connected) socket.connect();
});

socket.connect();
