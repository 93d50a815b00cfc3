// Runs the documented browser client (docs/notifications-client.js, exactly that file) in headless Chromium
// against a running stack, and proves what its header promises across the death of the replica holding its
// socket. Driven by scripts/smoke/notifications-journey.sh; run alone:
//
//   BASE=http://127.0.0.1:8080 STACK=./stack EXAMPLE=docs/notifications-client.js node scripts/clients/notifications-browser.mjs
//
// The page is served from the API's own origin by Playwright (page.route answers /__example/ from the docs file, so
// the product serves no static files): the session cookie and the Origin check are the ones a real page meets.
// Output, one line each: "ok\t…" or "FAIL\t…" per check, "killed\tN" once media-service replica N is SIGKILLed
// (the journey restarts it), anything else is information. Exit status 0 only when every check passed.
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { chromium } from 'playwright-core';

const BASE = required('BASE');
const STACK = required('STACK');
const EXAMPLE = readFileSync(required('EXAMPLE'), 'utf8');
/** Bound of every wait for something the stack does (a report done, a reconnect): generous, and it fails loudly. */
const WAIT_MS = 60_000;
/** A reconnect carries ?since=: the pattern that keeps reconnects of this page from reaching the stack while it is held. */
const RECONNECTS = `${BASE.replace(/^http/, 'ws')}/api/notifications?since=*`;

// The page around the example: it shows every event as a list item and records what the client reports.
const PAGE = `<!doctype html>
<meta charset="utf-8">
<title>Notifications example</title>
<p id="state">idle</p>
<ol id="events"></ol>
<script type="module">
  import { connectNotifications } from './notifications-client.js';
  const seen = window.seen = { states: [], resyncs: 0, loginNeeded: 0 };
  window.startNotifications = (options) => {
    window.notifications = connectNotifications({
      onEvent(event) {
        const item = document.createElement('li');
        Object.assign(item.dataset, { type: event.type, eventId: event.eventId, reportId: event.id ?? '' });
        item.textContent = event.type + ' ' + (event.id ?? '');
        document.querySelector('#events').append(item);
      },
      onResync() { seen.resyncs++; },
      onLoginNeeded() { seen.loginNeeded++; },
      onState(state, detail) { seen.states.push({ state, ...detail }); document.querySelector('#state').textContent = state; },
      ...options,
    });
  };
  window.exampleLoaded = true;
</script>`;

let failed = 0;
const check = (ok, description) => { if (!ok) failed++; console.log(`${ok ? 'ok' : 'FAIL'}\t${description}`); return ok; };
const info = (text) => console.log(`        ${text}`);
function required(name) {
  if (!process.env[name]) { console.log(`FAIL\t${name} is not set`); process.exit(2); }
  return process.env[name];
}
/** Resolves with fn()'s first truthy value; rejects after WAIT_MS naming what never happened. */
async function until(what, fn, pauseMs = 250) {
  for (const end = Date.now() + WAIT_MS; Date.now() < end; await new Promise((r) => setTimeout(r, pauseMs))) {
    const value = await fn();
    if (value) return value;
  }
  throw new Error(`gave up after ${WAIT_MS / 1000} s waiting for ${what}`);
}

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
let diagnose = async () => {};
try {
  const context = await browser.newContext();
  // A page answered by page.route has no address of its own, so Chromium's Local Network Access counts it public and
  // refuses its WebSocket to loopback (ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS; fetch, same-origin, passes). The
  // page a deployment serves from the API's origin is in the API's own address space and needs no permission.
  await context.grantPermissions(['local-network-access'], { origin: BASE });
  await journey(context);
} catch (error) {
  check(false, `the browser journey stopped: ${error.message}`);
  await diagnose().catch((e) => info(`no diagnosis: ${e.message}`));
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);

