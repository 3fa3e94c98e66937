// Reconciliation: the database is the truth, the queues only carry work. When
// Redis loses jobs (restarted without persistence, flushed, failed over), this
// finds what was not done and queues it again; a job that failed for good (a
// worker killed twice while running it) is retried. Job ids are deterministic,
// so queuing work that is still waiting or running adds nothing, and the
// ledger keeps every e-mail to once.
import type { Logger } from 'pino';
import type { Db } from '../../db/database.ts';
import { alertKind, subscriptionTakes } from '../domain/alerts.ts';
import { alertFacts } from '../notices/notices.repo.ts';
import type { Producer } from '../queue/producer.ts';
import { instantSubscriptions, staleNotices, unalertedMatches, unbackfilledChanges, untoldChanges } from './reconcile.repo.ts';

const DAY = 24 * 3600 * 1000;

export type ReconcileOptions = {
  /** Notices changed within this long are checked (older ones were reconciled long ago). */
  lookbackMs?: number;
  /** Notices changed and matches made within this long are left to the jobs in flight (a summary e-mail may be about to carry a match). */
  graceMs?: number;
  /** At most this many notices (and matches) per step and run; the next run takes the rest. */
  limit?: number;
};

export type ReconcileOutcome = { index: number; match: number; notify: number; change: number; backfill: number };

export async function reconcile(
  ctx: { db: Db; producer: Producer; log: Logger; alertMaxAgeDays: number },
  { lookbackMs = 7 * DAY, graceMs = 60_000, limit = 1000 }: ReconcileOptions = {},
  now = new Date(),
): Promise<ReconcileOutcome> {
  const { db, producer } = ctx;
  const since = new Date(now.getTime() - lookbackMs).toISOString();
  const before = new Date(now.getTime() - graceMs).toISOString();
  const index = await staleNotices(db, 'indexed', since, before, limit);
  await producer.addAgain('index', index);
  const match = await staleNotices(db, 'matched', since, before, limit);
  await producer.addAgain('match', match);

  const candidates = await unalertedMatches(db, now, before, limit);
  const subscriptions = await instantSubscriptions(db, [...new Set(candidates.map((c) => c.company_id))]);
  const notify = candidates.filter((row) => {
    const alert = alertKind(alertFacts(row), now, ctx.alertMaxAgeDays);
    if (!alert) return false;
    // One of the subscriptions that matched is an active instant one that takes this kind of notice.
    return (JSON.parse(row.subscription_ids) as string[]).some((id) => {
      const kinds = subscriptions.get(id);
      return kinds !== undefined && subscriptionTakes(kinds, alert);
    });
  });
  await producer.addAgain('notify', notify.map((row) => ({ kind: 'instant' as const, companyId: row.company_id, noticeId: row.id })));

  // Change and withdrawal e-mails the match jobs queued and the queues lost.
  const changes = await untoldChanges(db, since, before, limit);
  await producer.addAgain('notify', changes.map(({ companyId, noticeId, revision }) => ({ kind: 'change' as const, companyId, noticeId, revision })));

  // New and changed subscriptions whose backfill (matches and one summary) never ran.
  const backfill = await unbackfilledChanges(db, since, before, limit);
  await producer.addAgain('backfill', backfill);

  const outcome = { index: index.length, match: match.length, notify: notify.length, change: changes.length, backfill: backfill.length };
  if (Object.values(outcome).some((n) => n > 0)) ctx.log.warn(outcome, 'reconciliation queued work the queues had lost or not done');
  else ctx.log.debug('reconciliation found nothing to do');
  return outcome;
}
