// Queue names, their typed payloads and deterministic job ids.
// A payload is checked with zod when a worker takes it: a bad job fails loudly, once.
import { z } from 'zod';

// `account` carries e-mail about accounts (address confirmations, registration
// attempts) on a rate budget of its own: a flood of registrations never delays
// an alert, and alerts never hold up a confirmation.
// `reconcile` queues again what Redis lost (see src/ops/reconcile.ts): on a schedule and at start-up.
export const QUEUES = ['index', 'match', 'backfill', 'notify', 'digest', 'account', 'reconcile'] as const;
export type QueueName = (typeof QUEUES)[number];

const id = z.string().regex(/^[0-9A-Za-z_-]{1,64}$/, 'an id');
// Digests, and the daily closing reminders that share their scheduling.
const frequency = z.enum(['daily', 'weekly', 'reminder']);

export const payloads = {
  index: z.object({ noticeId: id, revision: z.number().int().positive() }),
  match: z.object({ noticeId: id, revision: z.number().int().positive() }),
  // A new or changed subscription, matched against the notices open now.
  backfill: z.object({ companyId: id, subscriptionId: id, change: id }),
  notify: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('instant'), companyId: id, noticeId: id }),
    // A material change (or withdrawal) of a notice the firm was alerted to.
    z.object({ kind: z.literal('change'), companyId: id, noticeId: id, revision: z.number().int().positive() }),
    // One e-mail listing the open notices a new subscription (or a newly confirmed firm) matches,
    // among those stored by `asOf`: later ones reach the firm as alerts or in digests.
    z.object({ kind: z.literal('opening'), companyId: id, ref: id, asOf: z.iso.datetime() }),
  ]),
  account: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('confirm'), companyId: id, round: z.number().int().positive().default(1) }),
    // A sign-in link: the worker makes the one-time token, so its secret exists only in the e-mail.
    z.object({ kind: z.literal('signin'), userId: id, requestId: id, lang: z.enum(['sv', 'en']).default('sv') }),
    // Someone registered a number already registered (told to the firm's owners), or with
    // an address that is already a user (told to that address); at most once a day each.
    z.object({ kind: z.literal('known-firm'), companyId: id, day: z.iso.date() }),
    z.object({ kind: z.literal('known-address'), userId: id, day: z.iso.date() }),
  ]),
  digest: z.discriminatedUnion('step', [
    // From the job scheduler: find the firms due a digest now (or `at`, for a run by hand).
    z.object({ step: z.literal('plan'), frequency, at: z.iso.datetime().optional() }),
    z.object({
      step: z.literal('send'), frequency, companyId: id,
      period: z.string().regex(/^\d{4}-(W\d{2}|\d{2}-\d{2})$/),
      at: z.iso.datetime().optional(),
    }),
  ]),
  reconcile: z.object({
    trigger: z.enum(['start', 'schedule', 'schedulers-lost']),
    /** Leave notices changed and matches made this recently (ms) to the jobs in flight. */
    graceMs: z.number().int().min(0).max(24 * 3600 * 1000).optional(),
  }),
} satisfies Record<QueueName, z.ZodType>;

export type JobPayload<Q extends QueueName> = z.output<(typeof payloads)[Q]>;

/** BullMQ job ids: the same work always gets the same id (and never a ':'). */
export const jobId = {
  index: (p: JobPayload<'index'>) => `index-${p.noticeId}-${p.revision}`,
  match: (p: JobPayload<'match'>) => `match-${p.noticeId}-${p.revision}`,
  backfill: (p: JobPayload<'backfill'>) => `backfill-${p.subscriptionId}-${p.change}`,
  notify: (p: JobPayload<'notify'>) => {
    switch (p.kind) {
      case 'instant': return `notify-${p.companyId}-${p.noticeId}`;
      case 'change': return `change-${p.companyId}-${p.noticeId}-${p.revision}`;
      case 'opening': return `opening-${p.companyId}-${p.ref}`;
    }
  },
  account: (p: JobPayload<'account'>) => {
    switch (p.kind) {
      case 'confirm': return `confirm-${p.companyId}-${p.round}`;
      case 'signin': return `signin-${p.requestId}`;
      case 'known-firm': return `known-firm-${p.companyId}-${p.day}`;
      case 'known-address': return `known-address-${p.userId}-${p.day}`;
    }
  },
  digest: (p: JobPayload<'digest'>) =>
    p.step === 'send' ? `digest-${p.frequency}-${p.period}-${p.companyId}` : `digest-plan-${p.frequency}-${Date.now()}`,
  reconcile: (p: JobPayload<'reconcile'>) => `reconcile-${p.trigger}-${Date.now()}`,
} satisfies { [Q in QueueName]: (p: JobPayload<Q>) => string };

/** When digests go out: weekdays at 07:00 and Mondays at 07:00; closing reminders every day at 08:00, Swedish time. */
export const DIGEST_SCHEDULES = {
  daily: { pattern: '0 7 * * 1-5', tz: 'Europe/Stockholm' },
  weekly: { pattern: '0 7 * * 1', tz: 'Europe/Stockholm' },
  reminder: { pattern: '0 8 * * *', tz: 'Europe/Stockholm' },
} as const;