async function journey(context) {
  const page = await context.newPage();
  page.on('pageerror', (error) => info(`page error: ${error.message}`));
  // Chromium logs every failed connect; those of the reconnects held back on purpose say nothing new.
  page.on('console', (message) => message.type() === 'error' && !message.text().includes('ERR_INTERNET_DISCONNECTED')
    && info(`page console: ${message.text()}`));
  await page.route((url) => url.href.startsWith(`${BASE}/__example/`), (route) => {
    const script = new URL(route.request().url()).pathname.endsWith('.js');
    return route.fulfill({ status: 200, contentType: script ? 'text/javascript' : 'text/html', body: script ? EXAMPLE : PAGE });
  });
  // Which replica answered each handshake: the 101 carries X-Served-By like every response; only the
  // browser's network layer sees it (scripts cannot), so it is read over the DevTools protocol.
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  const handshakes = new Map();
  cdp.on('Network.webSocketCreated', ({ requestId, url }) => handshakes.set(requestId, { url }));
  cdp.on('Network.webSocketHandshakeResponseReceived', ({ requestId, response }) => {
    const servedBy = Object.entries(response.headers).find(([name]) => name.toLowerCase() === 'x-served-by')?.[1];
    Object.assign(handshakes.get(requestId) ?? {}, { status: response.status, servedBy });
  });
  const answered = () => [...handshakes.values()].filter((h) => h.status === 101);

  await page.goto(`${BASE}/__example/`);
  await page.waitForFunction(() => window.exampleLoaded === true);
  const call = (method, path, body, headers = {}) => page.evaluate(async ({ method, path, body, headers }) => {
    const response = await fetch(path, { method, headers: { 'Content-Type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    return { status: response.status, json: text && response.headers.get('Content-Type')?.includes('json') ? JSON.parse(text) : null };
  }, { method, path, body, headers });
  const shown = () => page.$$eval('#events li', (items) => items.map((li) => ({ ...li.dataset })));
  const seen = () => page.evaluate(() => window.seen);
  diagnose = async () => {
    for (const h of handshakes.values()) info(`handshake ${h.url} -> ${h.status ?? 'no answer'} ${h.servedBy ?? ''}`);
    info(`client states: ${JSON.stringify((await seen()).states)}`);
    info(`shown: ${JSON.stringify(await shown())}`);
  };

  // --- the user logs in through the page: the session is an HttpOnly cookie the page's script never sees
  const email = `browser-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.com`;
  const password = `browser-pass-${Math.random().toString(36).slice(2)}`;
  const registered = await call('POST', '/api/auth/register', { email, password, displayName: 'Browser Example' });
  check(registered.status === 201, `the page registers a user -> ${registered.status}`);
  const login = await call('POST', '/api/auth/login', { email, password });
  const cookie = (await context.cookies(BASE)).find((c) => c.name === 'SID' || c.name === '__Host-SID');
  check(login.status === 200 && cookie?.httpOnly, `the page logs in -> ${login.status}; Chromium keeps the session cookie ${cookie?.name} (HttpOnly ${cookie?.httpOnly}, Secure ${cookie?.secure})`);
  check(!(await page.evaluate(() => document.cookie)).includes(cookie?.value ?? '-'), 'the page\'s script cannot read the session cookie');

  // --- the example connects with the cookie, from the allowed Origin
  await page.evaluate(() => window.startNotifications({ maxDelayMs: 4000 }));
  await until('the socket to open', async () => (await seen()).states.some((s) => s.state === 'open'));
  const first = await until('the 101 of the first handshake', () => answered()[0]);
  const replica = /^media-service\/media-(\d+)$/.exec(first.servedBy ?? '')?.[1];
  check(replica, `the socket opened with the session cookie; its 101 came from ${first.servedBy}`);
  if (!replica) return;

  const reports = [];
  async function askReport(label) {
    const key = `browser-${label}-${Date.now()}-${Math.random().toString(36).slice(2)}`;
    // The same Idempotency-Key on a retry: a request that met the killed replica is asked again, never twice.
    for (let attempt = 1; attempt <= 5; attempt++) {
      const asked = await call('POST', '/api/reports', { type: 'cart', format: 'csv' }, { 'Idempotency-Key': key });
      if (asked.status === 202) { reports.push(asked.json.id); return asked.json.id; }
      info(`POST /api/reports (${label}) attempt ${attempt}: ${asked.status}`);
      if (![502, 503, 504].includes(asked.status)) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    throw new Error(`POST /api/reports (${label}) was not accepted`);
  }
  const done = (id) => until(`report ${id} to be done`, async () => {
    const report = await call('GET', `/api/reports/${id}`);
    if (report.json?.status === 'failed') throw new Error(`report ${id} failed: ${report.json.error}`);
    return report.json?.status === 'done';
  }, 500);
  const showsReport = (id) => until(`the page to show report.done of ${id}`, async () => (await shown()).some((e) => e.reportId === id));

  const r1 = await askReport('first');
  await showsReport(r1);
  check((await shown()).length === 1, `the page shows report.done of ${r1}, live`);

  // --- SIGKILL of the replica holding the socket. Reconnects (they carry ?since=) are held back in the browser
  // until two more reports are done, so that those can reach the page only by the replay of what it missed.
  // The open socket has no since and is not affected: it sees the replica die.
  await cdp.send('Network.emulateNetworkConditionsByRule', { matchedNetworkConditions: [
    { urlPattern: RECONNECTS, offline: true, latency: 0, downloadThroughput: -1, uploadThroughput: -1 }] });
  const killed = execFileSync(STACK, ['kill', 'media-service', replica], { encoding: 'utf8' }).trim();
  console.log(`killed\t${replica}`);
  check(killed.startsWith(`killed media-service-${replica}`), `./stack kill media-service ${replica}: ${killed}`);
  const closed = await until('the page to see its socket close', async () => (await seen()).states.find((s) => s.state === 'closed'));
  check(closed.opened && closed.code === 1006, `the page's socket closed abnormally (code ${closed.code}): it was on the killed replica`);

  const r2 = await askReport('while-down-1');
  await done(r2);
  const r3 = await askReport('while-down-2');
  await done(r3);
  const since = (await shown())[0].eventId;
  const held = (await seen()).states.filter((s) => s.state === 'closed' && !s.opened);
  check((await shown()).length === 1 && held.length >= 1 && held.every((s) => s.code === 1006),
    `reports ${r2} and ${r3} were done through the load balancer while the page held no socket (${held.length} reconnect attempts held back, shown still 1)`);
  check((await seen()).states.filter((s) => s.state === 'connecting').slice(1).every((s) => s.since === since),
    `every reconnect attempt asked for the events after the last one shown (since=${since})`);

  // --- let the reconnects through: the page resumes by itself, on the replica left
  await cdp.send('Network.emulateNetworkConditionsByRule', { matchedNetworkConditions: [] });
  await until('the page to show the two missed reports', async () => (await shown()).length >= 3);
  const second = answered().at(-1);
  check(answered().length === 2 && second.url.includes(`since=${encodeURIComponent(since)}`) && second.servedBy !== first.servedBy,
    `the page reconnected by itself with since=${since}, served by ${second.servedBy}, and showed the missed reports`);
  const r4 = await askReport('after');
  await showsReport(r4);

  // --- every report.done exactly once, in the order of the events, as the server keeps them
  const events = await shown();
  const eventIds = events.map((e) => e.eventId);
  check(events.every((e) => e.type === 'report.done') && new Set(eventIds).size === events.length && events.length === 4,
    `4 report.done events, ${new Set(eventIds).size} distinct eventIds: ${eventIds.join(' ')}`);
  check(events.map((e) => e.reportId).join(' ') === reports.join(' '),
    `each report once, in the order asked (and done): ${events.map((e) => e.reportId).join(' ')}`);
  const kept = await call('GET', '/api/notifications/events');
  check(kept.status === 200 && kept.json.map((e) => `${e.eventId}/${e.id}`).join(' ') === events.map((e) => `${e.eventId}/${e.reportId}`).join(' '),
    'the page shows exactly the events GET /api/notifications/events keeps, in the same order');

  // --- a since the server no longer keeps: the client asks the page to reload (resync)
  await page.evaluate(() => { window.notifications.close(); sessionStorage.setItem('notifications.lastEventId', '1-0'); window.startNotifications(); });
  await until('the resync hook', async () => (await seen()).resyncs === 1);
  check((await shown()).length === 4, 'resuming after an event no longer kept calls the reload hook (resync), and nothing is replayed');

  // --- the session ends: the socket closes 4401 and the client sends the user to log in, without retrying
  const logout = await call('POST', '/api/auth/logout');
  await until('the login hook', async () => (await seen()).loginNeeded === 1);
  const states = (await seen()).states;
  const last = states.findLastIndex((s) => s.state === 'closed');
  check(logout.status === 204 && states[last].code === 4401 && states.slice(last).every((s) => s.state !== 'waiting'),
    `after logout (${logout.status}) the socket closed with ${states[last].code} and the client went to login without a retry`);
}
