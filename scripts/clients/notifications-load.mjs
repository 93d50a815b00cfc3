#!/usr/bin/env node
// Many notification sockets through the entry point, a steady stream of events for their users, and the
// verdict on what each socket received: every event of its user exactly once, in order, across whatever
// happens to the replicas meanwhile (rolling restarts, SIGKILLs, drains). Used by the rolling smoke journey
// (scripts/smoke/rolling-journey.sh) and meant for benchmarks (--latency, --json).
//
//   node scripts/clients/notifications-load.mjs --base http://127.0.0.1:8080 [options]
//
// What it does:
//   1. Users: registers and logs in --users fresh users (or takes the bearer tokens of --tokens FILE).
//   2. Baseline: one report per user, and its event's eventId. Every socket opens with ?since=<baseline>, so
//      no event of the run is before a socket's first since: a socket that closes before its first event
//      still resumes from a known position (without since a socket gets live events only, and one that
//      reconnected without it would skip what was published in between).
//   3. Sockets: --clients sockets, client i for user i mod --users, each reconnecting on every close (any
//      code) with backoff and ?since=<newest eventId it received>.
//   4. Producer: POST /api/reports through the entry point at --rate requests/s in rounds (one report per
//      user per round), at least --events rounds and, with --until FILE, until that file exists. Every
//      request carries an Idempotency-Key and is sent again (same key) after a 429, a 5xx or a lost answer:
//      the same key gives the same report, so a retry never makes a second one.
//   5. End: waits (at most --wait seconds) until each user's new reports are all done or failed and each of
//      its sockets holds every event of the user's stream after the baseline, then closes the sockets.
//   6. Verdict, per socket: the eventIds it received equal the user's kept events after the baseline
//      (GET /api/notifications/events?since=<baseline>): none missing, none twice, none unknown, strictly
//      increasing; per user: each new report (GET /api/reports) that ended is announced by exactly one event
//      naming it. Prints the figures; exit 0 when all hold, 1 on any violation, 2 when the run could not be
//      set up (no users, sockets never opened).
//
// The eventId is the Redis stream entry id <ms>-<seq>, its ms part Redis's clock when the event was
// published; on one host that is the clock the client reads too, so --latency reports publish -> receive
// latency (live events: published while the socket was open; replayed: published while it was away, i.e.
// the outage as the user sees it) and close -> reopen times by the replica that closed.

