// A browser client of the notification WebSocket (GET /api/notifications, see api.md "Notifications"),
// served from the same origin as the API so that the session cookie rides along:
//
//   import { connectNotifications } from './notifications-client.js';
//   const notifications = connectNotifications({
//     onEvent: (event) => show(event),          // {type: "report.done", eventId, id, downloadUrl}, ...
//     onResync: () => reloadReports(),          // events were missed beyond what the server keeps
//     onLoginNeeded: () => location.assign('/login'),
//   });
//   notifications.close();                      // when the page no longer wants them
//
// Invariants: every event is handed to onEvent once, in order, across reconnects to any replica, because
// each reconnect sends ?since=<the last eventId handled> and the server replays exactly what followed it.
// The last eventId lives in sessionStorage, so a reload of the tab resumes too.

const LAST_EVENT_ID = 'notifications.lastEventId';
const SESSION_ENDED = 4401; // the server closes with it when the session ends: reconnecting cannot help

export function connectNotifications({
  onEvent, onResync, onLoginNeeded, onState = () => {},
  storage = sessionStorage,
  minDelayMs = 500,      // first retry: soon, a replica going away is the common case and another one answers
  maxDelayMs = 30_000,   // cap: a long outage costs every open tab one attempt per half minute at most
  pingMs = 25_000,       // below any idle timeout of the proxies in between
} = {}) {
  let socket = null;
  let failures = 0;      // attempts since the last socket that opened; the backoff grows with them
  let stopped = false;
  let retry = null;

  function connect() {
    const url = new URL('/api/notifications', location.href);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    const since = storage.getItem(LAST_EVENT_ID);
    if (since) url.searchParams.set('since', since);
    onState('connecting', { since });
    let opened = false;
    socket = new WebSocket(url);
    socket.onopen = () => { opened = true; failures = 0; onState('open', { since }); };
    socket.onmessage = (message) => {
      const event = JSON.parse(message.data);
      if (event.type === 'pong') return;
      // The since is kept: should the socket drop before a live event comes, the next one asks for a resync again.
      if (event.type === 'resync') { onResync(); return; }
      onEvent(event);
      if (event.eventId) storage.setItem(LAST_EVENT_ID, event.eventId);
    };
    socket.onclose = (close) => {
      socket = null;
      if (stopped) return;
      onState('closed', { code: close.code, opened });
      if (close.code === SESSION_ENDED) { stop(); onLoginNeeded(); return; }
      // 1006 (the replica or the network went away), 1011 (missed events unreadable), 1001/1012 (a replica stops):
      // try again. A refused upgrade is a 1006 too, with its status hidden from scripts: ask the polling endpoint why.
      if (opened) retryLater(); else whyRefused(since);
    };
  }

  async function whyRefused(since) {
    try {
      const query = since ? `?since=${encodeURIComponent(since)}&limit=1` : '?limit=1';
      const response = await fetch(`/api/notifications/events${query}`, { credentials: 'same-origin' });
      if (stopped) return;
      if (response.status === 401) { stop(); onLoginNeeded(); return; }
      if (response.status === 400) { storage.removeItem(LAST_EVENT_ID); onResync(); } // not an eventId of this API
    } catch { /* offline, or no replica answered: try again */ }
    retryLater();
  }

  function retryLater() {
    if (stopped) return;
    // Exponential backoff with jitter: half the step fixed, half random, so tabs that lost the same replica spread out.
    const step = Math.min(maxDelayMs, minDelayMs * 2 ** failures++);
    const delay = step / 2 + Math.random() * step / 2;
    onState('waiting', { delay });
    retry = setTimeout(connect, delay);
  }

  const ping = setInterval(() => socket?.readyState === WebSocket.OPEN && socket.send('ping'), pingMs);
  function stop() { stopped = true; clearTimeout(retry); clearInterval(ping); socket?.close(1000); socket = null; }

  connect();
  return { close: stop };
}
