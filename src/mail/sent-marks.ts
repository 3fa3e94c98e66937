// What the mail relay accepted, remembered outside the database. A worker
// killed after the relay's 250 but before the ledger row is marked sent (a
// write that may wait for SQLite's lock) left a row whose lease runs out, and
// another worker sent the e-mail again. The mark is set in Redis the moment
// the relay accepts, by the thread that talks to it (smtp-thread.ts), where no
// lock is waited for; before sending, a worker reads it and, when it is
// there, only records the send.
import type { Redis } from 'ioredis';

export type SentMarks = {
  /** The Redis key that says the relay accepted this ledger row's e-mail (the SMTP thread sets it). */
  key(id: string): string;
  /** The relay accepted this ledger row's e-mail (for mailers without a thread: the file outbox). */
  mark(id: string): Promise<void>;
  accepted(id: string): Promise<boolean>;
};

/** Longer than any lease and any retry: the ledger has the row marked sent long before. */
export const KEPT_SECONDS = 7 * 24 * 3600;

export function redisSentMarks(redis: Redis, prefix: string): SentMarks {
  const key = (id: string) => `${prefix}:sent:${id}`;
  return {
    key,
    async mark(id) {
      await redis.set(key(id), '1', 'EX', KEPT_SECONDS);
    },
    async accepted(id) {
      return (await redis.exists(key(id))) === 1;
    },
  };
}
