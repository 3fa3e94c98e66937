// What the links in e-mail do: confirm an address, stop subscriptions.
import { inTransaction, type Db } from '../../db/database.ts';
import { addToOutbox } from '../queue/outbox.repo.ts';
import { bumpSubscriptionsRevision } from '../companies/companies.service.ts';
import { nowIso } from '../ids.ts';

/** Confirms the address; the firm then hears, in one e-mail, what its subscriptions already match. */
export async function confirmAddress(db: Db, companyId: string): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    const at = nowIso();
    const result = await trx
      .updateTable('companies')
      .set({ email_status: 'confirmed', email_confirmed_at: at, updated_at: at })
      .where('id', '=', companyId)
      .where('email_status', '=', 'unconfirmed')
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) return false;
    await addToOutbox(trx, { topic: 'company.confirmed', payload: { companyId, at } });
    return true;
  });
}

/** Stops one subscription, or every subscription of the firm ('*'). */
export async function unsubscribe(db: Db, companyId: string, subscription: string): Promise<number> {
  return inTransaction(db, async (trx) => {
    let query = trx.updateTable('subscriptions').set({ active: 0 }).where('company_id', '=', companyId).where('active', '=', 1);
    if (subscription !== '*') query = query.where('id', '=', subscription);
    const result = await query.executeTakeFirst();
    await bumpSubscriptionsRevision(trx);
    return Number(result.numUpdatedRows);
  });
}
