// What every drill shares: its own Redis, database (a SQLite file unless
// given), queue prefix and SMTP sink; the real API (WORKERS=off) and workers
// as separate processes, one of each unless told; 100 confirmed firms with
// instant subscriptions, registered through the API; and the check at the
// end: every expected alert sent once, nothing stuck, ready.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { simpleParser } from 'mailparser';
import { CompiledQuery } from 'kysely';
import { isPostgres, openDatabase, type Db } from '../../db/database.ts';
import { addUser, createApiToken } from '../../src/accounts/accounts.service.ts';
import { luhnCheckDigit } from '../../src/domain/orgnr.ts';
import { answers, freePort } from '../lib/redis.ts';
import { startSink, type Sink } from './smtp-sink.ts';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
export const FIRMS = 100;
export const NOTICES = 200;
/** Firms are spread over these CPV divisions, five to a division; each notice falls in one: 5 alerts a notice. */
export const DIVISIONS = ['09000000', '14000000', '15000000', '18000000', '22000000', '30000000', '31000000', '33000000', '34000000', '39000000',
  '42000000', '44000000', '45000000', '48000000', '50000000', '55000000', '60000000', '71000000', '72000000', '90000000'];
/** A division no firm has: notices that alert nobody (bulk imports beside the alerts). */
export const UNWATCHED = '03000000';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function until<T>(check: () => Promise<T | false | undefined> | T | false | undefined, timeoutMs: number, what: string): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(200);
  }
}

// --- processes ------------------------------------------------------------

export type Proc = { name: string; child: ChildProcess; exited: Promise<number | null>; alive(): boolean };

/** A Brygga entry point (`src/main.ts`, `workers/main.ts`, a script) as its own process, its output appended to a log file. */
export function spawnNode(name: string, entry: string, args: string[], env: Record<string, string>, log: string): Proc {
  const fd = openSync(log, 'a');
  const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args], { cwd: REPO, env: { ...process.env, ...env }, stdio: ['ignore', fd, fd] });
  let running = true;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code, signal) => {
    running = false;
    resolve(code ?? (signal ? -1 : null));
  }));
  return { name, child, exited, alive: () => running };
}

/** Sends a signal and waits for the exit; the time it took, in ms. */
export async function stopProc(p: Proc, signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 30_000): Promise<{ code: number | null; ms: number }> {
  const started = Date.now();
  if (!p.alive()) return { code: await p.exited, ms: 0 };
  p.child.kill(signal);
  const code = await Promise.race([p.exited, sleep(timeoutMs).then(() => 'timeout' as const)]);
  if (code === 'timeout') {
    p.child.kill('SIGKILL');
    throw new Error(`${p.name} did not exit within ${timeoutMs} ms of ${signal}`);
  }
  return { code, ms: Date.now() - started };
}

// --- Redis of the drill's own ---------------------------------------------

export type DrillRedis = { url: string; stop(keepData: boolean): Promise<void>; start(): Promise<void> };

/** A redis-server on a free port with its data in `dir`; stopping with keepData saves it (SHUTDOWN SAVE), without it the data is gone. */
export async function startRedis(dir: string): Promise<DrillRedis> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;
  const start = async () => {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    await until(() => answers(url), 10_000, 'redis-server');
  };
  await start();
  return {
    url,
    start,
    async stop(keepData) {
      const redis = new Redis(url, { maxRetriesPerRequest: 0, retryStrategy: () => null });
      redis.on('error', () => undefined);
      const exited = new Promise((r) => child!.once('exit', r));
      await redis.call('SHUTDOWN', keepData ? 'SAVE' : 'NOSAVE').catch(() => undefined);
      redis.disconnect();
      await exited;
      if (!keepData) rmSync(join(dir, 'dump.rdb'), { force: true });
    },
  };
}

// --- the stack --------------------------------------------------------------

export type StackOptions = {
  /** Extra environment for every process. */
  env?: Record<string, string>;
  /** Mail as .eml files to this folder instead of SMTP to the sink. */
  fileOutbox?: string;
  /** The database (default: a SQLite file of the stack's own). */
  databaseUrl?: string;
  /** API processes (default 1); notices are published through each in turn. */
  apis?: number;
  /** Worker processes (default 1). */
  workers?: number;
  /** Firms registered (default FIRMS), spread evenly over DIVISIONS. */
  firms?: number;
};

export type Pair = { companyId: string; noticeId: string };