import WebSocket from 'ws';
import { existsSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import { randomBytes } from 'node:crypto';

const HELP = `Options (each also as an environment variable NOTIFICATIONS_LOAD_<NAME>, e.g. NOTIFICATIONS_LOAD_CLIENTS=500):
  --base URL          the entry point                                   [$BASE or http://127.0.0.1:8080]
  --clients N         sockets                                           [200]
  --users N           users they belong to (clients spread round-robin) [20]
  --tokens FILE       bearer session ids, one a line, instead of registering --users fresh users
  --events N          report rounds at least: events per user           [8]
  --rate R            report requests per second, all users together    [4]
  --until FILE        go on producing rounds until FILE exists (after --events at least)
  --max-rounds N      never more rounds than this: a user's stream keeps 100 events by default, and a
                      socket that missed more than are kept gets a resync instead of its events [80]
  --report TYPE/FMT   the report requested                              [cart/csv]
  --ready-file FILE   written once every socket has opened
  --hold-until FILE   then hold the sockets idle, no report requested, until FILE exists (idle-socket
                      benchmarks: with --events 0 the run then closes them and judges)
  --status-file FILE  rewritten every second: open sockets by replica, events, reports (JSON)
  --wait S            longest wait at the end for reports and deliveries [60]
  --connect-wait S    longest wait for every socket's first open       [60]
  --latency           print publish -> receive latency and close -> reopen percentiles
  --json FILE         write every figure as JSON (for benchmarks)
  --verbose           log every close and refused upgrade`;

// ---- options -----------------------------------------------------------------------------------------
const DEFAULTS = {
  base: process.env.BASE || 'http://127.0.0.1:8080', clients: 200, users: 20, tokens: '', events: 8, rate: 4,
  until: '', 'max-rounds': 80, report: 'cart/csv', 'ready-file': '', 'hold-until': '', 'status-file': '', wait: 60,
  'connect-wait': 60, latency: false, json: '', verbose: false,
};
const FLAGS = new Set(['latency', 'verbose']);

function parseOptions(argv) {
  const opts = { ...DEFAULTS };
  for (const name of Object.keys(DEFAULTS)) {
    const env = process.env['NOTIFICATIONS_LOAD_' + name.toUpperCase().replaceAll('-', '_')];
    if (env !== undefined && env !== '') opts[name] = FLAGS.has(name) ? env !== '0' && env !== 'false' : env;
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') { console.log(HELP); process.exit(0); }
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!m || !(m[1] in DEFAULTS)) { console.error(`unknown option ${arg}\n${HELP}`); process.exit(2); }
    opts[m[1]] = FLAGS.has(m[1]) ? (m[2] === undefined ? true : m[2] !== '0' && m[2] !== 'false') : (m[2] ?? argv[++i]);
  }
  for (const name of ['clients', 'users', 'events', 'max-rounds', 'wait', 'connect-wait']) {
    opts[name] = Number(opts[name]);
    if (!Number.isInteger(opts[name]) || opts[name] < (name === 'events' ? 0 : 1)) die(2, `--${name} must be a positive integer`);
  }
  opts.rate = Number(opts.rate);
  if (!(opts.rate > 0)) die(2, '--rate must be a positive number');
  const [type, format] = String(opts.report).split('/');
  opts.reportBody = JSON.stringify({ type, format });
  opts.base = String(opts.base).replace(/\/+$/, '');
  return opts;
}

function die(code, message) {
  console.error(`notifications-load: ${message}`);
  process.exit(code);
}

const opts = parseOptions(process.argv.slice(2));
const WS_BASE = opts.base.replace(/^http/, 'ws');
const RUN = randomBytes(4).toString('hex');
const START = Date.now();
const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));
const elapsed = () => ((Date.now() - START) / 1000).toFixed(1) + 's';
const log = (...args) => console.log(`[${elapsed()}]`, ...args);
const verbose = (...args) => opts.verbose && log(...args);

// ---- eventIds: <ms>-<seq>, ordered as two numbers, never as text ------------------------------------
function parseEventId(text) {
  const m = /^(\d+)-(\d+)$/.exec(String(text));
  return m ? [BigInt(m[1]), BigInt(m[2])] : null;
}
function compareEventIds(a, b) {
  const x = parseEventId(a), y = parseEventId(b);
  if (x[0] !== y[0]) return x[0] < y[0] ? -1 : 1;
  return x[1] === y[1] ? 0 : (x[1] < y[1] ? -1 : 1);
}
const eventMillis = id => Number(parseEventId(id)[0]);
const isoOf = ms => new Date(ms).toISOString();

// ---- HTTP through the entry point --------------------------------------------------------------------
async function api(method, path, { token, body, headers = {}, timeoutMs = 10000 } = {}) {
  const h = { ...headers };
  if (token) h.Authorization = `Bearer ${token}`;
  if (body !== undefined) h['Content-Type'] = 'application/json';
  try {
    const res = await fetch(opts.base + path, { method, headers: h, body, signal: AbortSignal.timeout(timeoutMs) });
    const text = await res.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch { /* not JSON: kept as text */ }
    return { status: res.status, headers: res.headers, json, text };
  } catch (e) {
    return { status: 0, error: e.cause?.code || e.name || String(e), headers: new Headers(), json: null, text: '' };
  }
}

