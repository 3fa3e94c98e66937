// Plain Kysely functions over firms, their profile and subscriptions. No rules here: see the services.
import type { Insertable, Updateable } from 'kysely';
import { inTransaction, type Db } from '../../db/database.ts';
import type { CompaniesTable, SubscriptionRow, SubscriptionsTable } from '../../db/schema.ts';
import { nowIso } from '../ids.ts';

export type { SubscriptionRow };
export type NewSubscription = Insertable<SubscriptionsTable>;

export async function findCompany(db: Db, id: string) {
  return db.selectFrom('companies').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Whether any firm is registered (the demo seeds only an empty database). */
export async function hasCompanies(db: Db): Promise<boolean> {
  return (await db.selectFrom('companies').select('id').limit(1).executeTakeFirst()) !== undefined;
}

export async function findCompanyByOrgNumber(db: Db, orgNumber: string) {
  return db.selectFrom('companies').select('id').where('org_number', '=', orgNumber).executeTakeFirst();
}

export async function insertCompany(db: Db, values: Insertable<CompaniesTable>) {
  await db.insertInto('companies').values(values).execute();
}

export async function updateCompany(db: Db, id: string, values: Updateable<CompaniesTable>) {
  await db.updateTable('companies').set(values).where('id', '=', id).execute();
}

/** Confirms an address still awaiting confirmation; false when it was not (any more). */
export async function markAddressConfirmed(db: Db, id: string, at: string): Promise<boolean> {
  const result = await db
    .updateTable('companies')
    .set({ email_status: 'confirmed', email_confirmed_at: at, updated_at: at })
    .where('id', '=', id)
    .where('email_status', '=', 'unconfirmed')
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/**
 * Counts a permanent delivery failure; the address is suspended once there are
 * `suspendAfter` of them with no success between (a success resets the count).
 * Suspending starts a new confirmation round: links mailed before it no longer
 * lift the suspension, only a confirmation sent afterwards does.
 */
export async function recordPermanentFailure(db: Db, id: string, suspendAfter: number): Promise<boolean> {
  await db
    .updateTable('companies')
    .set((eb) => ({ permanent_failures: eb('permanent_failures', '+', 1) }))
    .where('id', '=', id)
    .execute();
  const suspended = await db
    .updateTable('companies')
    .set((eb) => ({ email_status: 'suspended', confirm_round: eb('confirm_round', '+', 1), updated_at: nowIso() }))
    .where('id', '=', id)
    .where('email_status', '!=', 'suspended')
    .where('permanent_failures', '>=', suspendAfter)
    .executeTakeFirst();
  return suspended.numUpdatedRows > 0n;
}

/** The address took an e-mail: earlier permanent failures no longer count towards a suspension. */
export async function resetPermanentFailures(db: Db, id: string): Promise<void> {
  await db.updateTable('companies').set({ permanent_failures: 0 }).where('id', '=', id).where('permanent_failures', '>', 0).execute();
}

/**
 * Lifts a suspension: the address is confirmed again (or still awaits its first
 * confirmation, if it never had one) and its failures are forgotten; false when it was not suspended.
 */
export async function liftSuspension(db: Db, id: string, at: string, confirmed: boolean): Promise<boolean> {
  const result = await db
    .updateTable('companies')
    .set({
      email_status: confirmed ? 'confirmed' : 'unconfirmed', permanent_failures: 0, updated_at: at,
      ...(confirmed && { email_confirmed_at: at }),
    })
    .where('id', '=', id)
    .where('email_status', '=', 'suspended')
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Addresses suspended after repeated permanent delivery failures, most recent first. */
export async function suspendedAddresses(db: Db) {
  return db
    .selectFrom('companies')
    .select(['id', 'name', 'email', 'permanent_failures', 'updated_at'])
    .where('email_status', '=', 'suspended')
    .orderBy('updated_at', 'desc')
    .execute();
}

export async function companyDetails(db: Db, id: string) {
  const company = await findCompany(db, id);
  if (!company) return undefined;
  const [categories, capabilities, subscriptions, subscriptionCpv] = await Promise.all([
    db.selectFrom('company_categories').select('code').where('company_id', '=', id).orderBy('code').execute(),
    db.selectFrom('company_capabilities').select(['capability', 'valid_until']).where('company_id', '=', id).orderBy('capability').execute(),
    db.selectFrom('subscriptions').selectAll().where('company_id', '=', id).orderBy('created_at').orderBy('id').execute(),
    db
      .selectFrom('subscription_cpv')
      .innerJoin('subscriptions', 'subscriptions.id', 'subscription_cpv.subscription_id')
      .select(['subscription_cpv.subscription_id', 'subscription_cpv.code'])
      .where('subscriptions.company_id', '=', id)
      .orderBy('subscription_cpv.code')
      .execute(),
  ]);
  return { company, categories, capabilities, subscriptions, subscriptionCpv };
}

export async function replaceCategories(db: Db, companyId: string, codes: string[]) {
  await db.deleteFrom('company_categories').where('company_id', '=', companyId).execute();
  await db.insertInto('company_categories').values(codes.map((code) => ({ company_id: companyId, code }))).execute();
}

export async function replaceCapabilities(db: Db, companyId: string, capabilities: { capability: string; validUntil: string | null }[]) {
  await db.deleteFrom('company_capabilities').where('company_id', '=', companyId).execute();
  if (capabilities.length === 0) return;
  await db
    .insertInto('company_capabilities')
    .values(capabilities.map((c) => ({ company_id: companyId, capability: c.capability, valid_until: c.validUntil })))
    .execute();
}

/** One subscription of one firm: another firm's id finds nothing. */
export async function findSubscription(db: Db, companyId: string, id: string) {
  const row = await db.selectFrom('subscriptions').selectAll().where('id', '=', id).where('company_id', '=', companyId).executeTakeFirst();
  if (!row) return undefined;
  const cpv = await db.selectFrom('subscription_cpv').select('code').where('subscription_id', '=', id).orderBy('code').execute();
  return { row, cpv: cpv.map((c) => c.code) };
}

export async function insertSubscription(db: Db, values: Insertable<SubscriptionsTable>) {
  await db.insertInto('subscriptions').values(values).execute();
}

export async function updateSubscription(db: Db, id: string, values: Updateable<SubscriptionsTable>) {
  await db.updateTable('subscriptions').set(values).where('id', '=', id).execute();
}

export async function replaceSubscriptionCpv(db: Db, subscriptionId: string, codes: string[]) {
  await db.deleteFrom('subscription_cpv').where('subscription_id', '=', subscriptionId).execute();
  await db.insertInto('subscription_cpv').values(codes.map((code) => ({ subscription_id: subscriptionId, code }))).execute();
}

export async function deleteSubscription(db: Db, id: string) {
  await db.deleteFrom('subscriptions').where('id', '=', id).execute(); // its codes go with it (on delete cascade)
}

/** Stops one active subscription of the firm, or all of them ('*'); returns how many stopped. */
export async function deactivateSubscriptions(db: Db, companyId: string, subscription: string): Promise<number> {
  let query = db.updateTable('subscriptions').set({ active: 0 }).where('company_id', '=', companyId).where('active', '=', 1);
  if (subscription !== '*') query = query.where('id', '=', subscription);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** The firm's active subscriptions: what the digest and reminder rules read. */
export async function activeSubscriptions(db: Db, companyId: string) {
  return db
    .selectFrom('subscriptions')
    .select(['id', 'frequency', 'filters', 'reminder_days'])
    .where('company_id', '=', companyId)
    .where('active', '=', 1)
    .execute();
}

/** Names of these subscriptions, oldest first. */
export async function subscriptionNames(db: Db, ids: string[]) {
  return db.selectFrom('subscriptions').select(['id', 'name', 'active']).where('id', 'in', ids).orderBy('created_at').execute();
}

/** What moved the subscriptions revision: one subscription, one firm's profile, or (no change named) anything. */
export type IndexChange = { kind: 'subscription' | 'company'; ref: string };

/** Change rows kept: an engine further behind than this rebuilds its index instead. */
const CHANGES_KEPT = 10_000;

/**
 * Match engines follow this number: they apply the change rows since the
 * revision they hold to their index, and rebuild it when one is missing or
 * names no change. The move and its row are one transaction, so a reader that
 * sees the revision sees the row.
 */
export async function bumpSubscriptionsRevision(db: Db, change?: IndexChange): Promise<void> {
  await inTransaction(db, async (trx) => {
    const { value } = await trx
      .updateTable('revisions')
      .set((eb) => ({ value: eb('value', '+', 1) }))
      .where('name', '=', 'subscriptions')
      .returning('value')
      .executeTakeFirstOrThrow();
    await trx.insertInto('index_changes').values({ revision: value, kind: change?.kind ?? 'all', ref: change?.ref ?? null }).execute();
    await trx.deleteFrom('index_changes').where('revision', '<=', value - CHANGES_KEPT).execute();
  });
}
