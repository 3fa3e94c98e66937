// Lifting a suspended address: staff may, and the firm does by confirming its
// address again (a confirmation can be sent to a suspended address). What was
// held while it was suspended then reaches the firm as one summary of the
// notices still open (the outbox's `company.lifted`; see sendOpening).
import { inTransaction, type Db } from '../../db/database.ts';
import { findCompany, liftSuspension } from '../companies/companies.repo.ts';
import { newId, nowIso } from '../ids.ts';
import { addToOutbox } from '../queue/outbox.repo.ts';

/** The ledger reference of the summary after a lift: `lifted-<id>`, one per lift. */
export const LIFTED_PREFIX = 'lifted-';

/** Lifts the firm's suspension; undefined when there is no such firm, false when it was not suspended. */
export async function liftSuspensionOf(db: Db, companyId: string): Promise<{ emailStatus: string } | false | undefined> {
  return inTransaction(db, async (trx) => {
    const company = await findCompany(trx, companyId);
    if (!company) return undefined;
    return lift(trx, company);
  });
}

/** In the caller's transaction: lifts, and asks for the summary of what was held. */
export async function lift(trx: Db, company: { id: string; email_confirmed_at: string | null }, confirmedNow = false) {
  const at = nowIso();
  const confirmed = confirmedNow || company.email_confirmed_at !== null;
  if (!(await liftSuspension(trx, company.id, at, confirmed))) return false;
  await addToOutbox(trx, { topic: 'company.lifted', payload: { companyId: company.id, ref: `${LIFTED_PREFIX}${newId()}`, at } });
  return { emailStatus: confirmed ? 'confirmed' : 'unconfirmed' };
}
