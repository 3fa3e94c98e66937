// One handler per queue. Startup fails when a queue has none (see startWorkers).
import { UnrecoverableError, type Job } from 'bullmq';
import { sendSignInLink } from '../src/accounts/signin.service.ts';
import { changeRecipients } from '../src/mail/changes.ts';
import {
  PermanentMailError, sendChange, sendConfirmation, sendDigest, sendInstantAlert, sendOpening, sendRegistrationAttempt, sendReminder,
} from '../src/mail/delivery.service.ts';
import { digestRecipients, periodOf } from '../src/mail/digest.ts';
import { markDone } from '../src/ops/reconcile.repo.ts';
import type { ProcessMetrics } from '../src/ops/process-metrics.ts';
import { reconcile } from '../src/ops/reconcile.ts';
import { originOf, withOrigin } from '../src/queue/origin.ts';
import { payloads, type JobPayload, type QueueName } from '../src/queue/jobs.ts';
import { ensureSchedulers } from '../src/queue/schedules.ts';
import type { Runtime } from '../src/runtime.ts';

/** What handlers use of the runtime. */
export type WorkerContext = Pick<Runtime, 'producer' | 'mail' | 'engine' | 'search' | 'log' | 'config'> & {
  /** Where job durations are recorded (brygga_job_duration_seconds). */
  metrics?: ProcessMetrics;
  /** How often reconciliation runs (the scheduler it re-creates). */
  reconcileEveryMs?: number;
};

/** Reconciliation runs every 5 minutes unless the workers were started with another interval. */
export const RECONCILE_EVERY_MS = 5 * 60_000;
export const RECONCILE_GRACE_MS = 60_000;

type Handler<Q extends QueueName> = (payload: JobPayload<Q>, ctx: WorkerContext) => Promise<unknown>;

export const handlers: { [Q in QueueName]: Handler<Q> } = {
  // Idempotent; a withdrawn or deleted notice leaves the index. Throws while Meilisearch is unreachable, so the job retries.
  // Each finished index or match job marks the revision it handled; reconciliation looks for notices without it.
  index: async ({ noticeId, revision }, { search, mail }) => {
    const outcome = await search.indexNotice(noticeId);
    await markDone(mail.db, 'indexed', noticeId, revision);
    return outcome;
  },

  // New matches alert instant subscribers; a material change (or withdrawal) reaches the instant subscribers told before.
  match: async ({ noticeId, revision }, { engine, producer, mail }) => {
    const outcome = await engine.matchStored(noticeId);
    const changed = await changeRecipients(mail.db, noticeId, revision);
    await producer.addBulk('notify', [
      ...outcome.instant.map((companyId) => ({ kind: 'instant' as const, companyId, noticeId })),
      ...changed.map((companyId) => ({ kind: 'change' as const, companyId, noticeId, revision })),
    ]);
    await markDone(mail.db, 'matched', noticeId, revision);
    return { matched: outcome.matched.length, alerts: outcome.instant.length, changes: changed.length };
  },

  // A new or changed subscription sees what is open now: matches recorded, one summary e-mail.
  // Its mark tells reconciliation it ran.
  backfill: async ({ companyId, subscriptionId, change }, { engine, producer, mail }) => {
    const asOf = new Date();
    const found = await engine.matchSubscription(subscriptionId, asOf);
    if (found.length) await producer.addBulk('notify', [{ kind: 'opening', companyId, ref: change, asOf: asOf.toISOString() }]);
    await markDone(mail.db, 'backfilled', change, found.length);
    return { matched: found.length };
  },

  notify: (payload, { mail }) =>
    permanentFailsOnce(() => {
      switch (payload.kind) {
        case 'instant': return sendInstantAlert(mail, payload);
        case 'change': return sendChange(mail, payload);
        case 'opening': return sendOpening(mail, payload);
      }
    }),

  // E-mail about accounts, on a rate budget of its own (see startWorkers).
  account: (payload, { mail, config }) =>
    permanentFailsOnce(() => {
      switch (payload.kind) {
        case 'confirm': return sendConfirmation(mail, payload);
        // No ledger: one job per request is one e-mail, and each attempt mails a token of its own.
        case 'signin': return sendSignInLink(mail, payload, config.loginLinkMinutes);
        case 'known-firm':
        case 'known-address': return sendRegistrationAttempt(mail, payload);
      }
    }),

  digest: async (payload, { mail, producer }) => {
    if (payload.step === 'send') {
      const at = payload.at ? new Date(payload.at) : new Date();
      const { frequency } = payload;
      return permanentFailsOnce(() => (frequency === 'reminder' ? sendReminder(mail, payload, at) : sendDigest(mail, { ...payload, frequency }, at)));
    }
    const period = periodOf(payload.frequency, payload.at ? new Date(payload.at) : new Date());
    const firms = await digestRecipients(mail.db, payload.frequency);
    await producer.addBulk('digest', firms.map((companyId) => ({ step: 'send' as const, frequency: payload.frequency, companyId, period, at: payload.at })));
    return { firms: firms.length, period };
  },

  // Queues again what Redis lost, and re-creates the job schedulers (see src/ops/reconcile.ts).
  reconcile: async ({ graceMs = RECONCILE_GRACE_MS }, { mail, producer, log, config, reconcileEveryMs = RECONCILE_EVERY_MS }) => {
    await ensureSchedulers(producer, { everyMs: reconcileEveryMs, graceMs });
    return reconcile({ db: mail.db, producer, log, alertMaxAgeDays: config.alertMaxAgeDays }, { graceMs });
  },
};

/** A 5xx answer will not change on retry (the ledger has recorded it): the job fails for good. */
async function permanentFailsOnce<T>(send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    if (error instanceof PermanentMailError) throw new UnrecoverableError(error.message);
    throw error;
  }
}

/**
 * Validates the payload, then runs the queue's handler: timed (by outcome), as
 * the origin the job carries (the request that started the work: the jobs it
 * queues carry it on), and logged with that request id when it completes.
 */
export function processorFor(queue: QueueName, ctx: WorkerContext) {
  const handler = handlers[queue] as Handler<QueueName>;
  if (!handler) throw new Error(`No handler registered for queue "${queue}"`);
  const run = async (job: Job) => {
    const parsed = payloads[queue].safeParse(job.data);
    if (!parsed.success) {
      // A malformed payload will not get better on retry.
      throw new UnrecoverableError(`Invalid ${queue} job ${job.id}: ${parsed.error.issues[0].message}`);
    }
    return handler(parsed.data, ctx);
  };
  return (job: Job) => {
    const origin = originOf(job.data);
    return withOrigin(origin, async () => {
      const started = performance.now();
      const result = await (ctx.metrics ? ctx.metrics.timeJob(queue, () => run(job)) : run(job));
      ctx.log.info({ queue, jobId: job.id, requestId: origin?.requestId, durationMs: Math.round(performance.now() - started) }, 'job completed');
      return result;
    });
  };
}
