// npm run bench:http -- [--notices 100000] [--duration 30] [--connections 100] [--workers process|inline] [--json]
//
// The whole service under load over real HTTP (autocannon): Brygga as it is
// deployed (docs/operations.md), the API and pages in this process with
// WORKERS=off and the queue workers as a second process (`npm run workers`,
// see worker-process.ts); `--workers inline` runs them in this process instead,
// as `npm start` does. On a temp
// SQLite database holding N synthetic notices (stored directly through the
// notices service in large transactions, then indexed in one rebuild, as
// bench:search does; nothing is posted over HTTP to build it), with F firms
// (default 300) registered and subscribed but not confirmed (their setup jobs
// are dropped: published notices are matched against them, no alerts are
// mailed). Then C connections for D seconds over a mix:
//
//   40 % search (GET /api/search, 1–2 words, a third with filters)
//   25 % a notice page (GET /notices/:id)
//   10 % register a firm (POST /api/companies: a confirmation e-mail each)
//   10 % publish a notice with an officer's API token (POST /api/notices: index, match, alerts)
//   15 % the reach preview (POST /api/notices/preview)
//
// and, as the other benchmarks do, a baseline measured in the same run: GET
// /healthz under the same connections and duration, once the work the mix
// queued has finished (`drainS`). Prints { rps, p99Ms, errors, non2xx } for
// the mix (errors: connection errors and time-outs, autocannon's 10 s), the
// same for the baseline, the ratio of their throughputs, and per route the
// count and mean time the service itself measured (brygga_http_request_duration_seconds:
// from when Express took the request up, so time spent waiting for a blocked
// event loop shows only in the client's latency); for each process the CPU seconds it
// used during the mix and until its queued work had finished, the jobs the workers ran
// (count and mean per queue) and the match index rebuilds (count and mean), from the
// workers' own GET /metrics. The load client (autocannon) runs in the API's process,
// for the mix and the baseline alike. Rate limits are raised (RATE_LIMIT_*): every
// request comes from one client. Redis at REDIS_URL, keys under QUEUE_PREFIX
// (default bench-http-<pid>), deleted afterwards.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
// @ts-expect-error autocannon ships no types; the little used here is typed below.
import autocannonUntyped from 'autocannon';
import { pino } from 'pino';
import { addUser, createApiToken } from '../../src/accounts/accounts.service.ts';
import { HttpServer } from '../../src/app.ts';
import { findById } from '../../src/notices/notices.repo.ts';
import { relayOutbox } from '../../src/queue/outbox.ts';
import { QUEUES } from '../../src/queue/jobs.ts';
import { Runtime } from '../../src/runtime.ts';
import { startWorkers } from '../../workers/start.ts';
import { histogramBy, startWorkerProcess, type WorkerProcess } from './worker-process.ts';
import { deletePrefix } from '../lib/redis.ts';
import { benchConfig, benchData, CODES, orgNumber, storeNotices, WORDS } from './service.ts';

const { values } = parseArgs({
  options: {
    notices: { type: 'string', default: '100000' },
    duration: { type: 'string', default: '30' },
    connections: { type: 'string', default: '100' },
    firms: { type: 'string', default: '300' },
    workers: { type: 'string', default: 'process' },
    json: { type: 'boolean', default: false },
    seed: { type: 'string', default: '42' },
  },
});
const N = Number(values.notices);
const DURATION = Number(values.duration);
const CONNECTIONS = Number(values.connections);
const FIRMS = Number(values.firms);
const INLINE = values.workers === 'inline';
if (![N, DURATION, CONNECTIONS, FIRMS].every((n) => Number.isInteger(n) && n >= 1) || !['process', 'inline'].includes(values.workers!)) {
  console.error('usage: npm run bench:http -- [--notices N] [--duration seconds] [--connections C] [--firms F] [--workers process|inline] [--json]');
  process.exit(2);
}
const log = values.json ? console.error : console.log;
const { random, pick, noticeBody } = benchData(Number(values.seed));

