// One handler per queue. Startup fails when a queue has none (see startWorkers).
import { UnrecoverableError, type Job } from 'bullmq';
import type { Logger } from 'pino';
import type { Db } from '../db/database.ts';
import { PermanentMailError, sendConfirmation, sendDigest, sendInstantAlert, type MailContext } from '../src/mail/delivery.service.ts';
import { digestRecipients, periodOf } from '../src/mail/digest.ts';
import type { MatchEngine } from '../src/matching/match-engine.ts';
import { payloads, type JobPayload, type QueueName } from '../src/queue/jobs.ts';
import type { Producer } from '../src/queue/producer.ts';
import type { SearchService } from '../src/search/search.service.ts';

export type WorkerContext = { db: Db; producer: Producer; mail: MailContext; engine: MatchEngine; search: SearchService; log: Logger };

type Handler<Q extends QueueName> = (payload: JobPayload<Q>, ctx: WorkerContext) => Promise<unknown>;

export const handlers: { [Q in QueueName]: Handler<Q> } = {
  // Idempotent; a withdrawn or deleted notice leaves the index. Throws while Meilisearch is unreachable, so the job retries.
  index: async ({ noticeId }, { search }) => search.indexNotice(noticeId),

  match: async ({ noticeId }, { engine, producer }) => {
    const outcome = await engine.matchStored(noticeId);
    await producer.addBulk('notify', outcome.instant.map((companyId) => ({ kind: 'instant' as const, companyId, noticeId })));
    return { matched: outcome.matched.length, alerts: outcome.instant.length };
  },

  notify: async (payload, { mail }) => {
    try {
      return payload.kind === 'instant' ? await sendInstantAlert(mail, payload) : await sendConfirmation(mail, payload);
    } catch (error) {
      // A 5xx answer will not change on retry; the ledger has recorded it.
      if (error instanceof PermanentMailError) throw new UnrecoverableError(error.message);
      throw error;
    }
  },

  digest: async (payload, { mail, producer }) => {
    if (payload.step === 'send') {
      try {
        return await sendDigest(mail, payload, payload.at ? new Date(payload.at) : new Date());
      } catch (error) {
        if (error instanceof PermanentMailError) throw new UnrecoverableError(error.message);
        throw error;
      }
    }
    const period = periodOf(payload.frequency, payload.at ? new Date(payload.at) : new Date());
    const firms = await digestRecipients(mail.db, payload.frequency);
    await producer.addBulk('digest', firms.map((companyId) => ({ step: 'send' as const, frequency: payload.frequency, companyId, period, at: payload.at })));
    return { firms: firms.length, period };
  },
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