export class Stack {
  readonly apis: Proc[] = [];
  readonly workerProcs: Proc[] = [];
  token = '';
  firms: { id: string; email: string; division: string }[] = [];
  private queues = new Map<string, Queue>();
  private database: Db | null = null;
  /** The relay connections of the workers killed (kill()): the last e-mail each carried may be in flight (see Figures). */
  private cutConnections: string[] = [];
  private constructor(
    readonly name: string, readonly dir: string, readonly redis: DrillRedis, readonly sink: Sink,
    readonly env: Record<string, string>, readonly opts: StackOptions, private readonly ports: number[],
  ) {}

  /** Kills a worker process with SIGKILL, noting its connections to the relay; how many it had. */
  async kill(worker: Proc): Promise<number> {
    const cut = this.sink.connectionsFrom(clientPorts(worker, Number(new URL(this.sink.url).port)));
    this.cutConnections.push(...cut);
    await stopProc(worker, 'SIGKILL');
    return cut.length;
  }

  /** The first API process. */
  get api(): Proc { return this.apis[0]; }
  /** The worker process started last. */
  get workers(): Proc { return this.workerProcs[this.workerProcs.length - 1]; }
  get apiUrl(): string { return this.urlOf(0); }
  private urlOf(api: number): string { return `http://127.0.0.1:${this.ports[api]}`; }

  static async start(name: string, opts: StackOptions = {}): Promise<Stack> {
    const dir = mkdtempSync(`/tmp/drills-${name}-`);
    const redis = await startRedis(dir);
    const sink = await startSink();
    const ports: number[] = [];
    for (let i = 0; i < (opts.apis ?? 1); i++) ports.push(await freePort());
    const env: Record<string, string> = {
      // Links in e-mail point at the first API; any API serves them.
      NODE_ENV: 'development', HOST: '127.0.0.1', PUBLIC_URL: `http://127.0.0.1:${ports[0]}`,
      DATABASE_URL: opts.databaseUrl ?? `file:${join(dir, 'brygga.db')}`, REDIS_URL: redis.url,
      QUEUE_PREFIX: `drill-${name}-${process.pid}`, WORKERS: 'off', SEED_DEMO: 'false',
      SECRET_KEY: 'drill-secret-drill-secret-drill-secret-0123', LOG_LEVEL: 'warn',
      MAIL_TRANSPORT: opts.fileOutbox ? 'file' : 'smtp', SMTP_URL: sink.url, MAIL_OUTBOX_DIR: opts.fileOutbox ?? join(dir, 'outbox'),
      MAIL_RATE_PER_SECOND: '1000',
      // Faster recovery than production's defaults, so a drill takes seconds: retries from
      // 0.5 s (doubling), a dead worker's jobs taken over after 5 s, reconciliation every 5 s.
      QUEUE_BACKOFF_MS: '500', WORKER_LOCK_MS: '5000', SHUTDOWN_TIMEOUT_MS: '5000',
      RECONCILE_EVERY_MS: '5000', RECONCILE_GRACE_MS: '2000',
      RATE_LIMIT_REGISTER_PER_CLIENT: '1000/1h',
      MEILI_URL: '', ...opts.env,
    };
    const stack = new Stack(name, dir, redis, sink, env, opts, ports);
    // The first API migrates the database; the others start after it.
    for (let i = 0; i < ports.length; i++) await stack.startApi({}, i);
    await stack.createAdmin();
    for (let i = 0; i < (opts.workers ?? 1); i++) await stack.startWorkers();
    await stack.seedFirms(opts.firms ?? FIRMS);
    return stack;
  }

  /** Starts API process `index` (again, after it was stopped); the time until it was ready. */
  startApi(extra: Record<string, string> = {}, index = 0): Promise<number> {
    this.apis[index] = spawnNode(`api${index}`, 'src/main.ts', [], { ...this.env, PORT: String(this.ports[index]), ...extra }, join(this.dir, `api${index}.log`));
    return this.waitReady(60_000, index);
  }

  /** Starts one more worker process. */
  async startWorkers(): Promise<void> {
    this.workerProcs.push(spawnNode(`workers${this.workerProcs.length}`, 'workers/main.ts', [], this.env, join(this.dir, `workers${this.workerProcs.length}.log`)));
    // Ready when each live process's workers are connected to the queues (BullMQ names their Redis connections).
    const alive = () => this.workerProcs.filter((p) => p.alive()).length;
    await until(async () => this.workers.alive() && (await this.queue('notify').getWorkers()).length >= alive(), 30_000, `${this.name}: workers`);
  }

