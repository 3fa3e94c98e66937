// The delivery ledger: one row per (firm, kind, reference), claimed before a
// message is sent and marked after. Retries, restarts and duplicate jobs find
// the row and never send twice once it is marked sent.
import { inTransaction, type Db } from '../../db/database.ts';
import { newId, nowIso } from '../ids.ts';

export type DeliveryKind = 'instant' | 'change' | 'opening' | 'reminder' | 'daily' | 'weekly' | 'confirm';
/** What a delivery told the firm about a notice, at which revision. */
export type Item = { noticeId: string; section: 'new' | 'closing' | 'changed' | 'reminder'; revision: number };
export type Claim = { id: string; status: string; attempts: number; items: Item[] };

/**
 * Claims the ledger row, writing the items it will carry in the same
 * transaction; an existing row comes back as it is, so a retry sends exactly
 * what the first attempt meant to send.
 */
export async function claimDelivery(
  db: Db,
  key: { companyId: string; kind: DeliveryKind; ref: string },
  items: (trx: Db) => Promise<Item[]> | Item[],
): Promise<Claim | null> {
  return inTransaction(db, async (trx) => {
    const existing = await find(trx, key);
    if (existing) return existing;
    const content = await items(trx);
    if (key.kind !== 'confirm' && content.length === 0) return null;
    const id = newId();
    await trx
      .insertInto('deliveries')
      .values({ id, company_id: key.companyId, kind: key.kind, ref: key.ref, status: 'pending', created_at: nowIso(), message_id: null, error: null, sent_at: null })
      .execute();
    if (content.length) {
      await trx
        .insertInto('delivery_items')
        .values(content.map((i) => ({ delivery_id: id, company_id: key.companyId, notice_id: i.noticeId, section: i.section, revision: i.revision })))
        .execute();
    }
    return { id, status: 'pending', attempts: 0, items: content };
  });
}

async function find(db: Db, key: { companyId: string; kind: string; ref: string }): Promise<Claim | null> {
  const row = await db
    .selectFrom('deliveries')
    .select(['id', 'status', 'attempts'])
    .where('company_id', '=', key.companyId)
    .where('kind', '=', key.kind)
    .where('ref', '=', key.ref)
    .executeTakeFirst();
  if (!row) return null;
  const items = await db.selectFrom('delivery_items').select(['notice_id', 'section', 'revision']).where('delivery_id', '=', row.id).execute();
  return { ...row, items: items.map((i) => ({ noticeId: i.notice_id, section: i.section as Item['section'], revision: i.revision })) };
}

export async function markSent(db: Db, id: string, messageId: string): Promise<void> {
  await db
    .updateTable('deliveries')
    .set((eb) => ({ status: 'sent', sent_at: nowIso(), message_id: messageId, error: null, attempts: eb('attempts', '+', 1) }))
    .where('id', '=', id)
    .execute();
}

export async function markAttemptFailed(db: Db, id: string, error: string): Promise<void> {
  await db
    .updateTable('deliveries')
    .set((eb) => ({ attempts: eb('attempts', '+', 1), error: error.slice(0, 500) }))
    .where('id', '=', id)
    .execute();
}

/** A permanent failure: recorded, never retried; enough of them suspend the address. */
export async function markPermanentlyFailed(db: Db, id: string, companyId: string, error: string, suspendAfter: number): Promise<void> {
  await inTransaction(db, async (trx) => {
    await trx
      .updateTable('deliveries')
      .set((eb) => ({ status: 'failed', attempts: eb('attempts', '+', 1), error: error.slice(0, 500) }))
      .where('id', '=', id)
      .execute();
    await trx
      .updateTable('companies')
      .set((eb) => ({ permanent_failures: eb('permanent_failures', '+', 1) }))
      .where('id', '=', companyId)
      .execute();
    await trx
      .updateTable('companies')
      .set({ email_status: 'suspended', updated_at: nowIso() })
      .where('id', '=', companyId)
      .where('permanent_failures', '>=', suspendAfter)
      .execute();
  });
}