// A call whose repetition is harmless (a read, a registration replayed within auth's window, a report with its
// Idempotency-Key): sent again on a lost answer, a 5xx or a 429, for at most `forMs`.
async function retrying(label, call, { forMs = 30000, accept = s => s >= 200 && s < 500 && s !== 429 } = {}) {
  const until = Date.now() + forMs;
  let res, delay = 200;
  for (;;) {
    res = await call();
    if (accept(res.status) || Date.now() > until) return res;
    const retryAfter = Number(res.headers.get('retry-after'));
    await sleep(retryAfter > 0 ? Math.min(retryAfter * 1000, 5000) : delay);
    delay = Math.min(delay * 2, 2000);
    verbose(`${label}: ${res.status || res.error}, again`);
  }
}

// Every page of a list (Link rel="next"), oldest or newest first as the endpoint pages it.
async function allPages(path, token) {
  const items = [];
  for (let next = path; next;) {
    const res = await retrying(`GET ${next}`, () => api('GET', next, { token }));
    if (res.status !== 200) return { status: res.status, items };
    items.push(...res.json);
    const link = res.headers.get('link') || '';
    next = /<([^>]+)>;\s*rel="next"/.exec(link)?.[1] ?? null;
  }
  return { status: 200, items };
}

// ---- users -------------------------------------------------------------------------------------------
async function registerUser(n) {
  const email = `notify-load-${RUN}-${n}@example.com`;
  const password = `load-${randomBytes(12).toString('base64url')}`;
  const reg = await retrying('register', () => api('POST', '/api/auth/register',
    { body: JSON.stringify({ email, password, displayName: `Load ${n}` }) }));
  if (reg.status !== 201) throw new Error(`POST /api/auth/register: ${reg.status || reg.error} ${reg.text.slice(0, 200)}`);
  const login = await retrying('login', () => api('POST', '/api/auth/login', { body: JSON.stringify({ email, password }) }));
  if (login.status !== 200) throw new Error(`POST /api/auth/login: ${login.status || login.error} ${login.text.slice(0, 200)}`);
  return { n, email, userId: reg.json.id, token: login.json.sessionId };
}

async function givenUser(token, n) {
  const me = await retrying('me', () => api('GET', '/api/auth/me', { token }));
  if (me.status !== 200) throw new Error(`GET /api/auth/me with token ${n + 1} of --tokens: ${me.status || me.error}`);
  return { n, email: me.json.email, userId: me.json.id, token };
}

async function inBatches(count, width, make) {
  const out = [];
  for (let i = 0; i < count; i += width) {
    out.push(...await Promise.all(Array.from({ length: Math.min(width, count - i) }, (_, k) => make(i + k))));
  }
  return out;
}

// ---- reports -----------------------------------------------------------------------------------------
const reports = { requested: 0, accepted: 0, refused: 0, retried: 0, outcomes: new Map() };

// One report for `user`; resolves to its id, or null when it could not be placed within 60 s.
async function requestReport(user, key, { counted = true } = {}) {
  const figures = counted ? reports : { outcomes: new Map() };
  figures.requested = (figures.requested || 0) + 1;
  let attempts = 0;
  const res = await retrying(`POST /api/reports (${user.email})`, () => {
    attempts++;
    return api('POST', '/api/reports', { token: user.token, body: opts.reportBody, headers: { 'Idempotency-Key': key } });
  }, { forMs: 60000 });
  if (attempts > 1) figures.retried = (figures.retried || 0) + attempts - 1;
  const tally = String(res.status || res.error);
  figures.outcomes.set(tally, (figures.outcomes.get(tally) || 0) + 1);
  if (res.status !== 202 || !res.json?.id) {
    figures.refused = (figures.refused || 0) + 1;
    log(`report for ${user.email} not placed: ${res.status || res.error} ${res.text.slice(0, 200)}`);
    return null;
  }
  figures.accepted = (figures.accepted || 0) + 1;
  return res.json.id;
}

