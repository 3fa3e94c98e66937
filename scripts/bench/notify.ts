// npm run bench:notify [-- --alerts 10000] [--firms 100] [--concurrency 50] [--rate 10000] [--json]
// Sends N instant alerts through the real notification path — BullMQ job →
// ledger claim → render → nodemailer SMTP pool → ledger mark — to a loopback
// SMTP sink, and compares the rate with the same number of raw nodemailer sends
// of the same (pre-rendered) messages, same pool and same concurrency, without
// queue or database. The sink runs in a child process, so it does not share the
// measured event loop, and counts what it accepted: each phase must deliver
// exactly N messages with N distinct Message-IDs.
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
    },
  });
  const N = Number(values.alerts);
  const FIRMS = Math.min(Number(values.firms), N);
  const NOTICES = Math.ceil(N / FIRMS);
  const CONCURRENCY = Number(values.concurrency);
  const WARMUP = Number(values.warmup);
  const TIMEOUT_MS = Number(values.timeout) * 1000;
  const TARGETS = { emailsPerSec: 500, overheadVsRaw: 2 };
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
  type OutgoingMail = import('../../src/mail/mailer.ts').OutgoingMail;

  const say = (line = '') => console.log(line);
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const PUBLIC_URL = 'https://brygga.lerum.se';
  const SECRET = 'bench-secret-bench-secret-bench-secret-01';

  const redis = await redisHelpers.testRedis();
  const prefix = redisHelpers.uniquePrefix('bench-notify');
  const dir = mkdtempSync(join(tmpdir(), 'brygga-bench-notify-'));
  const sink = await startSink();
  const config = loadConfig({
    NODE_ENV: 'production',
    DATABASE_URL: `file:${join(dir, 'brygga.db')}`,
    REDIS_URL: redis.url,
    QUEUE_PREFIX: prefix,
    WORKERS: 'off',
    WORKER_CONCURRENCY: String(CONCURRENCY),
    MAIL_TRANSPORT: 'smtp',
    SMTP_URL: sink.url,
    MAIL_RATE_PER_SECOND: String(values.rate),
    PUBLIC_URL,
    SECRET_KEY: SECRET,
    SEED_DEMO: 'false',
    LOG_LEVEL: 'silent',
  });
  let app: Awaited<ReturnType<typeof Runtime.start>> | null = null;
  let workers: { close(): Promise<void> } | null = null;

  try {
    // --- seed: FIRMS confirmed firms × NOTICES notices, a match row per pair -----
    const seedStart = performance.now();
    const seedDb = openDatabase(config.databaseUrl);
    await migrateToLatest(seedDb);
    const now = nowIso();
    const firms = Array.from({ length: FIRMS }, (_, i) => ({
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
    const reasons = JSON.stringify([
      { code: 'cpv', sv: 'CPV 90911200 (Städning av byggnader) matchar din kategori 90910000', en: 'CPV 90911200 (Building-cleaning services) matches your category 90910000' },
      { code: 'local', sv: 'Utförs i Lerums kommun, där ni har ert säte', en: 'Performed in Lerum, where you are based' },
      { code: 'requirement-met', sv: 'Kräver ISO 14001 eller EMAS – finns i din profil', en: 'Requires ISO 14001 or EMAS – in your profile' },
    ]);
    // N pairs, firm-major within each notice, as the match worker enqueues them.
    const pairs: { firm: (typeof firms)[number]; noticeId: string }[] = [];
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

    // The same messages for the raw baseline, rendered as sendInstantAlert renders them.
    const noticeRows = await seedDb.selectFrom('notices').selectAll().execute();
    const documents = new Map(noticeRows.map((row) => [row.id, { id: row.id, ...repo.storedDocument(row) }]));
    await seedDb.destroy();
    const parsedReasons = JSON.parse(reasons);
    const unsubscribeUrl = (firm: { id: string; email: string }, s: string) =>
      `${PUBLIC_URL}/unsubscribe/${signToken(SECRET, { p: 'unsubscribe', c: firm.id, s, email: firm.email })}`;
    let rawMessages: OutgoingMail[] | null = pairs.map((p, i) => {
      const links = [
        { label: t('sv', 'mail.unsubscribe.one', { name: 'Lokalvård och fastighetsskötsel' }), url: unsubscribeUrl(p.firm, p.firm.subscriptionId) },
        { label: t('sv', 'mail.unsubscribe.all'), url: unsubscribeUrl(p.firm, '*') },
      ];
      const item = { notice: documents.get(p.noticeId)!, reasons: parsedReasons, url: `${PUBLIC_URL}/notices/${p.noticeId}` };
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
    const seedMs = performance.now() - seedStart;

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
    const mailer = { send: async (m: OutgoingMail) => void (await transport.sendMail({ from: config.mail.from, ...m })), close: () => transport.close() };
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

    // --- queued: the app's real path -------------------------------------------
    await sink.reset();
    app = await Runtime.start(config);
    const db = app.db;
    const ledger = async (status: string) =>
      Number((await db.selectFrom('deliveries').select((eb) => eb.fn.countAll().as('n')).where('kind', '=', 'instant').where('status', '=', status).executeTakeFirstOrThrow()).n);
    const notifyQueue = app.producer.queue('notify');
    const jobs = pairs.map((p) => ({ kind: 'instant' as const, companyId: p.firm.id, noticeId: p.noticeId }));

    const start = performance.now();
    await app.producer.addBulk('notify', jobs);
    const enqueuedMs = performance.now() - start;
    workers = startWorkers(app);
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
    await workers.close();
    await app.stop();
    app = null;

    const queued = { ms: queuedMs, perSec: N / (queuedMs / 1000) };
    const overheadVsRaw = raw ? raw.perSec / queued.perSec : null;
    const problems: string[] = [];
    if (queuedSink.accepted !== N || queuedSink.unique !== N) problems.push(`queued phase: the sink accepted ${queuedSink.accepted} messages (${queuedSink.unique} distinct Message-IDs), expected ${N}`);
    if (raw && (raw.sink.accepted !== N || raw.sink.unique !== N)) problems.push(`raw phase: the sink accepted ${raw.sink.accepted} messages (${raw.sink.unique} distinct Message-IDs), expected ${N}`);
    if (Number(attempts.rows) !== N) problems.push(`ledger holds ${attempts.rows} instant deliveries, expected ${N}`);
    if (failedJobs > 0) problems.push(`${failedJobs} notify jobs failed for good`);

    const result = {
      emailsPerSec: Math.round(queued.perSec),
      overheadVsRaw: overheadVsRaw === null ? null : Number(overheadVsRaw.toFixed(3)),
    };
    say(`bench:notify — ${fmt(N)} instant alerts (${FIRMS} confirmed firms × ${NOTICES} notices) to a loopback SMTP sink in a child process`);
    say(`  worker concurrency ${CONCURRENCY}, MAIL_RATE_PER_SECOND ${config.mail.ratePerSecond}, raw baseline pooled, ${RAW_POOL.maxConnections} connections; Redis ${redis.url}; seeding took ${fmt(seedMs)} ms`);
    if (raw) say(`  raw nodemailer (no queue, no DB)   ${fmt(raw.perSec)} e-mails/s  (${fmt(raw.ms)} ms, sink got ${fmt(raw.sink.accepted)}, ${fmt(raw.sink.bytes / Math.max(1, raw.sink.accepted))} bytes each)`);
    say(`  BullMQ → ledger → SMTP (real path)  ${fmt(queued.perSec)} e-mails/s  (${fmt(queued.ms)} ms incl. ${fmt(enqueuedMs)} ms addBulk, sink got ${fmt(queuedSink.accepted)}, ${fmt(queuedSink.bytes / Math.max(1, queuedSink.accepted))} bytes each)`);
    say(`  ledger: ${attempts.rows} deliveries, ${attempts.attempts} attempts; notify jobs completed ${completedJobs}, failed ${failedJobs}`);
    if (overheadVsRaw !== null) say(`  queue overhead: raw / queued = ${overheadVsRaw.toFixed(2)}×`);
    say(`  targets: ≥ ${TARGETS.emailsPerSec} e-mails/s ${result.emailsPerSec >= TARGETS.emailsPerSec ? 'MET' : 'MISSED'}` +
      (overheadVsRaw === null ? '' : `, overhead ≤ ${TARGETS.overheadVsRaw}× ${overheadVsRaw <= TARGETS.overheadVsRaw ? 'MET' : 'MISSED'}`));
    if (config.mail.ratePerSecond < TARGETS.emailsPerSec) say(`  (capped on purpose: the worker limiter allows ${config.mail.ratePerSecond} e-mails/s; --rate sets it)`);
    for (const p of problems) say(`  PROBLEM: ${p}`);
    if (values.json) console.log(JSON.stringify(result));
    if (problems.length) process.exitCode = 1;
  } finally {
    await workers?.close().catch(() => undefined);
    await app?.stop().catch(() => undefined);
    await redisHelpers.deletePrefix(redis.url, prefix);
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
