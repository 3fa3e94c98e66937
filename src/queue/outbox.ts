// The transactional outbox: a service writes an outbox row in the same
// transaction as its data; the relay turns rows into BullMQ jobs afterwards.
// A crash between commit and enqueue loses nothing: the row is still pending.
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

/** Polls the outbox; `nudge()` relays at once (called after a commit). */
export function startOutboxRelay(db: Db, producer: Producer, log: Logger, intervalMs = 1000) {
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
          while ((await relayOutbox(db, producer)) > 0);
        } while (again);
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