// The user's reports, newest first as the API lists them.
async function reportsOf(user) {
  const res = await allPages('/api/reports?limit=100', user.token);
  if (res.status !== 200) throw new Error(`GET /api/reports for ${user.email}: ${res.status}`);
  return res.items;
}

// The user's kept events after `since` (all kept without it), oldest first; null when since is no longer kept.
async function streamOf(user, since) {
  const res = await allPages('/api/notifications/events?limit=100' + (since ? `&since=${encodeURIComponent(since)}` : ''), user.token);
  if (res.status === 410) return null;
  if (res.status !== 200) throw new Error(`GET /api/notifications/events for ${user.email}: ${res.status}`);
  return res.items;
}

const TERMINAL = new Set(['done', 'failed']);

// One report per user, done, and the eventId that announced it: the position every socket starts after.
async function baselineOf(user) {
  const before = await reportsOf(user);
  const id = await requestReport(user, `load-${RUN}-${user.n}-baseline`, { counted: false });   // not one of the run's events
  if (!id) throw new Error(`the baseline report of ${user.email} could not be placed`);
  const until = Date.now() + 60000;
  while (Date.now() < until) {
    const events = await streamOf(user, null);
    const mine = events?.find(e => e.id === id);
    if (mine) {
      user.baseline = mine.eventId;
      user.existing = new Set([...before.map(r => r.id), id]);
      return;
    }
    await sleep(250);
  }
  throw new Error(`the baseline report ${id} of ${user.email} was not announced within 60 s`);
}

// ---- sockets -----------------------------------------------------------------------------------------
class Client {
  constructor(index, user) {
    this.index = index;
    this.user = user;
    this.received = [];        // {eventId, id, type, at, conn}
    this.newest = user.baseline;
    this.connections = [];     // {replica, since, openedAt, closedAt, code, reason}
    this.attempts = 0;         // upgrade attempts since the last open
    this.failures = 0;         // upgrades that did not open
    this.resyncs = 0;
    this.others = 0;           // messages that are neither events nor resync
    this.stopping = false;
    this.ws = null;
    this.closedAt = null;      // when the last open socket closed, for the reopen time
  }

  get open() { return this.ws?.readyState === WebSocket.OPEN; }

  connect() {
    if (this.stopping) return;
    this.attempts++;
    const since = this.newest;
    const ws = new WebSocket(`${WS_BASE}/api/notifications?since=${encodeURIComponent(since)}`,
      { headers: { Authorization: `Bearer ${this.user.token}` }, handshakeTimeout: 10000 });
    this.ws = ws;
    let conn = null, replica = null, refusal = null;
    ws.on('upgrade', res => { replica = res.headers['x-served-by'] || '?'; });
    // A refused upgrade, named by who refused it: a replica (its X-Served-By; 503 while its subscription is not
    // provably live) or the load balancer itself (no X-Served-By: no replica free, its queue timed out).
    ws.on('unexpected-response', (req, res) => {
      refusal = `HTTP ${res.statusCode} from ${res.headers['x-served-by'] || 'the load balancer'}`;
      res.resume();
      ws.terminate();
    });
    ws.on('open', () => {
      conn = { replica, since, openedAt: Date.now(), closedAt: null, code: null, reason: '' };
      this.connections.push(conn);
      if (this.closedAt !== null) stats.reopen(this.lastCloser, conn.openedAt - this.closedAt);
      this.attempts = 0;
      stats.opened(this);
    });
    ws.on('message', (data, isBinary) => {
      const at = Date.now();
      let msg;
      try { msg = JSON.parse(data.toString()); } catch { this.others++; return; }
      if (msg?.type === 'resync') { this.resyncs++; log(`client ${this.index} (${this.user.email}) got a resync on ${replica} after since=${since}`); return; }
      if (!msg?.eventId || !parseEventId(msg.eventId)) { this.others++; return; }
      const connIndex = this.connections.length - 1;
      this.received.push({ eventId: msg.eventId, id: msg.id, type: msg.type, at, conn: connIndex });
      if (compareEventIds(msg.eventId, this.newest) > 0) this.newest = msg.eventId;
      stats.event(this, msg.eventId, at, conn);
    });
    ws.on('error', err => {
      const why = refusal || err.code || err.message;
      if (!conn) { this.failures++; stats.refused(why); }
      verbose(`client ${this.index}: ${why}`);
    });
    ws.on('close', (code, reason) => {
      if (conn && !this.stopping) {
        conn.closedAt = Date.now();
        conn.code = code;
        conn.reason = reason.toString();
        this.closedAt = conn.closedAt;
        this.lastCloser = conn.replica;
        stats.closed(this, conn);
        verbose(`client ${this.index}: closed ${code} by ${conn.replica} ${conn.reason}`);
      }
      if (this.stopping) return;
      if (code === 4401) {
        // The session ended: reconnecting with it is refused (401); this run never ends sessions, so it is a
        // violation, and the client stops.
        log(`client ${this.index} (${this.user.email}): 4401 from ${conn?.replica}, the session ended`);
        this.sessionEnded = true;
        return;
      }
      // A socket that was open reconnects within 200 ms, spread at random so that the sockets a dying replica
      // closes at once do not reach the survivor in the same millisecond; an upgrade that failed is tried again
      // after a backoff of 100 ms doubling to 2 s (with jitter).
      const delay = this.attempts === 0 ? Math.random() * 200
        : Math.min(2000, 100 * 2 ** Math.min(this.attempts - 1, 5)) * (0.5 + Math.random() / 2);
      setTimeout(() => this.connect(), delay);
    });
  }

