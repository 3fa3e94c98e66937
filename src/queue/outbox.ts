// The transactional outbox: a service writes an outbox row in the same
// transaction as its data; the relay turns rows into BullMQ jobs afterwards.
// A crash between commit and enqueue loses nothing: the row is still pending.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Db } from '../../db/database.ts';
import type { Logger } from 'pino';
import { markRelayed, pendingMessages, type OutboxMessage } from './outbox.repo.ts';
import { tagOrigin } from './origin.ts';
import type { Producer } from './producer.ts';

/** Enqueues every pending outbox row; returns how many were relayed. */
export async function relayOutbox(db: Db, producer: Producer, batch = 500): Promise<number> {
  const messages = await pendingMessages(db, batch);
  if (messages.length === 0) return 0;
  type Payload<T> = Extract<OutboxMessage, { topic: T }>['payload'];
  // Each job carries the request id of the row it was made from (see origin.ts).
  const jobsOf = <T extends OutboxMessage['topic'], J extends object>(topic: T, job: (p: Payload<T>) => J): J[] =>
    messages.filter((m) => m.topic === topic).map((m) => tagOrigin(job(m.payload as Payload<T>), m.requestId));
  const same = <P>(p: P) => ({ ...p });
  const stored = jobsOf('notice.stored', same);
  // Job ids are deterministic, so a row relayed twice (two relays, a crash
  // before the update below) still yields one job.
  await producer.addBulk('index', stored);
  await producer.addBulk('match', stored);
  await producer.addBulk('backfill', jobsOf('subscription.changed', same));
  await producer.addBulk('account', [
    ...jobsOf('company.registered', (p) => ({ kind: 'confirm' as const, companyId: p.companyId, round: p.round ?? 1 })),
    ...jobsOf('signin.requested', (p) => ({ kind: 'signin' as const, userId: p.userId, requestId: p.requestId, lang: p.lang })),
    ...jobsOf('registration.known', (p) =>
      'companyId' in p ? { kind: 'known-firm' as const, companyId: p.companyId, day: p.day } : { kind: 'known-address' as const, userId: p.userId, day: p.day }),
  ]);
  await producer.addBulk('notify', [
    ...jobsOf('company.confirmed', (p) => ({ kind: 'opening' as const, companyId: p.companyId, ref: 'confirmed', asOf: p.at })),
    ...jobsOf('company.lifted', (p) => ({ kind: 'opening' as const, companyId: p.companyId, ref: p.ref, asOf: p.at })),
  ]);
  await markRelayed(db, messages.map((m) => m.id));
  return messages.length;
}

/**
 * One relay at a time among all processes: a lease in Redis, taken with SET NX
 * and given back when the outbox is empty. Two relays would not make two jobs
 * (job ids are deterministic) but would read and mark the same rows twice; the
 * others skip while it is held, and take over when a holder that died lets it
 * run out.
 */
export class RelayLease {
  private readonly owner = randomUUID();
  constructor(private readonly redis: Redis, private readonly key: string, readonly ms = 10_000) {}

  /** Taken, or renewed when this relay holds it already. */
  async take(): Promise<boolean> {
    const result = await this.redis.eval(
      `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end
       return redis.call('set', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) and 1 or 0`,
      1, this.key, this.owner, this.ms,
    );
    return result === 1;
  }

  async give(): Promise<void> {
    await this.redis.eval(`if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0`, 1, this.key, this.owner);
  }
}

/** Polls the outbox; `nudge()` relays at once (called after a commit). With a lease, only while holding it. */
export function startOutboxRelay(db: Db, producer: Producer, log: Logger, lease: RelayLease | null = null, intervalMs = 1000, batch = 500) {
  let running: Promise<void> | null = null;
  let again = false;
  const run = (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          again = false;
          // Renewed before each batch: a batch takes far less than the lease.
          while ((!lease || (await lease.take())) && (await relayOutbox(db, producer, batch)) > 0);
        } while (again);
        await lease?.give();
      } catch (error) {
        log.warn({ err: error }, 'outbox relay failed; will retry');
      } finally {
        running = null;
      }
    })();
    return running;
  };
  const timer = setInterval(run, intervalMs);
  timer.unref();
  return {
    nudge: () => void run(),
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
export type OutboxRelay = ReturnType<typeof startOutboxRelay>;
