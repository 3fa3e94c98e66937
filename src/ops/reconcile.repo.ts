// What reconciliation looks for: work the queues should have done and the
// database shows was not done. The index and match jobs leave a mark when they
// finish (the notice revision they handled, in `revisions` under
// `indexed:<notice>` / `matched:<notice>`); a notice whose mark is missing or
// older than its revision was not (fully) handled, e.g. because Redis lost the job.
import { sql, type ExpressionBuilder } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Database, NoticeRow } from '../../db/schema.ts';

/** A notice's index and match jobs leave the revision they handled; a subscription change's backfill leaves how many notices it found. */
export type Step = 'indexed' | 'matched' | 'backfilled';

const markName = (step: Step, id: string) => `${step}:${id}`;

/** Records that `step` finished for the notice at `revision` (or the subscription change, with the count); a mark never moves back. */
export async function markDone(db: Db, step: Step, id: string, revision: number): Promise<void> {
  await db
    .insertInto('revisions')
    .values({ name: markName(step, id), value: revision })
    .onConflict((oc) => oc.column('name').doUpdateSet({ value: (eb) => eb.ref('excluded.value') }).where('revisions.value', '<', (eb) => eb.ref('excluded.value')))
    .execute();
}

/** Notices changed between `since` and `before` whose `step` mark is missing or older than their revision, oldest change first. */
export async function staleNotices(db: Db, step: Step, since: string, before: string, limit: number): Promise<{ noticeId: string; revision: number }[]> {
  const rows = await staleNoticesQuery(db, step, since, before, limit).execute();
  return rows.map((r) => ({ noticeId: r.id, revision: r.revision }));
}

/**
 * Each notice's mark is looked up by its key in a correlated subquery: as a
 * LEFT JOIN on the computed key SQLite scanned every mark for every notice
 * (76 s at 18k notices, the server's event loop stalled throughout).
 */
export function staleNoticesQuery(db: Db, step: Step, since: string, before: string, limit: number) {
  const mark = db.selectFrom('revisions').select('value').where('name', '=', sql<string>`${step + ':'} || ${sql.ref('notices.id')}`);
  return db
    .selectFrom('notices')
    .select(['notices.id', 'notices.revision'])
    .where('notices.updated_at', '>=', since)
    .where('notices.updated_at', '<=', before)
    .where((eb) => eb(eb.fn.coalesce(mark, sql<number>`-1`), '<', eb.ref('notices.revision')))
    .orderBy('notices.updated_at')
    .limit(limit);
}

/**
 * A ledger row of this kind that is not done and no worker holds: pending, or
 * sending with its lease run out, since before `before`. Its job failed for
 * good (BullMQ fails a job whose workers died mid-run too often) or Redis lost
 * it; queued again, the job finds the row and sends or records it once.
 */
const stuck = (eb: ExpressionBuilder<Database, 'deliveries'>, kind: 'instant' | 'change', before: string) =>
  eb.and([
    eb('deliveries.kind', '=', kind),
    eb('deliveries.status', 'in', ['pending', 'sending']),
    eb('deliveries.created_at', '<=', before),
    eb.or([eb('deliveries.lease_until', 'is', null), eb('deliveries.lease_until', '<', before)]),
  ]);

/**
 * Matches recorded before `before` of notices that may still invite firms
 * (the SQL part of domain/alerts.ts; the caller applies the rule exactly), of
 * confirmed firms with an active instant subscription, that no e-mail carried
 * as new: no instant ledger row, and no digest or summary item, but for an
 * instant row that is stuck.
 */
export async function unalertedMatches(db: Db, now: Date, before: string, limit: number) {
  return db
    .selectFrom('matches')
    .innerJoin('notices', 'notices.id', 'matches.notice_id')
    .innerJoin('companies', 'companies.id', 'matches.company_id')
    .where('companies.email_status', '=', 'confirmed')
    .where('matches.created_at', '<=', before)
    .where('notices.status', '=', 'active')
    .where('notices.source', '!=', 'uhm')
    .where('notices.kind', 'in', ['tender', 'planning'])
    .where((eb) => eb.or([eb('notices.deadline', 'is', null), eb('notices.deadline', '>', now.toISOString())]))
    .where((eb) => eb.exists(eb.selectFrom('subscriptions').select('subscriptions.id')
      .whereRef('subscriptions.company_id', '=', 'matches.company_id')
      .where('subscriptions.active', '=', 1).where('subscriptions.frequency', '=', 'instant')))
    .where((eb) => eb.not(eb.exists(eb.selectFrom('deliveries').select('deliveries.id')
      .whereRef('deliveries.company_id', '=', 'matches.company_id')
      .where('deliveries.kind', '=', 'instant')
      .whereRef('deliveries.ref', '=', 'matches.notice_id')
      .where((d) => d.not(stuck(d, 'instant', before))))))
    .where((eb) => eb.not(eb.exists(eb.selectFrom('delivery_items')
      .innerJoin('deliveries', 'deliveries.id', 'delivery_items.delivery_id')
      .select('delivery_items.notice_id')
      .whereRef('delivery_items.company_id', '=', 'matches.company_id')
      .whereRef('delivery_items.notice_id', '=', 'matches.notice_id')
      .where('delivery_items.section', '=', 'new')
      .where((d) => d.not(stuck(d, 'instant', before))))))
    .select(['matches.company_id', 'matches.subscription_ids'])
    .selectAll('notices')
    .orderBy('matches.created_at')
    .limit(limit)
    .execute() as Promise<(NoticeRow & { company_id: string; subscription_ids: string })[]>;
}

