// One handler per queue. Startup fails when a queue has none (see startWorkers).
import { UnrecoverableError, type Job } from 'bullmq';
import type { Logger } from 'pino';
import type { Db } from '../db/database.ts';
import type { Mailer } from '../src/mail/mailer.ts';
import { sendInstantAlert } from '../src/mail/notify.service.ts';
import type { MatchEngine } from '../src/matching/match-engine.ts';
import { payloads, type JobPayload, type QueueName } from '../src/queue/jobs.ts';
import type { Producer } from '../src/queue/producer.ts';
import { indexNotice } from '../src/search/fts5.ts';

export type WorkerContext = { db: Db; producer: Producer; mailer: Mailer; engine: MatchEngine; publicUrl: string; log: Logger };

type Handler<Q extends QueueName> = (payload: JobPayload<Q>, ctx: WorkerContext) => Promise<unknown>;

export const handlers: { [Q in QueueName]: Handler<Q> } = {
  index: async ({ noticeId }, { db }) => indexNotice(db, noticeId),

  match: async ({ noticeId }, { engine, producer }) => {
    const outcome = await engine.matchStored(noticeId);
    await producer.addBulk('notify', outcome.instant.map((companyId) => ({ companyId, noticeId })));
    return { matched: outcome.matched.length, alerts: outcome.instant.length };
  },

  notify: async (payload, { db, mailer, publicUrl }) => sendInstantAlert(db, mailer, publicUrl, payload),
};

/** Validates the payload, then runs the queue's handler. */
export function processorFor(queue: QueueName, ctx: WorkerContext) {
  const handler = handlers[queue] as Handler<QueueName>;
  if (!handler) throw new Error(`No handler registered for queue "${queue}"`);
  return async (job: Job) => {
    const parsed = payloads[queue].safeParse(job.data);
    if (!parsed.success) {
      // A malformed payload will not get better on retry.
      throw new UnrecoverableError(`Invalid ${queue} job ${job.id}: ${parsed.error.issues[0].message}`);
    }
    return handler(parsed.data, ctx);
  };
}