  async readyz(api = 0): Promise<number> {
    try {
      return (await fetch(`${this.urlOf(api)}/readyz`, { signal: AbortSignal.timeout(2000) })).status;
    } catch {
      return 0;
    }
  }

  /** Until /readyz answers 200; the time it took. */
  async waitReady(timeoutMs = 60_000, api = 0): Promise<number> {
    const started = Date.now();
    await until(async () => (await this.readyz(api)) === 200, timeoutMs, `${this.name}: api${api} /readyz 200`);
    return Date.now() - started;
  }

  private async createAdmin() {
    const db = openDatabase(this.env.DATABASE_URL);
    try {
      const id = await addUser(db, { email: 'drill-admin@drill.test', roles: ['admin'] });
      this.token = (await createApiToken(db, id, 'drills')).token;
    } finally {
      await db.destroy();
    }
  }

  async call(method: string, path: string, body?: unknown, api = 0): Promise<{ status: number; body: { id?: string } }> {
    const res = await fetch(`${this.urlOf(api)}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    return { status: res.status, body: (res.headers.get('content-type') ?? '').includes('json') ? JSON.parse(text) : text };
  }

  /** The firms register through the API and confirm from the e-mail, as their owners would. */
  private async seedFirms(count: number) {
    this.sink.collecting = true;
    for (let k = 0; k < count; k++) {
      const stem = `5592${String(20000 + k).padStart(5, '0')}`;
      const email = `firm${k}@drill.test`;
      const division = DIVISIONS[k % DIVISIONS.length];
      const res = await this.call('POST', '/api/companies', {
        orgNumber: `${stem.slice(0, 6)}-${stem.slice(6)}${luhnCheckDigit(stem)}`, name: `Drill firm ${k}`, email, municipalityCode: '1441', categories: [division],
      });
      if (res.status !== 201) throw new Error(`registering firm ${k}: ${res.status} ${JSON.stringify(res.body)}`);
      this.firms.push({ id: res.body.id!, email, division });
    }
    const links = await until(async () => {
      const found = await this.confirmationLinks();
      return found.size >= count && found;
    }, 60_000, 'confirmation e-mails');
    for (const firm of this.firms) {
      const res = await fetch(links.get(firm.email)!, { method: 'POST' });
      if (res.status !== 200) throw new Error(`confirming ${firm.email}: ${res.status}`);
    }
    this.sink.collecting = false;
    await this.settle(60_000);
  }

  /** Address → confirmation link, from the sink or the .eml files. */
  private async confirmationLinks(): Promise<Map<string, string>> {
    const texts = [...this.sink.confirmations];
    if (this.opts.fileOutbox && existsSync(this.opts.fileOutbox)) {
      for (const file of readdirSync(this.opts.fileOutbox)) {
        const parsed = await simpleParser(readFileSync(join(this.opts.fileOutbox, file)));
        const to = Array.isArray(parsed.to) ? parsed.to[0] : parsed.to;
        if (/Bekräfta|Confirm/.test(parsed.subject ?? '')) texts.push({ to: to?.value[0]?.address ?? '', text: parsed.text ?? '' });
      }
    }
    const links = new Map<string, string>();
    for (const { to, text } of texts) {
      const link = text.match(new RegExp(`${this.apiUrl.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/confirm/\\S+`))?.[0];
      if (link) links.set(to, link);
    }
    return links;
  }

  /** Publishes notice `i` (of division i mod 20) as an officer would, through the APIs in turn; the status code (0: no answer). */
  async publish(i: number): Promise<number> {
    try {
      const res = await this.call('POST', '/api/notices', {
        reference: `DRILL ${i}`, title: `Drillupphandling ${i}`, buyer: { name: 'Lerums kommun', orgNumber: '212000-1447' },
        cpv: { main: DIVISIONS[i % DIVISIONS.length] }, deadline: new Date(Date.now() + 30 * 86_400_000).toISOString(),
      }, i % this.ports.length);
      return res.status;
    } catch {
      return 0;
    }
  }

  /** Publishes notices from..to-1 one after another; calls `at(i)` before each (to inject a fault mid-run). */
  async publishAll(from = 0, to = NOTICES, at?: (i: number) => Promise<void>, took?: (ms: number) => void): Promise<number[]> {
    const failures: number[] = [];
    for (let i = from; i < to; i++) {
      await at?.(i);
      const t0 = Date.now();
      const status = await this.publish(i);
      took?.(Date.now() - t0);
      if (status !== 201 && status !== 200) failures.push(status);
    }
    return failures;
  }

  /** The rows a query on the stack's database gives (SQLite or PostgreSQL; `?` for each of `values`). */
  async query<T>(text: string, ...values: unknown[]): Promise<T[]> {
    const db = (this.database ??= openDatabase(this.env.DATABASE_URL));
    let n = 0;
    const statement = isPostgres(db) ? text.replace(/\?/g, () => `$${++n}`) : text;
    return (await db.executeQuery(CompiledQuery.raw(statement, values))).rows as T[];
  }

  /** The number a `select count(*) n …` query gives. */
  async count(text: string, ...values: unknown[]): Promise<number> {
    return (await this.query<{ n: number }>(text, ...values))[0].n;
  }

  /** Every (firm, notice) that should be alerted: each stored drill notice, to the firms of its division (minus `except`). */
  async expected(except: Set<string> = new Set()): Promise<Pair[]> {
    const notices = await this.query<{ id: string; code: string }>(`select n.id, c.code from notices n join notice_cpv c on c.notice_id = n.id and c.is_main = 1`);
    return notices.flatMap((n) => this.firms.filter((f) => f.division === n.code && !except.has(f.id)).map((f) => ({ companyId: f.id, noticeId: n.id })));
  }

  queue(name: string): Queue {
    let q = this.queues.get(name);
    if (!q) {
      q = new Queue(name, { connection: { url: this.redis.url, maxRetriesPerRequest: 1 }, prefix: this.env.QUEUE_PREFIX });
      q.on('error', () => undefined); // Redis down on purpose
      this.queues.set(name, q);
    }
    return q;
  }

  /** Work not done: outbox rows not relayed, ledger rows pending or being sent, jobs waiting, running or delayed. */
  async stuck(): Promise<number> {
    const outbox = await this.count('select count(*) n from outbox where relayed_at is null');
    const ledger = await this.count(`select count(*) n from deliveries where status in ('pending', 'sending')`);
    let jobs = 0;
    for (const name of ['index', 'match', 'backfill', 'notify', 'account']) {
      const counts = await Promise.race([this.queue(name).getJobCounts('waiting', 'active', 'delayed', 'prioritized'), sleep(2000).then(() => ({ timeout: 1 }))]);
      jobs += Object.values(counts).reduce((a, b) => a + b, 0);
    }
    return outbox + ledger + jobs;
  }

  async settle(timeoutMs: number) {
    await until(async () => (await this.stuck()) === 0, timeoutMs, `${this.name}: queues idle`);
  }

  /** Instant alerts in the ledger marked sent. */
  sentCount(): Promise<number> {
    return this.count(`select count(*) n from deliveries where kind = 'instant' and status = 'sent'`);
  }

  /** How many times each Message-ID arrived (SMTP sink), or 1 per .eml file (file outbox: the name is the Message-ID). */
  private arrivals(): Map<string, number> {
    if (!this.opts.fileOutbox) return this.sink.byMessageId;
    return new Map(readdirSync(this.opts.fileOutbox).filter((f) => f.endsWith('.eml')).map((f) => [`<${f.slice(0, -4)}>`, 1]));
  }

  /**
   * Waits until every expected alert is in the ledger as sent and arrived,
   * nothing is stuck and /readyz is 200; returns the figures either way.
   */
  async verify(expectedPairs: Pair[], timeoutMs = 90_000, ignore: Set<string> = new Set()): Promise<Figures> {
    const started = Date.now();
    let figures = await this.figures(expectedPairs, ignore);
    while (!figures.ok && Date.now() - started < timeoutMs) {
      await sleep(500);
      figures = await this.figures(expectedPairs, ignore);
    }
    return { ...figures, recoverMs: Date.now() - started };
  }

  /** `ignore`: firms whose alerts are judged by the drill itself (e.g. an address the relay rejects). */
  async figures(expectedPairs: Pair[], ignore: Set<string> = new Set()): Promise<Figures> {
    const rows = await this.query<{ id: string; company_id: string; ref: string; status: string }>(`select id, company_id, ref, status from deliveries where kind = 'instant'`);
    const arrivals = this.arrivals();
    const wanted = new Set(expectedPairs.map((p) => `${p.companyId}/${p.noticeId}`));
    let sent = 0;
    let unexpected = 0;
    for (const row of rows) {
      if (ignore.has(row.company_id)) continue;
      const key = `${row.company_id}/${row.ref}`;
      const arrived = (arrivals.get(`<${row.id}@brygga>`) ?? 0) > 0;
      if (wanted.has(key) && row.status === 'sent' && arrived) sent++;
      else if (!wanted.has(key) && row.status === 'sent') unexpected++;
    }
    const cut = new Set(this.cutConnections.map((c) => this.sink.lastTakenOn(c)));
    let duplicates = 0;
    let inFlight = 0;
    for (const [id, n] of arrivals) {
      if (n < 2) continue;
      // Sent again once at most: the copy after that is a duplicate like any other.
      if (cut.has(id)) inFlight += 1;
      duplicates += n - 1 - (cut.has(id) ? 1 : 0);
    }
    const stuck = await this.stuck();
    const ready = (await Promise.all(this.ports.map((_, i) => this.readyz(i)))).every((status) => status === 200);
    const ok = sent === wanted.size && duplicates === 0 && unexpected === 0 && stuck === 0 && ready;
    return { ok, expected: wanted.size, sent, duplicates, inFlight, unexpected, stuck, ready, recoverMs: 0 };
  }

  /** For each e-mail that arrived more than once (the first few): when, relative to `since`, and what its ledger row says. */
  async duplicated(since: number, limit = 5): Promise<string[]> {
    const ids = [...this.sink.arrivedAt].filter(([, times]) => times.length > 1).slice(0, limit);
    const lines: string[] = [];
    for (const [messageId, times] of ids) {
      const id = messageId.replace(/^<|@brygga>$/g, '');
      const [row] = await this.query<{ kind: string; status: string; attempts: number }>('select kind, status, attempts from deliveries where id = ?', id);
      lines.push(`duplicate ${messageId}: arrived at ${times.map((t) => `${((t - since) / 1000).toFixed(2)} s`).join(', ')}; ledger ${row ? `${row.kind} ${row.status}, ${row.attempts} attempts` : 'none'}`);
    }
    return lines;
  }

  async stop(): Promise<void> {
    for (const q of this.queues.values()) await q.close().catch(() => undefined);
    for (const p of [...this.apis, ...this.workerProcs]) if (p.alive()) await stopProc(p, 'SIGKILL').catch(() => undefined);
    await this.database?.destroy();
    await this.redis.stop(false).catch(() => undefined);
    await this.sink.close();
    if (!process.env.DRILLS_KEEP) rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * `inFlight`: e-mails sent again once whose first copy was the last the relay
 * took on a connection of a worker that was then killed. SMTP has no way to
 * ask a relay whether it has a message (RFC 1047): between the relay taking
 * the message and the worker's SMTP thread hearing the 250 and setting the
 * sent mark (a few ms, tens on a loaded machine), a kill leaves no trace. At
 * most one per pooled connection; the copies carry the same Message-ID, which
 * mail clients fold. Any other repeat is a `duplicate` and fails the drill.
 */
export type Figures = { ok: boolean; expected: number; sent: number; duplicates: number; inFlight: number; unexpected: number; stuck: number; ready: boolean; recoverMs: number };

/**
 * The local ports of a process's TCP connections to a port on this machine,
 * from /proc (Linux): its sockets' inodes, found in the connection table.
 * Elsewhere none, and every repeat counts as a duplicate.
 */
function clientPorts(p: Proc, remotePort: number): Set<number> {
  const ports = new Set<number>();
  try {
    const fds = readdirSync(`/proc/${p.child.pid}/fd`);
    const inodes = new Set(fds.map((fd) => /^socket:\[(\d+)\]$/.exec(readlinkSafe(`/proc/${p.child.pid}/fd/${fd}`))?.[1]).filter(Boolean));
    for (const table of ['tcp', 'tcp6']) {
      for (const line of readFileSync(`/proc/${p.child.pid}/net/${table}`, 'utf8').split('\n').slice(1)) {
        // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
        const fields = line.trim().split(/\s+/);
        if (fields.length < 10 || !inodes.has(fields[9])) continue;
        if (parseInt(fields[2].split(':')[1], 16) === remotePort) ports.add(parseInt(fields[1].split(':')[1], 16));
      }
    }
  } catch {
    // No /proc: nothing is taken for in flight.
  }
  return ports;
}

const readlinkSafe = (path: string) => {
  try {
    return readlinkSync(path);
  } catch {
    return ''; // closed meanwhile
  }
};
