// npm run bench:web -- [--notices 100000] [--duration 10] [--connections 20] [--matches 200] [--json] [--db file] [--only search,notice,dashboard]
//
// The pages people use most, over real HTTP (autocannon), one after the
// other at C connections for D seconds each, on a temp SQLite database with N
// synthetic notices (stored as bench:http stores them: scripts/bench/service.ts):
//
//   search     GET /?q=… (1–2 words; a third with a category and status filter)
//   notice     GET /notices/:id (any of the N)
//   dashboard  GET /firm, signed in as a firm with M matches (when the firm
//              pages exist; else reported as missing)
//
// and GET /healthz under the same load in the same run. Prints
// { searchP95Ms, noticeP95Ms, dashboardP95Ms, rps, healthzRps, ratio, … }:
// p95 from every response's time (autocannon reports no p95 itself), rps the
// pages' requests per second over their runs together, ratio rps / healthzRps.
// No workers run: the pages only read. Redis at REDIS_URL, keys under
// QUEUE_PREFIX (default bench-web-<pid>), deleted afterwards.
//
// The load generator (autocannon) runs in a worker thread, not on the
// server's event loop: in one loop its own work (building requests, parsing
// responses, timing them) was counted as the server's latency. Each run's
// requests are drawn before it starts (the same seed, the same requests).
// --db keeps the database in that file and reuses it when it already holds
// the notices and the firm (to profile or compare without storing 100k
// notices again). --only runs some of the pages (healthz always runs).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { CompiledQuery } from 'kysely';
import { pino } from 'pino';
import { findUserByEmail } from '../../src/accounts/accounts.repo.ts';
import { startSession, SESSION_COOKIE } from '../../src/accounts/sessions.service.ts';
import { HttpServer } from '../../src/app.ts';
import { registerCompany } from '../../src/companies/companies.service.ts';
import { companyInputSchema } from '../../src/companies/company.schema.ts';
import { saveMatch } from '../../src/matching/matching.repo.ts';
import { FtsSearchIndex } from '../../src/search/fts5.ts';
import { Runtime } from '../../src/runtime.ts';
import { deletePrefix } from '../lib/redis.ts';
import { benchConfig, benchData, CODES, orgNumber, storeNotices, WORDS } from './service.ts';

const { values } = parseArgs({
  options: {
    notices: { type: 'string', default: '100000' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '20' },
    matches: { type: 'string', default: '200' },
    json: { type: 'boolean', default: false },
    seed: { type: 'string', default: '42' },
    db: { type: 'string' },
    only: { type: 'string', default: 'search,notice,dashboard' },
  },
});
const N = Number(values.notices);
const DURATION = Number(values.duration);
const CONNECTIONS = Number(values.connections);
const MATCHES = Number(values.matches);
if (![N, DURATION, CONNECTIONS, MATCHES].every((n) => Number.isInteger(n) && n >= 1) || MATCHES > N) {
  console.error('usage: npm run bench:web -- [--notices N] [--duration seconds] [--connections C] [--matches M ≤ N] [--json]');
  process.exit(2);
}
const log = values.json ? console.error : console.log;
const { pick, noticeBody } = benchData(Number(values.seed));

const ONLY = new Set(values.only!.split(','));
type Request = { method: 'GET'; path: string; headers: Record<string, string> };

/**
 * autocannon in a worker thread: C connections for D seconds over `requests`
 * (taken in turn), every response's time collected there; returns the counts
 * and the sorted times. Plain JavaScript evaluated in the worker, so the
 * worker loads autocannon and nothing of Brygga.
 */
const LOAD = `
const { parentPort, workerData } = require('node:worker_threads');
const autocannon = require('autocannon');
const { url, connections, duration, requests } = workerData;
let next = 0;
const times = [];
const instance = autocannon({
  url, connections, duration,
  requests: [{ setupRequest: (req) => ({ ...req, ...requests[next++ % requests.length] }) }],
});
instance.on('response', (_client, _status, _bytes, ms) => { times.push(ms); });
instance.then((r) => {
  times.sort((a, b) => a - b);
  // Every response counted (in a worker thread autocannon leaves requests.total out).
  parentPort.postMessage({ total: times.length, duration: r.duration, errors: r.errors + r.timeouts, non2xx: r.non2xx, times });
}, (error) => parentPort.postMessage({ error: String(error) }));
`;
type LoadResult = { total: number; duration: number; errors: number; non2xx: number; times: number[] };
function load(url: string, requests: Request[]): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    // No tsx in the worker: it runs the plain JavaScript above, requiring autocannon from the working directory.
    const worker = new Worker(LOAD, {
      eval: true, execArgv: [], workerData: { url, connections: CONNECTIONS, duration: DURATION, requests },
    });
    worker.once('message', (m: LoadResult | { error: string }) => ('error' in m ? reject(new Error(m.error)) : resolve(m)));
    worker.once('error', reject);
  });
}