type Request = { method?: string; path?: string; headers?: Record<string, string>; body?: string; setupRequest?: (req: Request) => Request };
type Result = {
  requests: { average: number }; latency: { p99: number }; errors: number; timeouts: number; non2xx: number;
  '2xx': number; '4xx': number; '5xx': number;
};
const autocannon = autocannonUntyped as (opts: { url: string; connections: number; duration: number; requests: Request[] }) => Promise<Result>;

// ---------------------------------------------------------------- the service
const dir = mkdtempSync(join(tmpdir(), 'brygga-bench-http-'));
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = process.env.QUEUE_PREFIX ?? `bench-http-${process.pid}`;
const config = benchConfig(dir, redisUrl, prefix);
const rt = await Runtime.start(config, pino({ level: process.env.LOG_LEVEL ?? 'warn' }, pino.destination(2))); // stdout is for the result
let server: HttpServer | null = null;
let workers: { close(): Promise<void> } | null = null;
let workerProcess: WorkerProcess | null = null;
try {
  const now = Date.now();
  const ids = await storeNotices(rt, N, (i) => noticeBody(i, now), log);

  const buyerId = (await findById(rt.db, ids[0]))!.buyer_id;
  const officer = await addUser(rt.db, { email: 'bench-officer@lerum.example', roles: ['officer'], buyerId });
  const { token } = await createApiToken(rt.db, officer, 'bench');

  server = await HttpServer.listen(rt, 0, '127.0.0.1');
  // Firms with subscriptions, over HTTP before the workers start; their jobs are dropped
  // (no confirmation e-mails, no backfill of 50k open notices each), so they stay
  // unconfirmed: published notices are matched against them, alerts are not sent.
  for (let i = 0; i < FIRMS; i++) {
    const res = await fetch(`${server.url}/api/companies`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ orgNumber: orgNumber(i), name: `Bänkfirma ${i} AB`, email: `firma${i}@bench.example`, municipalityCode: '1441', categories: [pick(CODES)[0]] }),
    });
    if (res.status !== 201) throw new Error(`registering a firm: ${res.status} ${await res.text()}`);
  }
  while ((await relayOutbox(rt.db, rt.producer)) > 0);
  for (const queue of ['backfill', 'account'] as const) await rt.producer.queue(queue).drain();
  if (INLINE) workers = startWorkers(rt);
  else workerProcess = await startWorkerProcess(rt.config);
  log(`${FIRMS} firms registered; workers ${INLINE ? 'inline' : `in process ${workerProcess!.pid}`}; ${CONNECTIONS} connections for ${DURATION} s`);

  let seq = 0;
  const json = { 'content-type': 'application/json' };
  const officerJson = { ...json, authorization: `Bearer ${token}` };
  /** One request of the mix, chosen afresh each time. */
  const next = () => {
    const r = random();
    seq++;
    if (r < 0.40) {
      const q = encodeURIComponent(random() < 0.3 ? pick(WORDS) : `${pick(WORDS)} ${pick(WORDS)}`);
      const filter = random() < 0.33 ? `&cpv=${pick(CODES)[0].slice(0, 2)}000000&status=open` : '';
      return { method: 'GET' as const, path: `/api/search?q=${q}${filter}` };
    }
    if (r < 0.65) return { method: 'GET' as const, path: `/notices/${pick(ids)}`, headers: { accept: 'text/html' } };
    if (r < 0.75) {
      return { method: 'POST' as const, path: '/api/companies', headers: json, body: JSON.stringify({
        orgNumber: orgNumber(100_000 + seq), name: `Lastfirma ${seq} AB`, email: `last${seq}@bench.example`, municipalityCode: '1441', categories: [pick(CODES)[0]],
      }) };
    }
    if (r < 0.85) return { method: 'POST' as const, path: '/api/notices', headers: officerJson, body: JSON.stringify(noticeBody(N + seq, now, `LOAD ${process.pid}-${seq}`)) };
    return { method: 'POST' as const, path: '/api/notices/preview', headers: officerJson, body: JSON.stringify(noticeBody(N + seq, now, `PREVIEW ${seq}`)) };
  };

  const run = (requests: Request[]) => autocannon({ url: server!.url, connections: CONNECTIONS, duration: DURATION, requests });
  const summary = (r: Result) => ({ rps: Math.round(r.requests.average), p99Ms: r.latency.p99, errors: r.errors + r.timeouts, non2xx: r.non2xx });
  const apiCpu = () => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1e6;
  };
  const cpu = () => ({ api: apiCpu(), workers: workerProcess?.cpuSeconds() ?? null });
  const cpuBefore = cpu();
  const mix = await run([{ setupRequest: (req: Request) => ({ ...req, ...next() }) }]);
  const cpuMix = cpu();
  const byStatus = { '2xx': mix['2xx'], '4xx': mix['4xx'], '5xx': mix['5xx'] };
  // Where the time went: the service's own HTTP histogram, per route (answered requests only).
  type Value = { labels: Record<string, string>; value: number; metricName?: string };
  const histogram = await rt.metrics.registry.getSingleMetric('brygga_http_request_duration_seconds')!.get();
  const routes: Record<string, { count: number; meanMs: number }> = {};
  for (const v of histogram.values as Value[]) {
    const key = `${v.labels.method} ${v.labels.route}`;
    if (v.metricName?.endsWith('_count')) (routes[key] ??= { count: 0, meanMs: 0 }).count += v.value;
    if (v.metricName?.endsWith('_sum')) (routes[key] ??= { count: 0, meanMs: 0 }).meanMs += v.value * 1000;
  }
  for (const r of Object.values(routes)) r.meanMs = Math.round(r.meanMs / Math.max(1, r.count));
  // The work the mix queued (matches, backfills, e-mail) is let finish first (at most
  // 5 minutes), so the baseline measures the server, not the backlog.
  const drainStarted = performance.now();
  const busy = async () => {
    const counts = await Promise.all(QUEUES.filter((q) => q !== 'digest' && q !== 'reconcile')
      .map((q) => rt.producer.queue(q).getJobCounts('waiting', 'active', 'prioritized')));
    return counts.reduce((n, c) => n + (c.waiting ?? 0) + (c.active ?? 0) + (c.prioritized ?? 0), 0);
  };
  while ((await busy()) > 0 && performance.now() - drainStarted < 300_000) await new Promise((r) => setTimeout(r, 500));
  const drainS = Number(((performance.now() - drainStarted) / 1000).toFixed(1));
  log(`queued work finished ${drainS} s after the mix`);
  const cpuDrained = cpu();
  const seconds = (a: number | null, b: number | null) => (a === null || b === null ? null : Number((b - a).toFixed(1)));
  // Per process: CPU during the mix and until the queued work had finished; the jobs run; the match index rebuilds.
  const apiMetrics = await rt.metrics.registry.metrics();
  const workerMetrics = workerProcess ? await workerProcess.metrics() : apiMetrics;
  const processes = {
    api: {
      cpuS: { mix: seconds(cpuBefore.api, cpuMix.api), drain: seconds(cpuMix.api, cpuDrained.api) },
      indexRebuilds: histogramBy(apiMetrics, 'brygga_match_index_rebuild_seconds', '')[''] ?? { count: 0, meanMs: 0 },
    },
    workers: {
      mode: INLINE ? 'inline' : 'process',
      cpuS: INLINE ? null : { mix: seconds(cpuBefore.workers, cpuMix.workers), drain: seconds(cpuMix.workers, cpuDrained.workers) },
      jobs: histogramBy(workerMetrics, 'brygga_job_duration_seconds', 'queue'),
      indexRebuilds: INLINE ? null : histogramBy(workerMetrics, 'brygga_match_index_rebuild_seconds', '')[''] ?? { count: 0, meanMs: 0 },
    },
  };
  const baseline = await run([{ method: 'GET', path: '/healthz' }]);
  const result = {
    notices: N, connections: CONNECTIONS, durationS: DURATION,
    ...summary(mix), statuses: byStatus, routes,
    baseline: { route: 'GET /healthz', ...summary(baseline) },
    drainS, processes,
    ratio: baseline.requests.average > 0 ? Number((mix.requests.average / baseline.requests.average).toFixed(3)) : null,
  };
  if (values.json) console.log(JSON.stringify(result));
  else log(result);
} finally {
  await server?.close(1000);
  await workers?.close();
  await workerProcess?.stop();
  await rt.stop();
  await deletePrefix(redisUrl, prefix).catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
}
