// npm run bench:notify [-- --alerts 10000] [--firms 100] [--concurrency 50] [--rate 10000] [--workers 3] [--database postgres://…] [--json]
// Sends N instant alerts through the real notification path — BullMQ job →
// ledger claim → render → nodemailer SMTP pool → ledger mark — to a loopback
// SMTP sink, and compares the rate with the same number of raw nodemailer sends
// of the same (pre-rendered) messages, same pool and same concurrency, without
// queue or database. The sink runs in a child process, so it does not share the
// measured event loop, and counts what it accepted: each phase must deliver
// exactly N messages with N distinct Message-IDs.
//
// Each queued phase runs on an empty database with a queue prefix of its own:
// the workers in this process (as `npm start` runs them); then, unless
// --workers 0, one worker process (workers/main.ts, as deployed beside an API
// with WORKERS=off) and --workers n of them (default 3), started and ready
// before the jobs are queued: e-mails per second of n processes against one.
// --database postgres://… repeats the queued phases on PostgreSQL, each in a
// schema of its own (dropped after); the raw baseline has no database.
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import nodemailer from 'nodemailer';

const SINK_FLAG = '--smtp-sink';
/** The pool of src/mail/mailer.ts: pool: true, maxConnections: 5. */
const RAW_POOL = { maxConnections: 5 };
type SinkStats = { accepted: number; unique: number; bytes: number };
type SinkMessage = { type: 'ready'; port: number } | ({ type: 'stats' } & SinkStats);

if (process.argv.includes(SINK_FLAG)) await runSink();
else await main();

// --- the SMTP sink (child process) --------------------------------------------

/** Accepts every message, keeps nothing but counts and Message-IDs; talks to the parent over IPC. */
async function runSink(): Promise<void> {
  const { SMTPServer } = await import('smtp-server');
  const ids = new Set<string>();
  let accepted = 0;
  let bytes = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    disableReverseLookup: true,
    logger: false,
    onData(stream, _session, callback) {
      let head = '';
      stream.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (head.length < 16_384 && !head.includes('\r\n\r\n')) head += chunk.toString('latin1');
      });
      stream.on('end', () => {
        accepted++;
        const id = /^Message-ID:[ \t]*(\S+)/im.exec(head.split('\r\n\r\n')[0])?.[1];
        if (id) ids.add(id);
        callback();
      });
    },
  });
  server.on('error', (error) => console.error(`smtp sink: ${error.message}`));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as { port: number };
  const send = (message: SinkMessage) => process.send!(message);
  process.on('message', (message: { type: string }) => {
    if (message.type === 'stats') send({ type: 'stats', accepted, unique: ids.size, bytes });
    else if (message.type === 'reset') {
      accepted = 0;
      bytes = 0;
      ids.clear();
      send({ type: 'stats', accepted, unique: 0, bytes });
    }
  });
  process.on('disconnect', () => server.close(() => process.exit(0)));
  send({ type: 'ready', port });
}

type Sink = { url: string; stats(): Promise<SinkStats>; reset(): Promise<void>; close(): Promise<void> };

async function startSink(): Promise<Sink> {
  // Same loader (tsx), but no profiler flags: only the measured process is profiled.
  const execArgv = process.execArgv.filter((a) => !a.startsWith('--cpu-prof') && !a.startsWith('--heap-prof') && !a.startsWith('--prof'));
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), [SINK_FLAG], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const next = () =>
    new Promise<SinkMessage>((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`smtp sink exited (${code})`));
      child.once('exit', onExit);
      child.once('message', (m) => {
        child.off('exit', onExit);
        resolve(m as SinkMessage);
      });
    });
  const ready = await next();
  if (ready.type !== 'ready') throw new Error('smtp sink did not start');
  const ask = async (type: 'stats' | 'reset') => {
    const answer = next();
    child.send({ type });
    const m = await answer;
    if (m.type !== 'stats') throw new Error(`smtp sink: unexpected ${m.type}`);
    return { accepted: m.accepted, unique: m.unique, bytes: m.bytes };
  };
  return {
    url: `smtp://127.0.0.1:${ready.port}`,
    stats: () => ask('stats'),
    reset: async () => void (await ask('reset')),
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.disconnect();
      }),
  };
}