const dir = values.db ? null : mkdtempSync(join(tmpdir(), 'brygga-bench-web-'));
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = process.env.QUEUE_PREFIX ?? `bench-web-${process.pid}`;
const config = values.db ? { ...benchConfig(tmpdir(), redisUrl, prefix), databaseUrl: `file:${values.db}` } : benchConfig(dir!, redisUrl, prefix);
const reuse = values.db !== undefined && existsSync(values.db);
const rt = await Runtime.start(config, pino({ level: process.env.LOG_LEVEL ?? 'warn' }, pino.destination(2))); // stdout is for the result
let server: HttpServer | null = null;
try {
  const now = Date.now();
  const email = 'webbfirma@bench.example';
  let ids: string[];
  if (reuse) {
    const { rows } = await rt.db.executeQuery<{ id: string }>(CompiledQuery.raw("SELECT id FROM notices WHERE status = 'active' ORDER BY id"));
    ids = rows.map((r) => r.id);
    if (ids.length !== N) throw new Error(`${values.db} holds ${ids.length} notices, not ${N}: use another file`);
    log(`reusing ${values.db}: ${ids.length.toLocaleString('sv-SE')} notices`);
  } else {
    ids = await storeNotices(rt, N, (i) => noticeBody(i, now), log);
    // A firm with M matches (half of them open, as the notices are).
    const firm = await registerCompany(rt.db, companyInputSchema.parse({ orgNumber: orgNumber(1), name: 'Webbfirma AB', email, municipalityCode: '1441', categories: [CODES[0][0]] }));
    for (const noticeId of ids.slice(0, MATCHES)) {
      await saveMatch(rt.db, noticeId, {
        companyId: firm.id, subscriptionId: firm.subscriptionId, subscriptionIds: [firm.subscriptionId], score: 40 + Math.round(Math.random() * 60), missing: [],
        reasons: [{ code: 'cpv', sv: 'Ingår i er kategori', en: 'Within your category' }],
      });
    }
  }
  const owner = await findUserByEmail(rt.db, email);
  if (!owner) throw new Error('the firm has no owner');
  const session = await startSession(rt.db, owner.id, config.sessions);
  server = await HttpServer.listen(rt, 0, '127.0.0.1');
  const hasDashboard = server.routes.some((r) => r.method === 'GET' && r.path === '/firm');
  log(`firm with ${MATCHES} matches; dashboard ${hasDashboard ? 'present' : 'missing (no GET /firm yet)'}; ${CONNECTIONS} connections for ${DURATION} s each`);

  const html = { accept: 'text/html' };
  const search = (): Request => {
    const q = encodeURIComponent(Math.random() < 0.3 ? pick(WORDS) : `${pick(WORDS)} ${pick(WORDS)}`);
    const filter = Math.random() < 0.33 ? `&cpv=${pick(CODES)[0].slice(0, 2)}000000&status=open` : '';
    return { method: 'GET', path: `/?q=${q}${filter}`, headers: html };
  };
  const notice = (): Request => ({ method: 'GET', path: `/notices/${pick(ids)}`, headers: html });
  const dashboard = (): Request => ({ method: 'GET', path: '/firm', headers: { ...html, cookie: `${SESSION_COOKIE}=${session.token}` } });

  type Run = { rps: number; requests: number; seconds: number; p50Ms: number; p95Ms: number; p99Ms: number; errors: number; non2xx: number };
  /** 20,000 requests drawn up front (then they repeat). */
  async function run(next: () => Request): Promise<Run> {
    const result = await load(server!.url, Array.from({ length: 20_000 }, next));
    const { times } = result;
    const at = (p: number) => (times.length ? Math.round(times[Math.min(times.length - 1, Math.floor(p * times.length))] * 10) / 10 : 0);
    return {
      rps: Math.round(result.total / result.duration), requests: result.total, seconds: result.duration,
      p50Ms: at(0.5), p95Ms: at(0.95), p99Ms: at(0.99), errors: result.errors, non2xx: result.non2xx,
    };
  }

  const pages: Record<string, Run | null> = {
    search: ONLY.has('search') ? await run(search) : null,
    notice: ONLY.has('notice') ? await run(notice) : null,
    dashboard: hasDashboard && ONLY.has('dashboard') ? await run(dashboard) : null,
  };
  // Searches the FTS5 result cache answered (the bench's words and filters make about 2,500 distinct searches).
  const searchCache = rt.search.fts instanceof FtsSearchIndex ? rt.search.fts.cacheStats : null;
  const healthz = await run(() => ({ method: 'GET', path: '/healthz', headers: {} }));
  const ran = Object.values(pages).filter((r): r is Run => r !== null);
  const rps = Math.round(ran.reduce((n, r) => n + r.requests, 0) / ran.reduce((s, r) => s + r.seconds, 0));
  const result = {
    notices: N, connections: CONNECTIONS, durationS: DURATION, matches: MATCHES,
    searchP95Ms: pages.search?.p95Ms ?? null, noticeP95Ms: pages.notice?.p95Ms ?? null, dashboardP95Ms: pages.dashboard?.p95Ms ?? null,
    ...(hasDashboard ? {} : { dashboard: 'missing: the firm pages have no GET /firm yet' }),
    rps, healthzRps: healthz.rps, ratio: healthz.rps > 0 ? Number((rps / healthz.rps).toFixed(3)) : null,
    searchCache, pages, healthz,
  };
  if (values.json) console.log(JSON.stringify(result));
  else log(result);
} finally {
  await server?.close(1000);
  await rt.stop();
  await deletePrefix(redisUrl, prefix).catch(() => undefined);
  if (dir) rmSync(dir, { recursive: true, force: true });
}
