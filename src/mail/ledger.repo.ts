// The delivery ledger: one row per (firm, kind, reference), claimed before a
// message is sent and marked after. Retries, restarts and duplicate jobs find
// the row and never send twice once it is marked sent. The row's id is the
// e-mail's Message-ID; its items are what the e-mail told the firm.
import type { Db } from '../../db/database.ts';
import { newId, nowIso } from '../ids.ts';

export type DeliveryKind = 'instant' | 'change' | 'opening' | 'reminder' | 'daily' | 'weekly' | 'confirm';
export type DeliveryKey = { companyId: string; kind: DeliveryKind; ref: string };
/** What a delivery told the firm about a notice, at which revision. */
export type Item = { noticeId: string; section: 'new' | 'closing' | 'changed' | 'reminder'; revision: number };
export type Claim = { id: string; status: string; attempts: number; items: Item[] };

export async function findDelivery(db: Db, key: DeliveryKey): Promise<Claim | null> {
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

/** A pending ledger row with the items it will carry; call in the transaction that found none. */
export async function insertDelivery(db: Db, key: DeliveryKey, items: Item[]): Promise<Claim> {
  const id = newId();
  await db
    .insertInto('deliveries')
    .values({ id, company_id: key.companyId, kind: key.kind, ref: key.ref, status: 'pending', created_at: nowIso(), message_id: null, error: null, sent_at: null })
    .execute();
  if (items.length) {
    await db
      .insertInto('delivery_items')
      .values(items.map((i) => ({ delivery_id: id, company_id: key.companyId, notice_id: i.noticeId, section: i.section, revision: i.revision })))
      .execute();
  }
  return { id, status: 'pending', attempts: 0, items };
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

/** Failed for good: never retried. */
export async function markFailed(db: Db, id: string, error: string): Promise<void> {
  await db
    .updateTable('deliveries')
    .set((eb) => ({ status: 'failed', attempts: eb('attempts', '+', 1), error: error.slice(0, 500) }))
    .where('id', '=', id)
    .execute();
}

/** Every item the firm has been told, in any delivery. */
export async function toldItems(db: Db, companyId: string) {
  return db.selectFrom('delivery_items').select(['notice_id', 'section', 'revision']).where('company_id', '=', companyId).execute();
}

/** The revision of each notice the firm last saw before this delivery. */
export async function toldRevisions(db: Db, companyId: string, exceptDelivery: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('delivery_items').select(['notice_id', 'revision'])
    .where('company_id', '=', companyId).where('delivery_id', '!=', exceptDelivery)
    .execute();
  const told = new Map<string, number>();
  for (const r of rows) told.set(r.notice_id, Math.max(told.get(r.notice_id) ?? 0, r.revision));
  return told;
}

/** Whether the firm has already been told about this notice as new (by an alert, a digest or a summary). */
export async function toldAsNew(db: Db, companyId: string, noticeId: string): Promise<boolean> {
  const row = await db
    .selectFrom('delivery_items').select('notice_id')
    .where('company_id', '=', companyId).where('notice_id', '=', noticeId).where('section', '=', 'new')
    .executeTakeFirst();
  return row !== undefined;
}
