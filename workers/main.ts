// `npm run workers`: the queue workers on their own, for a separate process.
import { migrateToLatest, openDatabase } from '../db/database.ts';
import { ConfigError, loadConfig, loadDotEnv } from '../src/config.ts';
import { createLogger } from '../src/logger.ts';
import { createMailer } from '../src/mail/mailer.ts';
import { MatchEngine } from '../src/matching/match-engine.ts';
import { startOutboxRelay } from '../src/queue/outbox.ts';
import { Producer } from '../src/queue/producer.ts';
import { ensureFtsTable } from '../src/search/fts5.ts';
import { onShutdown } from '../src/shutdown.ts';
import { Redis } from 'ioredis';
import { startWorkers } from './start.ts';

let config;
try {
  loadDotEnv();
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
const log = createLogger(config.logLevel);
const db = openDatabase(config.databaseUrl);
await migrateToLatest(db);
await ensureFtsTable(db);
const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 3 });
redis.on('error', (error) => log.warn({ err: error.message }, 'redis connection error'));
const producer = new Producer(redis, config.queuePrefix, log);
const mailer = createMailer(config.mail);
const relay = startOutboxRelay(db, producer, log);
const engine = new MatchEngine(db, config.localArea);
const workers = startWorkers(
  { db, producer, mailer, engine, publicUrl: config.publicUrl, log },
  { redisUrl: config.redisUrl, prefix: config.queuePrefix, concurrency: config.workerConcurrency },
);
onShutdown(log, async () => {
  await workers.close();
  await relay.stop();
  await producer.close();
  mailer.close();
  await redis.quit();
  await db.destroy();
});
log.info('workers running');
