// The job schedulers that live in Redis: digests and reminders at fixed times,
// reconciliation every few minutes. Redis that loses its data loses them too,
// so every worker process checks that they exist and re-creates the missing ones.
import { DIGEST_SCHEDULES, type JobPayload } from './jobs.ts';
import type { Producer } from './producer.ts';

export const RECONCILE_SCHEDULER = 'reconcile';

export type ReconcileSchedule = { everyMs: number; graceMs: number };

const digestSchedulers = () => Object.keys(DIGEST_SCHEDULES) as (keyof typeof DIGEST_SCHEDULES)[];

/** Creates (or updates) every scheduler; idempotent. */
export async function upsertSchedulers(producer: Producer, reconcile: ReconcileSchedule): Promise<void> {
  const digests = producer.queue('digest');
  await Promise.all(digestSchedulers().map((frequency) =>
    digests.upsertJobScheduler(`digest-${frequency}`, DIGEST_SCHEDULES[frequency], { name: 'plan', data: { step: 'plan', frequency } satisfies JobPayload<'digest'> }),
  ));
  await producer.queue('reconcile').upsertJobScheduler(RECONCILE_SCHEDULER, { every: reconcile.everyMs }, {
    name: 'reconcile', data: { trigger: 'schedule', graceMs: reconcile.graceMs } satisfies JobPayload<'reconcile'>,
  });
}

/** The ids of the schedulers that are missing now. */
export async function missingSchedulers(producer: Producer): Promise<string[]> {
  const expected: [ReturnType<Producer['queue']>, string][] = [
    ...digestSchedulers().map((f) => [producer.queue('digest'), `digest-${f}`] as [ReturnType<Producer['queue']>, string]),
    [producer.queue('reconcile'), RECONCILE_SCHEDULER],
  ];
  const found = await Promise.all(expected.map(async ([queue, id]) => ((await queue.getJobScheduler(id)) ? null : id)));
  return found.filter((id): id is string => id !== null);
}

/** Re-creates the schedulers when any is missing (Redis lost its data); returns the ids that were missing. */
export async function ensureSchedulers(producer: Producer, reconcile: ReconcileSchedule): Promise<string[]> {
  const missing = await missingSchedulers(producer);
  if (missing.length) await upsertSchedulers(producer, reconcile);
  return missing;
}
