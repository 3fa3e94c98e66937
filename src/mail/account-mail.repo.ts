// The ledger of e-mail about accounts that belongs to no firm (a registration
// attempt for a number or an address Brygga knows): one row per (kind, ref),
// claimed before sending and marked after, so a retry never sends it twice.
// The row's id is the Message-ID; no address or name is kept.
import type { Db } from '../../db/database.ts';
import { newId, nowIso } from '../ids.ts';

export type AccountMailKind = 'known-firm' | 'known-address';

/** The pending row for (kind, ref), made if there is none; null once it was sent or failed for good. */
export async function claimAccountMail(db: Db, kind: AccountMailKind, ref: string): Promise<{ id: string } | null> {
  await db
    .insertInto('account_mails')
    .values({ id: newId(), kind, ref, status: 'pending', error: null, created_at: nowIso(), sent_at: null })
    .onConflict((oc) => oc.columns(['kind', 'ref']).doNothing())
    .execute();
  const row = await db.selectFrom('account_mails').select(['id', 'status']).where('kind', '=', kind).where('ref', '=', ref).executeTakeFirstOrThrow();
  return row.status === 'pending' ? { id: row.id } : null;
}

export async function markAccountMail(db: Db, id: string, outcome: { sent: true } | { sent: false; error: string; final: boolean }): Promise<void> {
  await db
    .updateTable('account_mails')
    .set((eb) => ({
      attempts: eb('attempts', '+', 1),
      ...(outcome.sent
        ? { status: 'sent', sent_at: nowIso(), error: null }
        : { error: outcome.error.slice(0, 500), ...(outcome.final && { status: 'failed' }) }),
    }))
    .where('id', '=', id)
    .execute();
}
