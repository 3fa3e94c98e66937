// The application, built from a Config with no globals, so tests can start
// several side by side. start() opens everything; stop() closes it in order.
import { createServer, type Server } from 'node:http';
import express from 'express';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { migrateToLatest, openDatabase, type Db } from '../db/database.ts';
import { startWorkers, type Workers } from '../workers/start.ts';
import { companiesRouter } from './companies/companies.routes.ts';
import { resolveSecretKey, type Config } from './config.ts';
import { loadCpvLabels } from './cpv/cpv-labels.ts';
import { errorHandler, notFoundHandler } from './http/errors.ts';
import { importRouter } from './ingest/ingest.routes.ts';
import { createLogger } from './logger.ts';
import type { MailContext } from './mail/delivery.service.ts';
import { createMailer, type Mailer } from './mail/mailer.ts';
import { mailRouter } from './mail/mail.routes.ts';
import { staffRouter } from './companies/staff.routes.ts';
import { MatchEngine } from './matching/match-engine.ts';
import { noticesRouter } from './notices/notices.routes.ts';
import { startOutboxRelay, type OutboxRelay } from './queue/outbox.ts';
import { Producer } from './queue/producer.ts';
import { createSearch, type SearchService } from './search/search.service.ts';
import { searchRouter } from './search/search.routes.ts';
import { webRouter } from './web/web.routes.ts';

export class App {
  readonly log: Logger;
  db!: Db;
  producer!: Producer;
  engine!: MatchEngine;
  search!: SearchService;
  private redis!: Redis;
  private mailer!: Mailer;
  mail!: MailContext;
  private relay!: OutboxRelay;
  private workers: Workers | null = null;
  private server: Server | null = null;

  constructor(readonly config: Config, log?: Logger) {
    this.log = log ?? createLogger(config.logLevel);
  }

  /** The port actually listened on (differs from config when it is 0). */
  get port(): number {
    const address = this.server?.address();
    return typeof address === 'object' && address ? address.port : this.config.port;
  }

  get url(): string {
    return `http://${this.config.host}:${this.port}`;
  }

  /** `listen: false` runs everything but the web server (`npm run workers`). */
  async start({ listen = true } = {}): Promise<this> {
    const { config } = this;
    this.db = openDatabase(config.databaseUrl);
    await migrateToLatest(this.db);
    await loadCpvLabels(this.db);
    this.search = createSearch(config, this.db, this.log);
    await this.search.init();
    this.redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 3, lazyConnect: true });
    // ioredis reconnects by itself; without a listener its errors would crash the process.
    this.redis.on('error', (error) => this.log.warn({ err: error.message }, 'redis connection error'));
    await this.redis.connect();
    this.producer = new Producer(this.redis, config.queuePrefix, this.log, config.backoffMs);
    this.mailer = createMailer(config.mail);
    this.mail = {
      db: this.db, mailer: this.mailer, publicUrl: config.publicUrl,
      secret: resolveSecretKey(config), suspendAfter: config.mail.suspendAfter, alertMaxAgeDays: config.alertMaxAgeDays,
    };
    this.engine = new MatchEngine(this.db, config.localArea, config.alertMaxAgeDays);
    this.relay = startOutboxRelay(this.db, this.producer, this.log);
    if (config.workers === 'inline') this.startWorkers();
    this.relay.nudge();
    if (listen) await this.listen();
    return this;
  }

  /** Workers can be started (and stopped) on their own, e.g. by tests that restart them. */
  startWorkers(): Workers {
    this.workers ??= startWorkers(
      { db: this.db, producer: this.producer, mail: this.mail, engine: this.engine, search: this.search, log: this.log },
      {
        redisUrl: this.config.redisUrl, prefix: this.config.queuePrefix,
        concurrency: this.config.workerConcurrency, mailRatePerSecond: this.config.mail.ratePerSecond,
        lockMs: this.config.workerLockMs,
      },
    );
    return this.workers;
  }

  async stopWorkers(): Promise<void> {
    await this.workers?.close();
    this.workers = null;
  }

  http(): express.Express {
    const app = express();
    app.disable('x-powered-by');
    // The import route reads its own (larger, raw) body before the JSON parser.
    app.use('/api/import', importRouter(this.db, this.config.importLimit, () => this.relay.nudge()));
    app.use(express.json({ limit: this.config.bodyLimit }));
    app.get('/healthz', (_req, res) => void res.json({ status: 'ok' }));
    app.get('/readyz', async (_req, res) => {
      const checks = await this.readiness();
      const ready = Object.values(checks).every((c) => c === 'ok');
      res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'unavailable', checks });
    });
    app.use('/api/notices', noticesRouter(this.db, this.engine, () => this.relay.nudge()));
    app.use('/api/companies', companiesRouter(this.db, () => this.relay.nudge(), this.config));
    app.use(mailRouter(this.db, this.mail.secret, () => this.relay.nudge()));
    app.use('/api/staff', staffRouter(this.db));
    app.use('/api/search', searchRouter(this.search));
    app.use(webRouter(this.db));
    app.use(notFoundHandler);
    app.use(errorHandler(this.log));
    return app;
  }

  async readiness(): Promise<{ database: string; redis: string }> {
    const database = await this.db
      .selectFrom('notices')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirst()
      .then(() => 'ok', (e: Error) => `failed: ${e.message}`);
    const redis = await withTimeout(this.redis.ping(), 1000).then(
      (pong) => (pong === 'PONG' ? 'ok' : `failed: ${pong}`),
      (e: Error) => `failed: ${e.message}`,
    );
    return { database, redis };
  }

  private listen(): Promise<void> {
    // Not Express's app.listen(): Express 5 calls its callback on a listen error
    // too (e.g. EADDRINUSE), which would pass for success.
    const server = createServer(this.http());
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.config.port, this.config.host, () => {
        server.off('error', reject);
        this.server = server;
        resolve();
      });
    });
  }

  async stop(): Promise<void> {
    // Stop taking requests, finish running jobs, then close the stores.
    if (this.server) {
      const server = this.server;
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      this.server = null;
    }
    await this.stopWorkers();
    await this.relay?.stop();
    await this.search?.close();
    await this.producer?.close();
    this.mailer?.close();
    await this.redis?.quit().catch(() => undefined);
    await this.db?.destroy();
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref()),
  ]);
}
