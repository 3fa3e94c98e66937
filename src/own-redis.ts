// The Redis that `npm start` started for itself. When none answers,
// scripts/bootstrap.mjs starts a private redis-server under var/redis and
// records its run_id (unique to one run of one redis-server) in OWN_REDIS_FILE.
// Brygga stops that Redis when it exits, and never any other: a pid could have
// been reused, a run_id cannot.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';

/** Relative to the project folder, where `npm start` runs (like var/brygga.db). */
export const OWN_REDIS_FILE = 'var/redis/started-by-brygga.json';

export type OwnRedisOutcome = 'stopped' | 'in-use' | 'not-ours' | 'failed';

/**
 * Shuts down the Redis at `url` if bootstrap started it and no other client
 * (another Brygga process, a test run, redis-cli) is still connected to it.
 * Call it after Brygga's own connections are closed.
 */
export async function stopOwnRedis(url: string, log: Logger, file = OWN_REDIS_FILE, waitMs = 2000): Promise<OwnRedisOutcome> {
  if (!existsSync(file)) return 'not-ours';
  const { runId } = JSON.parse(readFileSync(file, 'utf8')) as { runId?: string };
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1000 });
  redis.on('error', () => undefined); // connect() and the commands report failures
  try {
    await redis.connect();
    // A record left from an earlier run whose Redis is gone, or REDIS_URL now points elsewhere.
    if (!runId || /^run_id:(\w+)/m.exec(await redis.info('server'))?.[1] !== runId) return 'not-ours';
    // Connections closed just before this call may take a moment to leave the server's list.
    const until = Date.now() + waitMs;
    let others = await otherClients(redis);
    while (others > 0 && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 100));
      others = await otherClients(redis);
    }
    if (others > 0) {
      log.info({ clients: others }, 'leaving the Redis started by npm start running: other clients use it');
      return 'in-use';
    }
    // The server closes the connection instead of answering SHUTDOWN; an error reply means it did not stop.
    const refused = await redis.call('SHUTDOWN').then(
      (reply) => `unexpected reply ${String(reply)}`,
      (error: Error) => (/closed/i.test(error.message) ? null : error.message),
    );
    if (refused) {
      log.warn({ err: refused }, 'the Redis started by npm start did not stop (see var/redis/redis.log)');
      return 'failed';
    }
    rmSync(file, { force: true });
    log.info('stopped the Redis started by npm start');
    return 'stopped';
  } catch (error) {
    log.warn({ err: (error as Error).message }, 'could not check the Redis started by npm start');
    return 'failed';
  } finally {
    redis.disconnect();
  }
}

async function otherClients(redis: Redis): Promise<number> {
  const list = String(await redis.call('CLIENT', 'LIST'));
  return list.split('\n').filter((line) => line.trim()).length - 1;
}
