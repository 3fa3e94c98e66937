// The match index's change feed (index_changes, written with every move of
// the subscriptions revision) and the rows one change needs: a subscription,
// or a firm with its capabilities and active subscriptions.
import type { Db } from '../../db/database.ts';
import type { IndexChangesTable } from '../../db/schema.ts';

export type IndexChangeRow = IndexChangesTable;

/**
 * The changes after revision `held` up to `now`, oldest first; null when one
 * is missing (pruned, or a revision moved without a row) or names no change:
 * then only a rebuild is sure to be right.
 */
export async function changesSince(db: Db, held: number, now: number): Promise<IndexChangeRow[] | null> {
  const rows = await db
    .selectFrom('index_changes')
    .select(['revision', 'kind', 'ref'])
    .where('revision', '>', held)
    .where('revision', '<=', now)
    .orderBy('revision')
    .execute();
  if (rows.length !== now - held || rows.some((r) => r.kind === 'all' || r.ref === null)) return null;
  return rows;
}

/** One subscription with its codes, whether active or not; undefined when it is gone. */
export async function loadSubscription(db: Db, id: string) {
  const [row, codes] = await Promise.all([
    db.selectFrom('subscriptions').select(['id', 'company_id', 'frequency', 'filters', 'active']).where('id', '=', id).executeTakeFirst(),
    db.selectFrom('subscription_cpv').select('code').where('subscription_id', '=', id).execute(),
  ]);
  return row && { ...row, codes: codes.map((c) => c.code) };
}

/** A firm as the index holds it (municipality and capabilities); undefined when it is gone. */
export async function loadFirm(db: Db, id: string) {
  const [row, capabilities] = await Promise.all([
    db.selectFrom('companies').select(['id', 'municipality_code']).where('id', '=', id).executeTakeFirst(),
    db.selectFrom('company_capabilities').select(['capability', 'valid_until']).where('company_id', '=', id).execute(),
  ]);
  return row && { ...row, capabilities };
}

/** The ids of a firm's subscriptions, active or not. */
export async function subscriptionIdsOf(db: Db, companyId: string): Promise<string[]> {
  return (await db.selectFrom('subscriptions').select('id').where('company_id', '=', companyId).execute()).map((r) => r.id);
}