// --- the benchmark (parent process) ------------------------------------------

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      alerts: { type: 'string', default: '10000' },
      firms: { type: 'string', default: '100' },
      concurrency: { type: 'string', default: '50' },
      rate: { type: 'string', default: '10000' },
      warmup: { type: 'string', default: '200' },
      timeout: { type: 'string', default: '600' },
      'skip-raw': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      database: { type: 'string' },
      workers: { type: 'string', default: '3' },
    },
  });
  const N = Number(values.alerts);
  const FIRMS = Math.min(Number(values.firms), N);
  const NOTICES = Math.ceil(N / FIRMS);
  const CONCURRENCY = Number(values.concurrency);
  const WARMUP = Number(values.warmup);
  const TIMEOUT_MS = Number(values.timeout) * 1000;
  const TARGETS = { emailsPerSec: 500, overheadVsRaw: 2 };
  /** Worker processes to compare with one (0: only the workers in this process, as before). */
  const PROCESSES = Number(values.workers);
  if (values.database && !/^postgres(ql)?:\/\//.test(values.database)) throw new Error('--database takes a postgres://… URL (SQLite is always measured)');
  if (!Number.isInteger(PROCESSES) || PROCESSES < 0 || PROCESSES === 1) throw new Error('--workers takes 0 (none) or a number of worker processes ≥ 2 (compared with 1)');
  if (![N, FIRMS, CONCURRENCY, WARMUP].every((n) => Number.isInteger(n) && n >= 0) || N < 1 || CONCURRENCY < 1) {
    throw new Error('--alerts, --firms and --concurrency take positive whole numbers');
  }

  // Heavy modules only here: the sink child does not load them.
  const [{ Runtime }, { startWorkers }, { loadConfig }, { migrateToLatest, openDatabase }, { newId, nowIso }, { storeNotice }, { noticeInputSchema }, repo, { render }, { signToken }, { t }, redisHelpers] =
    await Promise.all([
      import('../../src/runtime.ts'),
      import('../../workers/start.ts'),
      import('../../src/config.ts'),
      import('../../db/database.ts'),
      import('../../src/ids.ts'),
      import('../../src/notices/notices.service.ts'),
      import('../../src/notices/notice.schema.ts'),
      import('../../src/notices/notices.repo.ts'),
      import('../../src/mail/templates.ts'),
      import('../../src/mail/tokens.ts'),
      import('../../src/i18n/messages.ts'),
      import('../lib/redis.ts'),
    ]);
  const [{ benchSchema }, { startWorkerProcess }] = await Promise.all([import('../lib/postgres.ts'), import('./worker-process.ts')]);
  type WorkerProcess = import('./worker-process.ts').WorkerProcess;
  type OutgoingMail = import('../../src/mail/mailer.ts').OutgoingMail;

  const say = (line = '') => console.log(line);
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const PUBLIC_URL = 'https://brygga.lerum.se';
  const SECRET = 'bench-secret-bench-secret-bench-secret-01';

  const redis = await redisHelpers.testRedis();
  const prefixes: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'brygga-bench-notify-'));
  const sink = await startSink();
  const baseEnv = {
    NODE_ENV: 'production',
    REDIS_URL: redis.url,
    WORKERS: 'off',
    WORKER_CONCURRENCY: String(CONCURRENCY),
    MAIL_TRANSPORT: 'smtp',
    SMTP_URL: sink.url,
    MAIL_RATE_PER_SECOND: String(values.rate),
    PUBLIC_URL,
    SECRET_KEY: SECRET,
    SEED_DEMO: 'false',
    LOG_LEVEL: 'silent',
  };
  /** A configuration on this database with a queue prefix of its own (each phase starts with empty queues). */
  const configFor = (databaseUrl: string) => {
    const prefix = redisHelpers.uniquePrefix('bench-notify');
    prefixes.push(prefix);
    return loadConfig({ ...baseEnv, DATABASE_URL: databaseUrl, QUEUE_PREFIX: prefix });
  };
  const dropSchemas: (() => Promise<void>)[] = [];
  /** An empty database per phase: a new SQLite file, or a new PostgreSQL schema (dropped at the end). */
  let files = 0;
  const freshDatabase = async (kind: 'sqlite' | 'postgres') => {
    if (kind === 'sqlite') return `file:${join(dir, `brygga-${++files}.db`)}`;
    const schema = await benchSchema(values.database!, 'bench_notify');
    dropSchemas.push(schema.drop);
    return schema.url;
  };

  type Firm = { id: string; subscriptionId: string; name: string; email: string; orgNumber: string };
  type Pair = { firm: Firm; noticeId: string };
  const reasons = JSON.stringify([
    { code: 'cpv', sv: 'CPV 90911200 (Städning av byggnader) matchar din kategori 90910000', en: 'CPV 90911200 (Building-cleaning services) matches your category 90910000' },
    { code: 'local', sv: 'Utförs i Lerums kommun, där ni har ert säte', en: 'Performed in Lerum, where you are based' },
    { code: 'requirement-met', sv: 'Kräver ISO 14001 eller EMAS – finns i din profil', en: 'Requires ISO 14001 or EMAS – in your profile' },
  ]);

  /** FIRMS confirmed firms × NOTICES notices, a match row per pair, in an empty database. */
  async function seed(databaseUrl: string) {
    const seedDb = openDatabase(databaseUrl);
    try {
      await migrateToLatest(seedDb);
      const now = nowIso();
      const firms: Firm[] = Array.from({ length: FIRMS }, (_, i) => ({
        id: newId(), subscriptionId: newId(), name: `Bänkföretaget ${i + 1} AB`, email: `firma${i + 1}@bench.example`, orgNumber: orgNumber(i),
      }));
      for (const chunk of chunks(firms, 500)) {
        await seedDb
          .insertInto('companies')
          .values(chunk.map((f) => ({
            id: f.id, org_number: f.orgNumber, name: f.name, email: f.email, municipality_code: '1441', language: 'sv',
            email_status: 'confirmed', email_confirmed_at: now, created_at: now, updated_at: now,
          })))
          .execute();
        await seedDb
          .insertInto('subscriptions')
          .values(chunk.map((f) => ({ id: f.subscriptionId, company_id: f.id, name: 'Lokalvård och fastighetsskötsel', frequency: 'instant', created_at: now })))
          .execute();
      }
      const deadline = new Date(Date.now() + 30 * 24 * 3600 * 1000).toISOString();
      const noticeIds: string[] = [];
      for (let i = 0; i < NOTICES; i++) {
        const input = noticeInputSchema.parse({
          source: 'local',
          sourceId: `bench-notify-${i}`,
          title: `Lokalvård och fönsterputs, ${['förskolor', 'skolor', 'äldreboenden', 'idrottshallar'][i % 4]} i Lerum, område ${i + 1}`,
          description: 'Lerums kommun upphandlar lokalvård, fönsterputs och periodiska storstädningar i kommunens verksamhetslokaler. '.repeat(4).trim(),
          buyer: { name: 'Lerums kommun', orgNumber: '212000-1447', nuts: 'SE232' },
          cpv: { main: '90911200', additional: ['90911300'] },
          estimatedValue: { amount: 1_200_000 + i * 10_000, currency: 'SEK' },
          deadline,
          procedure: 'open',
          placeOfPerformance: { nuts: ['SE232'], town: 'Lerum' },
          criteria: { strategic: ['env-imp', 'soc-obj'], social: ['work-cond'], green: ['circ-econ'], smeSuitable: true, requirements: ['collective-agreement', 'iso-14001'] },
        });
        noticeIds.push((await storeNotice(seedDb, input)).id);
      }
      // The relay must not queue index/match jobs for the seed: only notify is measured.
      await seedDb.updateTable('outbox').set({ relayed_at: now }).where('relayed_at', 'is', null).execute();
      // N pairs, firm-major within each notice, as the match worker enqueues them.
      const pairs: Pair[] = [];
      for (let n = 0; n < NOTICES && pairs.length < N; n++) {
        for (let f = 0; f < FIRMS && pairs.length < N; f++) pairs.push({ firm: firms[f], noticeId: noticeIds[n] });
      }
      for (const chunk of chunks(pairs, 500)) {
        await seedDb
          .insertInto('matches')
          .values(chunk.map((p) => ({
            id: newId(), notice_id: p.noticeId, company_id: p.firm.id, score: 80, reasons, subscription_id: p.firm.subscriptionId,
            subscription_ids: JSON.stringify([p.firm.subscriptionId]), missing: '[]', created_at: now,
          })))
          .execute();
      }
      const noticeRows = await seedDb.selectFrom('notices').selectAll().execute();
      const documents = new Map(noticeRows.map((row) => [row.id, { id: row.id, ...repo.storedDocument(row) }]));
      return { pairs, documents };
    } finally {
      await seedDb.destroy();
    }
  }

  /**
   * The app's real path on an empty database: BullMQ → ledger claim → render →
   * SMTP → ledger mark. `processes` 0: the workers in this process (as
   * before); n > 0: n worker processes (workers/main.ts, as deployed beside
   * an API with WORKERS=off), started and ready before the jobs are queued.
   */
  async function queuedPhase(kind: 'sqlite' | 'postgres', processes: number) {
    const config = configFor(await freshDatabase(kind));
    const seedStart = performance.now();
    const { pairs } = await seed(config.databaseUrl);
    const seedMs = performance.now() - seedStart;
    let app: Awaited<ReturnType<typeof Runtime.start>> | null = null;
    let workers: { close(): Promise<void> } | null = null;
    const children: WorkerProcess[] = [];
    try {
      await sink.reset();
      app = await Runtime.start(config);
      const db = app.db;
      const ledger = async (status: string) =>
        Number((await db.selectFrom('deliveries').select((eb) => eb.fn.countAll().as('n')).where('kind', '=', 'instant').where('status', '=', status).executeTakeFirstOrThrow()).n);
      const notifyQueue = app.producer.queue('notify');
      const jobs = pairs.map((p) => ({ kind: 'instant' as const, companyId: p.firm.id, noticeId: p.noticeId }));
      const workerEnv = {
        NODE_ENV: 'production', PUBLIC_URL, SMTP_URL: sink.url, MAIL_RATE_PER_SECOND: String(values.rate), WORKER_CONCURRENCY: String(CONCURRENCY),
      };
      children.push(...(await Promise.all(Array.from({ length: processes }, () => startWorkerProcess(config, 'error', workerEnv)))));

      const cpuBefore = children.map((c) => c.cpuSeconds());
      const start = performance.now();
      await app.producer.addBulk('notify', jobs);
      const enqueuedMs = performance.now() - start;
      if (processes === 0) workers = startWorkers(app);
      // Done when the ledger has all N marked sent. Counting the ledger scans the table, so
      // wait on the sink's count (over IPC, cheap) first, then poll the ledger closely.
      const timedOut = async () => {
        const counts = await notifyQueue.getJobCounts();
        return new Error(`only ${await ledger('sent')} of ${N} alerts sent within ${TIMEOUT_MS / 1000} s; notify queue: ${JSON.stringify(counts)}; failed in ledger: ${await ledger('failed')}`);
      };
      while ((await sink.stats()).accepted < N) {
        if (performance.now() - start > TIMEOUT_MS) throw await timedOut();
        await sleep(50);
      }
      while ((await ledger('sent')) < N) {
        if (performance.now() - start > TIMEOUT_MS) throw await timedOut();
        await sleep(5);
      }
      const queuedMs = performance.now() - start;
      // Let anything still running finish, then check nothing was sent twice or lost.
      for (let i = 0; i < 100; i++) {
        const c = await notifyQueue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
        if (Object.values(c).every((n) => n === 0)) break;
        await sleep(50);
      }
      const queuedSink = await sink.stats();
      const failedJobs = (await notifyQueue.getJobCounts('failed')).failed;
      const completedJobs = (await notifyQueue.getJobCounts('completed')).completed;
      const attempts = await db.selectFrom('deliveries').select((eb) => [eb.fn.countAll().as('rows'), eb.fn.sum('attempts').as('attempts')]).where('kind', '=', 'instant').executeTakeFirstOrThrow();
      // CPU seconds each worker process used from the queueing to the end (its start-up left out).
      const cpuSeconds = children.map((c, i) => {
        const [now, then] = [c.cpuSeconds(), cpuBefore[i]];
        return now === null || then === null ? null : now - then;
      });
      const label = `${kind === 'sqlite' ? 'SQLite' : 'PostgreSQL'}, ${processes === 0 ? 'workers in this process' : `${processes} worker process${processes > 1 ? 'es' : ''}`}`;
      const problems: string[] = [];
      if (queuedSink.accepted !== N || queuedSink.unique !== N) problems.push(`${label}: the sink accepted ${queuedSink.accepted} messages (${queuedSink.unique} distinct Message-IDs), expected ${N}`);
      if (Number(attempts.rows) !== N) problems.push(`${label}: ledger holds ${attempts.rows} instant deliveries, expected ${N}`);
      if (failedJobs > 0) problems.push(`${label}: ${failedJobs} notify jobs failed for good`);
      return {
        label, ms: queuedMs, perSec: N / (queuedMs / 1000), enqueuedMs, seedMs, sink: queuedSink, failedJobs, completedJobs,
        rows: Number(attempts.rows), attempts: Number(attempts.attempts), cpuSeconds, problems,
      };
    } finally {
      await workers?.close().catch(() => undefined);
      await Promise.all(children.map((c) => c.stop().catch(() => undefined)));
      await app?.stop().catch(() => undefined);
    }
  }

  try {
    // The same messages for the raw baseline, rendered as sendInstantAlert renders them (from a seed of their own).
    const rawSeedStart = performance.now();
    const rawSeed = await seed(await freshDatabase('sqlite'));
    const parsedReasons = JSON.parse(reasons);
    const unsubscribeUrl = (firm: { id: string; email: string }, s: string) =>
      `${PUBLIC_URL}/unsubscribe/${signToken(SECRET, { p: 'unsubscribe', c: firm.id, s, email: firm.email })}`;
    let rawMessages: OutgoingMail[] | null = rawSeed.pairs.map((p, i) => {
      const links = [
        { label: t('sv', 'mail.unsubscribe.one', { name: 'Lokalvård och fastighetsskötsel' }), url: unsubscribeUrl(p.firm, p.firm.subscriptionId) },
        { label: t('sv', 'mail.unsubscribe.all'), url: unsubscribeUrl(p.firm, '*') },
      ];
      const item = { notice: rawSeed.documents.get(p.noticeId)!, reasons: parsedReasons, url: `${PUBLIC_URL}/notices/${p.noticeId}` };
      return {
        to: p.firm.email,
        messageId: `<raw-${i}-${newId()}@brygga>`,
        headers: { 'List-Unsubscribe': `<${links[0].url}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
        ...render('sv', {
          subject: t('sv', 'mail.alert.subject', { title: item.notice.title }), intro: t('sv', 'mail.alert.intro', { company: p.firm.name }),
          company: p.firm.name, sections: [{ heading: null, items: [item], total: 1 }], moreUrl: PUBLIC_URL, unsubscribe: links,
        }),
      };
    });
    const seedMs = performance.now() - rawSeedStart;

    /** Runs `send` over `items` with `CONCURRENCY` sends in flight. */
    const withConcurrency = async <T>(items: T[], send: (item: T) => Promise<void>) => {
      let next = 0;
      await Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length) }, async () => {
        while (next < items.length) await send(items[next++]);
      }));
    };

    // --- raw baseline: nodemailer pool, no queue, no database ------------------
    // A plain pooled transport with the pool settings of src/mail/mailer.ts. (Options go in
    // the first argument: createTransport(url, options) would take them as message defaults.)
    const transport = nodemailer.createTransport({ url: sink.url, pool: true, maxConnections: RAW_POOL.maxConnections });
    const from = loadConfig({ ...baseEnv, DATABASE_URL: `file:${join(dir, 'unused.db')}` }).mail.from;
    const mailer = { send: async (m: OutgoingMail) => void (await transport.sendMail({ from, ...m })), close: () => transport.close() };
    let raw: { ms: number; perSec: number; sink: SinkStats } | null = null;
    try {
      if (WARMUP > 0) await withConcurrency(rawMessages.slice(0, WARMUP).map((m) => ({ ...m, messageId: `<warm-${newId()}@brygga>` })), (m) => mailer.send(m));
      if (!values['skip-raw']) {
        await sink.reset();
        const start = performance.now();
        await withConcurrency(rawMessages, (m) => mailer.send(m));
        const ms = performance.now() - start;
        raw = { ms, perSec: N / (ms / 1000), sink: await sink.stats() };
      }
    } finally {
      mailer.close();
    }
    rawMessages = null;

    // --- queued: the app's real path, per database; with --workers, 1 and n worker processes too ---
    const kinds: ('sqlite' | 'postgres')[] = values.database ? ['sqlite', 'postgres'] : ['sqlite'];
    const phases: Record<string, { inProcess: Awaited<ReturnType<typeof queuedPhase>>; oneProcess?: Awaited<ReturnType<typeof queuedPhase>>; processes?: Awaited<ReturnType<typeof queuedPhase>> }> = {};
    for (const kind of kinds) {
      const inProcess = await queuedPhase(kind, 0);
      phases[kind] = { inProcess };
      if (PROCESSES > 0) {
        phases[kind].oneProcess = await queuedPhase(kind, 1);
        phases[kind].processes = await queuedPhase(kind, PROCESSES);
      }
    }

    const queued = phases.sqlite.inProcess;
    const overheadVsRaw = raw ? raw.perSec / queued.perSec : null;
    const problems = Object.values(phases).flatMap((p) => [p.inProcess, p.oneProcess, p.processes]).flatMap((p) => p?.problems ?? []);
    if (raw && (raw.sink.accepted !== N || raw.sink.unique !== N)) problems.push(`raw phase: the sink accepted ${raw.sink.accepted} messages (${raw.sink.unique} distinct Message-IDs), expected ${N}`);
    const figures = (kind: string) => {
      const p = phases[kind];
      if (!p) return null;
      return {
        emailsPerSec: Math.round(p.inProcess.perSec),
        overheadVsRaw: raw ? Number((raw.perSec / p.inProcess.perSec).toFixed(3)) : null,
        ...(p.oneProcess && p.processes ? {
          oneProcessEmailsPerSec: Math.round(p.oneProcess.perSec),
          processes: PROCESSES,
          processesEmailsPerSec: Math.round(p.processes.perSec),
          /** n worker processes against one, same run. */
          processesRatio: Number((p.processes.perSec / p.oneProcess.perSec).toFixed(3)),
        } : {}),
      };
    };

    const result = {
      emailsPerSec: Math.round(queued.perSec),
      overheadVsRaw: overheadVsRaw === null ? null : Number(overheadVsRaw.toFixed(3)),
      rawEmailsPerSec: raw ? Math.round(raw.perSec) : null,
      sqlite: figures('sqlite'),
      postgres: figures('postgres'),
    };
    say(`bench:notify — ${fmt(N)} instant alerts (${FIRMS} confirmed firms × ${NOTICES} notices) to a loopback SMTP sink in a child process`);
    say(`  worker concurrency ${CONCURRENCY}, MAIL_RATE_PER_SECOND ${values.rate}, raw baseline pooled, ${RAW_POOL.maxConnections} connections; Redis ${redis.url}; seeding took ${fmt(seedMs)} ms; an empty database per phase`);
    if (raw) say(`  raw nodemailer (no queue, no DB)   ${fmt(raw.perSec)} e-mails/s  (${fmt(raw.ms)} ms, sink got ${fmt(raw.sink.accepted)}, ${fmt(raw.sink.bytes / Math.max(1, raw.sink.accepted))} bytes each)`);
    for (const [kind, p] of Object.entries(phases)) {
      for (const phase of [p.inProcess, p.oneProcess, p.processes]) {
        if (!phase) continue;
        say(`  BullMQ → ledger → SMTP, ${phase.label.padEnd(44)} ${fmt(phase.perSec).padStart(6)} e-mails/s  (${fmt(phase.ms)} ms incl. ${fmt(phase.enqueuedMs)} ms addBulk; ` +
          `ledger ${phase.rows} deliveries, ${phase.attempts} attempts; jobs completed ${phase.completedJobs}, failed ${phase.failedJobs}` +
          `${phase.cpuSeconds.length ? `; CPU s per worker process during the phase ${phase.cpuSeconds.map((c) => c?.toFixed(1) ?? '?').join(', ')}` : ''})`);
      }
      const f = figures(kind)!;
      if (f.overheadVsRaw !== null) say(`    ${kind === 'sqlite' ? 'SQLite' : 'PostgreSQL'}: queue overhead raw / queued = ${f.overheadVsRaw.toFixed(2)}×` +
        (f.processesRatio !== undefined ? `; ${PROCESSES} worker processes / 1 = ${f.processesRatio.toFixed(2)}×` : ''));
    }
    say(`  targets (SQLite, workers in process): ≥ ${TARGETS.emailsPerSec} e-mails/s ${result.emailsPerSec >= TARGETS.emailsPerSec ? 'MET' : 'MISSED'}` +
      (overheadVsRaw === null ? '' : `, overhead ≤ ${TARGETS.overheadVsRaw}× ${overheadVsRaw <= TARGETS.overheadVsRaw ? 'MET' : 'MISSED'}`));
    if (Number(values.rate) < TARGETS.emailsPerSec) say(`  (capped on purpose: the worker limiter allows ${values.rate} e-mails/s; --rate sets it)`);
    for (const p of problems) say(`  PROBLEM: ${p}`);
    if (values.json) console.log(JSON.stringify(result));
    if (problems.length) process.exitCode = 1;
  } finally {
    for (const prefix of prefixes) await redisHelpers.deletePrefix(redis.url, prefix);
    for (const drop of dropSchemas) await drop().catch(() => undefined);
    await sink.close();
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function* chunks<T>(items: T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

/** A fictitious but valid organisationsnummer (Luhn check digit) per index. */
function orgNumber(i: number): string {
  const stem = `5591${String(30000 + i).padStart(5, '0')}`;
  let sum = 0;
  for (let k = 0; k < 9; k++) {
    const d = Number(stem[k]) * (k % 2 === 0 ? 2 : 1);
    sum += d > 9 ? d - 9 : d;
  }
  return `${stem}${(10 - (sum % 10)) % 10}`;
}
