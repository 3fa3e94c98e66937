// What the links in e-mail do: confirm an address, stop subscriptions.
import type { Db } from '../../db/database.ts';
import { bumpSubscriptionsRevision } from '../companies/companies.service.ts';
import { nowIso } from '../ids.ts';

export async function confirmAddress(db: Db, companyId: string): Promise<boolean> {
  const result = await db
    .updateTable('companies')
    .set({ email_status: 'confirmed', email_confirmed_at: nowIso(), updated_at: nowIso() })
    .where('id', '=', companyId)
    .where('email_status', '=', 'unconfirmed')
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Stops one subscription, or every subscription of the firm ('*'). */
export async function unsubscribe(db: Db, companyId: string, subscription: string): Promise<number> {
  return db.transaction().execute(async (trx) => {
    let query = trx.updateTable('subscriptions').set({ active: 0 }).where('company_id', '=', companyId).where('active', '=', 1);
    if (subscription !== '*') query = query.where('id', '=', subscription);
    const result = await query.executeTakeFirst();
    await bumpSubscriptionsRevision(trx);
    return Number(result.numUpdatedRows);
  });
}
