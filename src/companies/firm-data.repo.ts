// Everything Brygga holds about one firm, to hand it over (export) or to let
// it go (delete). The profile and subscriptions are in companies.repo; users
// in accounts.repo; this reads and removes the rest.
import type { Db } from '../../db/database.ts';

/** Every notice that matched the firm, with its title, oldest first. */
export async function matchesOfCompany(db: Db, companyId: string) {
  return db
    .selectFrom('matches')
    .innerJoin('notices', 'notices.id', 'matches.notice_id')
    .select([
      'matches.notice_id', 'notices.title', 'matches.score', 'matches.reasons', 'matches.missing',
      'matches.subscription_id', 'matches.subscription_ids', 'matches.created_at',
    ])
    .where('matches.company_id', '=', companyId)
    .orderBy('matches.created_at')
    .orderBy('matches.notice_id')
    .execute();
}

/** The firm's delivery ledger and what each e-mail told it, oldest first. */
export async function deliveriesOfCompany(db: Db, companyId: string) {
  const [deliveries, items] = await Promise.all([
    db
      .selectFrom('deliveries')
      .select(['id', 'kind', 'ref', 'status', 'attempts', 'message_id', 'error', 'created_at', 'sent_at'])
      .where('company_id', '=', companyId)
      .orderBy('created_at')
      .orderBy('id')
      .execute(),
    db.selectFrom('delivery_items').select(['delivery_id', 'notice_id', 'section', 'revision']).where('company_id', '=', companyId).execute(),
  ]);
  return { deliveries, items };
}

/** The API tokens of these users, as their owners see them (never the secret or its hash). */
export async function apiTokensOf(db: Db, userIds: string[]) {
  if (userIds.length === 0) return [];
  return db
    .selectFrom('api_tokens')
    .select(['id', 'user_id', 'name', 'created_at', 'expires_at', 'last_used_at', 'revoked_at'])
    .where('user_id', 'in', userIds)
    .orderBy('created_at')
    .execute();
}

/** The sessions of these users: when made, last seen, until when (never the secret). */
export async function sessionsOf(db: Db, userIds: string[]) {
  if (userIds.length === 0) return [];
  return db.selectFrom('sessions').select(['user_id', 'created_at', 'last_seen_at', 'expires_at']).where('user_id', 'in', userIds).orderBy('created_at').execute();
}

/** Audit rows about the firm, or of what its users did. */
export async function auditOf(db: Db, companyId: string, userIds: string[]) {
  return db
    .selectFrom('audit_log')
    .select(['id', 'at', 'user_id', 'roles', 'action', 'object_type', 'object_id', 'ip', 'details'])
    .where((eb) => {
      const about = eb.and([eb('object_type', '=', 'company'), eb('object_id', '=', companyId)]);
      return userIds.length ? eb.or([about, eb('user_id', 'in', userIds), eb('object_id', 'in', userIds)]) : about;
    })
    .orderBy('id')
    .execute();
}

/** One row per ledger row: its month (YYYY-MM), kind and status; nothing else. */
export async function deliveryFacts(db: Db, companyId: string) {
  return db.selectFrom('deliveries').select(['created_at', 'kind', 'status']).where('company_id', '=', companyId).execute();
}

/** Adds to the anonymised counts (month, kind, status). */
export async function addDeliveryCounts(db: Db, counts: { month: string; kind: string; status: string; count: number }[]) {
  for (const row of counts) {
    await db
      .insertInto('delivery_counts')
      .values(row)
      .onConflict((oc) => oc.columns(['month', 'kind', 'status']).doUpdateSet((eb) => ({ count: eb('delivery_counts.count', '+', eb.ref('excluded.count')) })))
      .execute();
  }
}

export async function deliveryCounts(db: Db) {
  return db.selectFrom('delivery_counts').selectAll().orderBy('month').orderBy('kind').orderBy('status').execute();
}

/**
 * Removes the firm and everything that names it: the ledger (and what each
 * e-mail told it), matches, subscriptions with their codes, capabilities,
 * categories, then the firm. Its users go first (accounts.repo). Returns how
 * many rows of each went.
 */
export async function deleteCompanyRows(db: Db, companyId: string) {
  const gone = async (query: { executeTakeFirst(): Promise<{ numDeletedRows: bigint }> }) => Number((await query.executeTakeFirst()).numDeletedRows);
  const subscriptions = db.selectFrom('subscriptions').select('id').where('company_id', '=', companyId);
  const deliveryItems = await gone(db.deleteFrom('delivery_items').where('company_id', '=', companyId));
  const deliveries = await gone(db.deleteFrom('deliveries').where('company_id', '=', companyId));
  const matches = await gone(db.deleteFrom('matches').where('company_id', '=', companyId));
  await gone(db.deleteFrom('match_feedback').where('company_id', '=', companyId));
  await gone(db.deleteFrom('subscription_cpv').where('subscription_id', 'in', subscriptions));
  const subscriptionCount = await gone(db.deleteFrom('subscriptions').where('company_id', '=', companyId));
  const capabilities = await gone(db.deleteFrom('company_capabilities').where('company_id', '=', companyId));
  const categories = await gone(db.deleteFrom('company_categories').where('company_id', '=', companyId));
  const companies = await gone(db.deleteFrom('companies').where('id', '=', companyId));
  return { companies, subscriptions: subscriptionCount, capabilities, categories, matches, deliveries, deliveryItems };
}