  stop() {
    this.stopping = true;
    if (this.ws && this.ws.readyState !== WebSocket.CLOSED) this.ws.terminate();
  }
}

// ---- figures -----------------------------------------------------------------------------------------
const stats = {
  opens: 0, closes: new Map(), refusals: new Map(), events: 0,
  liveLatency: [], replayedLatency: [], reopenByReplica: new Map(),
  opened() { this.opens++; },
  closed(client, conn) {
    const key = `${conn.code} by ${conn.replica}`;
    this.closes.set(key, (this.closes.get(key) || 0) + 1);
  },
  refused(why) { this.refusals.set(why, (this.refusals.get(why) || 0) + 1); },
  event(client, eventId, at, conn) {
    this.events++;
    const ms = eventMillis(eventId);
    (conn && ms >= conn.openedAt ? this.liveLatency : this.replayedLatency).push(at - ms);
  },
  reopen(replica, ms) {
    if (!this.reopenByReplica.has(replica)) this.reopenByReplica.set(replica, []);
    this.reopenByReplica.get(replica).push(ms);
  },
};

function percentiles(values) {
  if (!values.length) return { n: 0 };
  const s = [...values].sort((a, b) => a - b);
  const at = p => s[Math.min(s.length - 1, Math.ceil(p / 100 * s.length) - 1)];
  return { n: s.length, p50: at(50), p90: at(90), p99: at(99), max: s[s.length - 1] };
}
const showPercentiles = p => p.n ? `n=${p.n} p50=${p.p50} ms p90=${p.p90} ms p99=${p.p99} ms max=${p.max} ms` : 'n=0';
const tallyText = map => [...map].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} x${v}`).join(', ') || 'none';

function openByReplica(clients) {
  const by = {};
  for (const c of clients) if (c.open) { const r = c.connections.at(-1)?.replica || '?'; by[r] = (by[r] || 0) + 1; }
  return by;
}

function writeStatus(clients, phase) {
  if (!opts['status-file']) return;
  const status = {
    phase, t: Date.now() - START, clients: clients.length, open: clients.filter(c => c.open).length,
    openByReplica: openByReplica(clients), connections: stats.opens, events: stats.events,
    reports: { requested: reports.requested, accepted: reports.accepted },
  };
  const tmp = opts['status-file'] + '.tmp';
  writeFileSync(tmp, JSON.stringify(status) + '\n');
  renameSync(tmp, opts['status-file']);
}

// ---- the run -----------------------------------------------------------------------------------------
async function main() {
  log(`run ${RUN}: ${opts.clients} sockets for ${opts.tokens ? 'the users of ' + opts.tokens : opts.users + ' users'} through ${opts.base}; `
    + `reports ${opts.report} at ${opts.rate}/s, at least ${opts.events} per user${opts.until ? ', until ' + opts.until + ' exists' : ''}`);

  // 1. users
  let users;
  try {
    if (opts.tokens) {
      const tokens = readFileSync(opts.tokens, 'utf8').split('\n').map(s => s.trim()).filter(Boolean);
      if (!tokens.length) die(2, `no token in ${opts.tokens}`);
      users = await inBatches(tokens.length, 8, i => givenUser(tokens[i], i));
    } else {
      users = await inBatches(opts.users, 4, registerUser);
    }
  } catch (e) { die(2, e.message); }
  log(`${users.length} users ready`);

  // 2. baselines
  try { await inBatches(users.length, 10, i => baselineOf(users[i])); } catch (e) { die(2, e.message); }
  log(`baseline events announced for every user`);

  // 3. sockets
  const clients = Array.from({ length: opts.clients }, (_, i) => new Client(i, users[i % users.length]));
  clients.forEach(c => c.connect());
  const statusTimer = setInterval(() => writeStatus(clients, 'running'), 1000);
  const connectUntil = Date.now() + opts['connect-wait'] * 1000;
  while (clients.some(c => c.connections.length === 0) && Date.now() < connectUntil) await sleep(100);
  const never = clients.filter(c => c.connections.length === 0).length;
  if (never) die(2, `${never} of ${clients.length} sockets did not open within ${opts['connect-wait']} s (refusals: ${tallyText(stats.refusals)})`);
  log(`${clients.length} sockets open (${Object.entries(openByReplica(clients)).map(([r, n]) => `${r} x${n}`).join(', ')})`);
  if (opts['ready-file']) writeFileSync(opts['ready-file'], `${Date.now()}\n`);
  while (opts['hold-until'] && !existsSync(opts['hold-until'])) await sleep(200);

  const progress = setInterval(() => {
    const open = clients.filter(c => c.open).length;
    log(`open ${open}/${clients.length} (${Object.entries(openByReplica(clients)).map(([r, n]) => `${r} x${n}`).join(', ') || 'none'}), `
      + `connections ${stats.opens}, events received ${stats.events}, reports accepted ${reports.accepted}/${reports.requested}`);
  }, 10000);

  // 4. producer: one report per user per round, rounds paced at --rate
  const gap = 1000 / opts.rate;
  const pending = [];
  let rounds = 0, capped = false;
  const untilReached = () => !opts.until || existsSync(opts.until);
  let next = Date.now();
  while (rounds < opts.events || !untilReached()) {
    if (rounds >= opts['max-rounds']) { capped = true; break; }
    rounds++;
    for (const user of users) {
      const wait = next - Date.now();
      if (wait > 0) await sleep(wait);
      next += gap;
      pending.push(requestReport(user, `load-${RUN}-${user.n}-${rounds}`));
    }
  }
  await Promise.all(pending);
  const producedAt = Date.now();
  log(`producer done: ${rounds} rounds, ${reports.accepted} of ${reports.requested} reports accepted`
    + (capped ? ` (stopped at --max-rounds ${opts['max-rounds']} before ${opts.until} existed)` : ''));

  // 5. wait until every report ended and every socket holds its user's stream, at most --wait seconds
  const waitUntil = Date.now() + opts.wait * 1000;
  let truth;
  for (;;) {
    truth = await Promise.all(users.map(async user => {
      const listed = (await reportsOf(user)).filter(r => !user.existing.has(r.id));
      const stream = await streamOf(user, user.baseline);
      return { user, listed, stream };
    }));
    const settled = truth.every(({ listed, stream }) => stream && listed.every(r => TERMINAL.has(r.status))
      && stream.length >= listed.length);
    const delivered = settled && clients.every(c => {
      const want = truth.find(t => t.user === c.user).stream;
      const got = new Set(c.received.map(e => e.eventId));
      return want.every(e => got.has(e.eventId));
    });
    if (delivered || Date.now() > waitUntil) break;
    await sleep(1000);
  }
  const settledAt = Date.now();
  clearInterval(progress);
  clearInterval(statusTimer);
  clients.forEach(c => c.stop());
  writeStatus(clients, 'done');

  // 6. verdict
  const violations = [];
  const violation = text => { violations.push(text); };
  let expected = 0, duplicates = 0, missing = 0, outOfOrder = 0, unexpected = 0, resyncs = 0, sessionEnds = 0;
  let unfinished = 0, unannounced = 0, announcedTwice = 0, strayEvents = 0, lostBaselines = 0;
  const done = { done: 0, failed: 0 };
  for (const { user, listed, stream } of truth) {
    if (!stream) { lostBaselines++; violation(`${user.email}: the baseline ${user.baseline} is no longer kept (410)`); continue; }
    for (const r of listed) {
      if (!TERMINAL.has(r.status)) { unfinished++; violation(`${user.email}: report ${r.id} still ${r.status} after the wait`); continue; }
      done[r.status]++;
      const naming = stream.filter(e => e.id === r.id);
      if (naming.length === 0) { unannounced++; violation(`${user.email}: report ${r.id} ${r.status} at ${r.finishedAt} has no event in the stream`); }
      if (naming.length > 1) { announcedTwice++; violation(`${user.email}: report ${r.id} announced ${naming.length} times: ${naming.map(e => e.eventId).join(' ')}`); }
    }
    const listedIds = new Set(listed.map(r => r.id));
    for (const e of stream) {
      if (!listedIds.has(e.id)) { strayEvents++; violation(`${user.email}: event ${e.eventId} (${e.type} ${e.id}) names no report of this run`); }
    }
  }
  for (const c of clients) {
    const t = truth.find(x => x.user === c.user);
    if (!t.stream) continue;
    const where = ms => {
      // the connection the client held (or the gap it was in) at a moment: for the report of a violation
      const conn = c.connections.find(k => k.openedAt <= ms && (k.closedAt === null || k.closedAt >= ms));
      return conn ? `socket on ${conn.replica} (opened ${isoOf(conn.openedAt)} since=${conn.since})` : 'no socket open';
    };
    expected += t.stream.length;
    resyncs += c.resyncs;
    if (c.resyncs) violation(`client ${c.index} (${c.user.email}): ${c.resyncs} resync(s)`);
    if (c.sessionEnded) { sessionEnds++; violation(`client ${c.index} (${c.user.email}): closed 4401, the session ended`); }
    const seen = new Map();
    let previous = null;
    for (const e of c.received) {
      seen.set(e.eventId, (seen.get(e.eventId) || 0) + 1);
      if (seen.get(e.eventId) > 1) {
        duplicates++;
        violation(`client ${c.index} (${c.user.email}): event ${e.eventId} (${e.type} ${e.id}) received again at ${isoOf(e.at)} on ${c.connections[e.conn]?.replica}`
          + ` (connection ${e.conn + 1} since=${c.connections[e.conn]?.since})`);
      } else if (previous !== null && compareEventIds(e.eventId, previous) <= 0) {
        outOfOrder++;
        violation(`client ${c.index} (${c.user.email}): event ${e.eventId} received after ${previous}, at ${isoOf(e.at)} on ${c.connections[e.conn]?.replica}`);
      }
      if (previous === null || compareEventIds(e.eventId, previous) > 0) previous = e.eventId;
    }
    const wanted = new Set(t.stream.map(e => e.eventId));
    for (const e of t.stream) {
      if (!seen.has(e.eventId)) {
        missing++;
        const ms = eventMillis(e.eventId);
        violation(`client ${c.index} (${c.user.email}): missed event ${e.eventId} (${e.type} ${e.id}), published ${isoOf(ms)}, while it had: ${where(ms)}`);
      }
    }
    for (const id of seen.keys()) {
      if (!wanted.has(id)) { unexpected++; violation(`client ${c.index} (${c.user.email}): event ${id} is not in the user's stream`); }
    }
  }

  const reconnects = stats.opens - clients.length;
  const accepted = reports.accepted;
  const figures = {
    run: RUN, base: opts.base, clients: clients.length, users: users.length, rounds,
    seconds: { produce: (producedAt - START) / 1000, settle: (settledAt - producedAt) / 1000, total: (Date.now() - START) / 1000 },
    connections: stats.opens, reconnects, refusedUpgrades: Object.fromEntries(stats.refusals), closes: Object.fromEntries(stats.closes),
    reports: { requested: reports.requested, accepted, notPlaced: reports.refused, retriedPosts: reports.retried,
      answers: Object.fromEntries(reports.outcomes), done: done.done, failed: done.failed, unfinished, unannounced, announcedTwice, strayEvents },
    events: { expected, received: stats.events, duplicates, missing, outOfOrder, unexpected, resyncs, sessionEnds, lostBaselines },
    latency: {
      live: percentiles(stats.liveLatency), replayed: percentiles(stats.replayedLatency),
      reopenByReplica: Object.fromEntries([...stats.reopenByReplica].map(([r, v]) => [r, percentiles(v)])),
      reopen: percentiles([...stats.reopenByReplica.values()].flat()),
    },
    capped, violations: violations.length,
  };

  console.log('');
  console.log(`sockets: clients=${clients.length} users=${users.length} connections=${stats.opens} reconnects=${reconnects}`);
  console.log(`closes: ${tallyText(stats.closes)}`);
  console.log(`refused upgrades: ${tallyText(stats.refusals)}`);
  console.log(`reports: rounds=${rounds} requested=${reports.requested} accepted=${accepted} not-placed=${reports.refused} retried-posts=${reports.retried} `
    + `done=${done.done} failed=${done.failed} unfinished=${unfinished} unannounced=${unannounced} announced-twice=${announcedTwice} stray-events=${strayEvents}`);
  console.log(`events: expected=${expected} received=${stats.events} duplicates=${duplicates} missing=${missing} out-of-order=${outOfOrder} `
    + `unexpected=${unexpected} resyncs=${resyncs} session-ends=${sessionEnds}`);
  console.log(`time: produced for ${figures.seconds.produce.toFixed(1)} s, settled ${figures.seconds.settle.toFixed(1)} s later`);
  if (opts.latency) {
    console.log(`latency publish->receive, live: ${showPercentiles(figures.latency.live)}`);
    console.log(`latency publish->receive, replayed after a reconnect: ${showPercentiles(figures.latency.replayed)}`);
    console.log(`close->reopen, all: ${showPercentiles(figures.latency.reopen)}`);
    for (const [r, p] of Object.entries(figures.latency.reopenByReplica)) console.log(`close->reopen, closed by ${r}: ${showPercentiles(p)}`);
  }
  if (capped) console.log(`note: the producer stopped at --max-rounds before ${opts.until} existed`);
  violations.slice(0, 30).forEach(v => console.log(`VIOLATION ${v}`));
  if (violations.length > 30) console.log(`... and ${violations.length - 30} more violations`);
  if (opts.json) writeFileSync(opts.json, JSON.stringify(figures, null, 2) + '\n');
  const pass = violations.length === 0 && accepted > 0;
  console.log(`verdict: ${pass ? 'PASS' : 'FAIL'} (${violations.length} violations)`);
  process.exit(pass ? 0 : 1);
}

main().catch(e => die(2, e.stack || String(e)));