/**
 * Material changes made between `since` and `before`, each with a firm the
 * match job should have told of it (as mail/changes.ts picks them: told of the
 * notice as new before the change, following tenders instantly) that has no
 * change ledger row for that revision, or only a stuck one.
 */
export async function untoldChanges(db: Db, since: string, before: string, limit: number) {
  return untoldChangesQuery(db, since, before, limit).execute();
}

export function untoldChangesQuery(db: Db, since: string, before: string, limit: number) {
  return db
    .selectFrom('notice_changes')
    .innerJoin('delivery_items', (j) => j.onRef('delivery_items.notice_id', '=', 'notice_changes.notice_id').on('delivery_items.section', '=', 'new'))
    .innerJoin('deliveries as told', 'told.id', 'delivery_items.delivery_id')
    .innerJoin('companies', 'companies.id', 'delivery_items.company_id')
    .where('notice_changes.material', '=', 1)
    .where('notice_changes.created_at', '>=', since)
    .where('notice_changes.created_at', '<=', before)
    .whereRef('told.created_at', '<', 'notice_changes.created_at')
    .where('companies.email_status', '=', 'confirmed')
    .where((eb) => eb.exists(eb.selectFrom('subscriptions').select('subscriptions.id')
      .whereRef('subscriptions.company_id', '=', 'companies.id')
      .where('subscriptions.active', '=', 1).where('subscriptions.frequency', '=', 'instant')))
    .where((eb) => eb.not(eb.exists(eb.selectFrom('deliveries').select('deliveries.id')
      .whereRef('deliveries.company_id', '=', 'companies.id')
      .where('deliveries.kind', '=', 'change')
      .where('deliveries.ref', '=', sql<string>`${sql.ref('notice_changes.notice_id')} || '-' || ${sql.ref('notice_changes.revision')}`)
      .where((d) => d.not(stuck(d, 'change', before))))))
    // A firm told of the notice in several e-mails is one row (PostgreSQL wants the order's column selected).
    .select(['companies.id as companyId', 'notice_changes.notice_id as noticeId', 'notice_changes.revision', 'notice_changes.created_at'])
    .distinct()
    .orderBy('notice_changes.created_at')
    .limit(limit);
}

/**
 * Subscription changes relayed between `since` and `before` whose backfill
 * left no mark: Redis lost the job, or it failed for good. The outbox row
 * stays after it is relayed, and its payload is the backfill job's; a week
 * holds few (they are what firms do by hand), so they are read whole.
 */
export async function unbackfilledChanges(db: Db, since: string, before: string, limit: number) {
  const rows = await db
    .selectFrom('outbox')
    .select('payload')
    .where('topic', '=', 'subscription.changed')
    .where('created_at', '>=', since)
    .where('created_at', '<=', before)
    .where('relayed_at', 'is not', null)
    .orderBy('created_at')
    .execute();
  const changes = rows.map((r) => JSON.parse(r.payload) as { companyId: string; subscriptionId: string; change: string });
  const marked = new Set<string>();
  for (let from = 0; from < changes.length; from += 500) {
    const names = changes.slice(from, from + 500).map((c) => markName('backfilled', c.change));
    for (const row of await db.selectFrom('revisions').select('name').where('name', 'in', names).execute()) marked.add(row.name);
  }
  return changes.filter((c) => !marked.has(markName('backfilled', c.change))).slice(0, limit);
}

/** The firms' active instant subscriptions with the kinds of notice each takes. */
export async function instantSubscriptions(db: Db, companyIds: string[]): Promise<Map<string, string[]>> {
  if (companyIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('subscriptions')
    .select(['id', 'filters'])
    .where('company_id', 'in', companyIds)
    .where('active', '=', 1)
    .where('frequency', '=', 'instant')
    .execute();
  return new Map(rows.map((r) => [r.id, (JSON.parse(r.filters) as { kinds?: string[] }).kinds ?? []]));
}
