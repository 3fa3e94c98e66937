// Whether Redis keeps its data across a restart. Without persistence a restart
// loses every queued job (reconciliation rebuilds them from the database, after
// a while), so Brygga says so at start-up.
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';

export type Persistence = { save: string; appendonly: string };

/** CONFIG GET save / appendonly; null when the server does not allow CONFIG (managed Redis). */
export async function redisPersistence(redis: Redis): Promise<Persistence | null> {
  try {
    const [, save = ''] = (await redis.config('GET', 'save')) as string[];
    const [, appendonly = ''] = (await redis.config('GET', 'appendonly')) as string[];
    return { save, appendonly };
  } catch {
    return null;
  }
}

/** Logs a warning when Redis has neither RDB snapshots nor the append-only file. */
export async function warnIfRedisNotPersistent(redis: Redis, log: Logger): Promise<void> {
  const persistence = await redisPersistence(redis);
  if (persistence === null) {
    log.info('could not read the Redis persistence settings (CONFIG GET is not allowed): make sure Redis persists its data');
  } else if (persistence.save.trim() === '' && persistence.appendonly !== 'yes') {
    log.warn(
      { save: persistence.save, appendonly: persistence.appendonly },
      'Redis persistence is off (no save, appendonly no): a Redis restart loses queued jobs until reconciliation queues them again; turn on appendonly',
    );
  }
}
