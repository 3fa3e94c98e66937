// What the links in e-mail do: confirm an address, stop subscriptions.
import { inTransaction, type Db } from '../../db/database.ts';
import { bumpSubscriptionsRevision, deactivateSubscriptions, findCompany, markAddressConfirmed } from '../companies/companies.repo.ts';
import { addToOutbox } from '../queue/outbox.repo.ts';
import { nowIso } from '../ids.ts';
import { lift } from './suspensions.service.ts';

/**
 * Confirms the address; the firm then hears, in one e-mail, what its
 * subscriptions already match. A suspended address confirmed again is lifted,
 * and the firm hears what was held meanwhile.
 */
export async function confirmAddress(db: Db, companyId: string): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    const at = nowIso();
    const company = await findCompany(trx, companyId);
    if (company?.email_status === 'suspended') return (await lift(trx, company, true)) !== false;
    if (!(await markAddressConfirmed(trx, companyId, at))) return false;
    await addToOutbox(trx, { topic: 'company.confirmed', payload: { companyId, at } });
    return true;
  });
}

/** Stops one subscription, or every subscription of the firm ('*'). */
export async function unsubscribe(db: Db, companyId: string, subscription: string): Promise<number> {
  return inTransaction(db, async (trx) => {
    const stopped = await deactivateSubscriptions(trx, companyId, subscription);
    // The engines follow: one subscription, or the firm's (each as stored now).
    await bumpSubscriptionsRevision(trx, subscription === '*' ? { kind: 'company', ref: companyId } : { kind: 'subscription', ref: subscription });
    return stopped;
  });
}
