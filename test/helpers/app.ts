// A fresh Brygga for one test file: its own database (a SQLite file, or a
// PostgreSQL schema with TEST_DATABASE=postgres), its own queue prefix,
// real Redis, real SMTP (or the file outbox), listening on a free port, with
// its workers in the same process (as `npm start` runs them) unless WORKERS=off.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { addUser, createApiToken } from '../../src/accounts/accounts.service.ts';
import { HttpServer } from '../../src/app.ts';
import type { RouteInfo } from '../../src/http/secured-router.ts';
import { loadConfig } from '../../src/config.ts';
import { QUEUES } from '../../src/queue/jobs.ts';
import { Runtime } from '../../src/runtime.ts';
import { startWorkers, type Workers } from '../../workers/start.ts';
import { testDatabase } from './database.ts';
import { deletePrefix, testRedis, uniquePrefix } from './redis.ts';

/** The runtime, its web server and its workers, composed as src/main.ts does; workers can be stopped and started again. */
export class App {
  private workers: Workers | null = null;
  private constructor(readonly rt: Runtime, private readonly server: HttpServer, readonly adminToken: string) {}

  /** With an admin and its API token, which `api()` uses unless told otherwise. */
  static async start(rt: Runtime): Promise<App> {
    const admin = await addUser(rt.db, { email: 'admin@brygga.test', roles: ['admin'] });
    const { token } = await createApiToken(rt.db, admin, 'tests');
    const app = new App(rt, await HttpServer.listen(rt), token);
    if (rt.config.workers === 'inline') app.startWorkers();
    return app;
  }

  /** Every route with its rule, as the application registered them. */
  get routes(): RouteInfo[] { return this.server.routes; }

  get config() { return this.rt.config; }
  get db() { return this.rt.db; }
  get producer() { return this.rt.producer; }
  get engine() { return this.rt.engine; }
  get search() { return this.rt.search; }
  get mail() { return this.rt.mail; }
  get log() { return this.rt.log; }
  get url() { return this.server.url; }

  startWorkers(): void {
    this.workers ??= startWorkers(this.rt);
  }

  async stopWorkers(): Promise<void> {
    await this.workers?.close();
    this.workers = null;
  }

  async stop(): Promise<void> {
    await this.server.close();
    await this.stopWorkers();
    await this.rt.stop();
  }
}

export type TestApp = { app: App; dir: string; stop(): Promise<void> };

export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const redis = await testRedis();
  const dir = mkdtempSync(join(tmpdir(), 'brygga-test-'));
  const prefix = uniquePrefix();
  const database = await testDatabase(dir);
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    DATABASE_URL: database.url,
    REDIS_URL: redis.url,
    QUEUE_PREFIX: prefix,
    MAIL_OUTBOX_DIR: join(dir, 'outbox'),
    SEED_DEMO: 'false',
    SECRET_KEY: 'test-secret-test-secret-test-secret-0123',
    QUEUE_BACKOFF_MS: '200',
    LOG_LEVEL: 'silent',
    ...env,
  });
  const app = await App.start(await Runtime.start(config, pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' })));
  return {
    app,
    dir,
    async stop() {
      await app.stop();
      await deletePrefix(redis.url, prefix);
      await database.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** JSON over real HTTP, as the tests' admin unless another `token` (or null: nobody) is given. */
export async function api(app: App, method: string, path: string, body?: unknown, { token = app.adminToken as string | null, headers = {} as Record<string, string> } = {}) {
  const response = await fetch(`${app.url}${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  const type = response.headers.get('content-type') ?? '';
  return { status: response.status, body: type.includes('json') ? JSON.parse(text) : text, headers: response.headers };
}

/**
 * The outbox is relayed and no job waits, runs or waits to be retried. Each
 * queue is counted in one call (one script in Redis): counted state by state, a
 * retry can move from delayed to active between two counts and be missed.
 * Scheduled queues (digests, reconciliation) always hold their next run: only
 * what waits or runs counts there.
 */
export async function queuesIdle(app: App): Promise<boolean> {
  const pending = await app.db.selectFrom('outbox').select('id').where('relayed_at', 'is', null).execute();
  if (pending.length) return false;
  for (const name of QUEUES) {
    const scheduled = name === 'digest' || name === 'reconcile';
    const counts = await app.producer.queue(name).getJobCounts('waiting', 'active', 'prioritized', ...(scheduled ? [] : ['delayed' as const]));
    if (Object.values(counts).some((n) => n > 0)) return false;
  }
  return true;
}

/** Polls until the check passes or the time is up. */
export async function eventually<T>(check: () => Promise<T | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
