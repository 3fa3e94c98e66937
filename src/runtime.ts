// What every Brygga process shares, built from a Config with no globals (so
// tests can run several side by side): the database, Redis, the queue
// producer, the match engine, search, the mailer and the outbox relay. The
// entry points compose it with the HTTP server (src/app.ts) and the workers
// (workers/start.ts); stop() closes it after them.
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { checkDatabase, migrateToLatest, openDatabase, type Db } from '../db/database.ts';
import { resolveSecretKey, type Config } from './config.ts';
import { loadCpvLabels } from './cpv/cpv-labels.ts';
import { createLogger } from './logger.ts';
import type { MailContext } from './mail/delivery.service.ts';
import { createMailer, type Mailer } from './mail/mailer.ts';
import { redisSentMarks } from './mail/sent-marks.ts';
import { MatchEngine } from './matching/match-engine.ts';
import { startMetricsServer, type MetricsServer } from './ops/metrics-server.ts';
import { ProcessMetrics } from './ops/process-metrics.ts';
import { warnIfRedisNotPersistent } from './ops/redis-persistence.ts';
import { RelayLease, startOutboxRelay, type OutboxRelay } from './queue/outbox.ts';
import { Producer } from './queue/producer.ts';
import { createSearch, type SearchService } from './search/search.service.ts';

export class Runtime {
  private constructor(
    readonly config: Config,
    readonly log: Logger,
    readonly db: Db,
    readonly redis: Redis,
    readonly producer: Producer,
    readonly engine: MatchEngine,
    readonly search: SearchService,
    private readonly mailer: Mailer,
    readonly mail: MailContext,
    readonly relay: OutboxRelay,
    /** What this process counts (jobs, the match index, imports); the web application adds its own. */
    readonly metrics: ProcessMetrics,
    private readonly metricsServer: MetricsServer | null,
  ) {}

  static async start(config: Config, log: Logger = createLogger(config.logLevel)): Promise<Runtime> {
    const db = openDatabase(config.databaseUrl);
    const opened: { close(): Promise<unknown> | unknown }[] = [{ close: () => db.destroy() }];
    try {
      await migrateToLatest(db);
      await loadCpvLabels(db);
      const search = createSearch(config, db, log);
      opened.unshift(search);
      await search.init();
      const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 3, lazyConnect: true });
      // ioredis reconnects by itself; without a listener its errors would crash the process.
      redis.on('error', (error) => log.warn({ err: error.message }, 'redis connection error'));
      opened.unshift({ close: () => redis.quit().catch(() => undefined) });
      await redis.connect();
      await warnIfRedisNotPersistent(redis, log);
      const producer = new Producer(redis, config.queuePrefix, log, config.backoffMs);
      const mailer = createMailer(config.mail, config.redisUrl);
      const mail: MailContext = {
        db, mailer, publicUrl: config.publicUrl, secret: resolveSecretKey(config),
        suspendAfter: config.mail.suspendAfter, alertMaxAgeDays: config.alertMaxAgeDays, log,
        sent: redisSentMarks(redis, config.queuePrefix),
      };
      const metrics = new ProcessMetrics();
      const engine = new MatchEngine(db, config.localArea, config.alertMaxAgeDays, {
        rebuilt: (seconds, rules) => {
          metrics.matchIndexRebuild.observe(seconds);
          metrics.matchIndexRules.set(rules);
        },
        followed: (seconds, _changes, rules) => {
          metrics.matchIndexFollow.observe(seconds);
          metrics.matchIndexRules.set(rules);
        },
        applied: (seconds) => metrics.matchIndexApply.observe(seconds),
      });
      const metricsServer = config.metricsPort === null ? null : await startMetricsServer(metrics, config.metricsPort, log);
      if (metricsServer) opened.unshift(metricsServer);
      const relay = startOutboxRelay(db, producer, log, new RelayLease(redis, `${config.queuePrefix}:outbox-relay`));
      relay.nudge();
      return new Runtime(config, log, db, redis, producer, engine, search, mailer, mail, relay, metrics, metricsServer);
    } catch (error) {
      for (const thing of opened) await thing.close();
      throw error;
    }
  }

  /** The port METRICS_PORT is served at (null: none); differs from the setting when that is 0. */
  get metricsPort(): number | null {
    return this.metricsServer?.port ?? null;
  }

  /** Whether the database and Redis answer: 'ok' or what failed. */
  async readiness(): Promise<{ database: string; redis: string }> {
    const database = await checkDatabase(this.db).then(() => 'ok', (e: Error) => `failed: ${e.message}`);
    const redis = await withTimeout(this.redis.ping(), 1000).then(
      (pong) => (pong === 'PONG' ? 'ok' : `failed: ${pong}`),
      (e: Error) => `failed: ${e.message}`,
    );
    return { database, redis };
  }

  /** Closes everything, in order; the HTTP server and the workers must be stopped first. */
  async stop(): Promise<void> {
    await this.metricsServer?.close();
    await this.relay.stop();
    await this.search.close();
    await this.producer.close();
    this.mailer.close();
    await this.redis.quit().catch(() => undefined);
    await this.db.destroy();
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref()),
  ]);
}
