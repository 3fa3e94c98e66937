// The delivery ledger: one row per (firm, kind, reference), claimed before a
// message is sent and marked after. Retries, restarts and duplicate jobs find
// the row and never send twice once it is marked sent; two workers at once
// cannot both take it (pending → sending is one conditional update, with an
// owner and a lease another worker may take over once it expires). The row's
// id is the e-mail's Message-ID; its items are what the e-mail told the firm.
import type { Db } from '../../db/database.ts';
import { newId, nowIso } from '../ids.ts';

export type DeliveryKind = 'instant' | 'change' | 'opening' | 'reminder' | 'daily' | 'weekly' | 'confirm';
export type DeliveryKey = { companyId: string; kind: DeliveryKind; ref: string };
/** What a delivery told the firm about a notice, at which revision. */
export type Item = { noticeId: string; section: 'new' | 'closing' | 'changed' | 'reminder'; revision: number };
export type Claim = { id: string; status: string; attempts: number; rejections: number; items: Item[] };

export async function findDelivery(db: Db, key: DeliveryKey): Promise<Claim | null> {
  const row = await db
    .selectFrom('deliveries')
    .select(['id', 'status', 'attempts', 'rejections'])
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
  return { id, status: 'pending', attempts: 0, rejections: 0, items };
}

/**
 * Takes the row for this attempt: pending → sending, or a `sending` row whose
 * lease ran out (its worker died). One conditional update, so of two workers
 * at once exactly one gets it.
 */
export async function takeLease(db: Db, id: string, owner: string, now: Date, leaseMs: number): Promise<boolean> {
  const at = now.toISOString();
  const result = await db
    .updateTable('deliveries')
    .set({ status: 'sending', owner, lease_until: new Date(now.getTime() + leaseMs).toISOString() })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('status', '=', 'pending'), eb.and([eb('status', '=', 'sending'), eb('lease_until', '<', at)])]))
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Extends this attempt's lease while it is still sending; false when the row is no longer its own. */
export async function renewLease(db: Db, id: string, owner: string, until: Date): Promise<boolean> {
  const result = await db
    .updateTable('deliveries').set({ lease_until: until.toISOString() })
    .where('id', '=', id).where('owner', '=', owner).where('status', '=', 'sending')
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** The firm's address is suspended: a row not being sent is held for the summary after the suspension is lifted. */
export async function hold(db: Db, id: string, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('deliveries')
    .set({ status: 'held', owner: null, lease_until: null })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('status', '=', 'pending'), eb.and([eb('status', '=', 'sending'), eb('lease_until', '<', now.toISOString())])]))
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function markSent(db: Db, id: string, messageId: string): Promise<void> {
  await db
    .updateTable('deliveries')
    .set((eb) => ({ status: 'sent', sent_at: nowIso(), message_id: messageId, error: null, attempts: eb('attempts', '+', 1), owner: null, lease_until: null }))
    .where('id', '=', id)
    .execute();
}

/** This attempt failed for now: the row is pending again (unless another worker has taken it over). `rejected` counts a 5xx against it. */
export async function markAttemptFailed(db: Db, id: string, owner: string, error: string, rejected = false): Promise<void> {
  await db
    .updateTable('deliveries')
    .set((eb) => ({
      status: 'pending', owner: null, lease_until: null, attempts: eb('attempts', '+', 1), error: error.slice(0, 500),
      ...(rejected && { rejections: eb('rejections', '+', 1) }),
    }))
    .where('id', '=', id)
    .where('owner', '=', owner)
    .execute();
}

/** Failed for good: never retried. */
export async function markFailed(db: Db, id: string, error: string): Promise<void> {
  await db
    .updateTable('deliveries')
    .set((eb) => ({ status: 'failed', attempts: eb('attempts', '+', 1), rejections: eb('rejections', '+', 1), error: error.slice(0, 500), owner: null, lease_until: null }))
    .where('id', '=', id)
    .execute();
}

/** The notices of the firm's held rows. */
export async function heldNoticeIds(db: Db, companyId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('delivery_items')
    .innerJoin('deliveries', 'deliveries.id', 'delivery_items.delivery_id')
    .select('delivery_items.notice_id')
    .distinct()
    .where('deliveries.company_id', '=', companyId)
    .where('deliveries.status', '=', 'held')
    .execute();
  return rows.map((r) => r.notice_id);
}

/** The held rows are done with: their open notices go into one summary, the closed ones are dropped. */
export async function releaseHeld(db: Db, companyId: string): Promise<number> {
  const result = await db
    .updateTable('deliveries')
    .set({ status: 'released' })
    .where('company_id', '=', companyId)
    .where('status', '=', 'held')
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** A 5xx answer for this firm, at this time; rows older than a day are dropped. */
export async function recordRejection(db: Db, companyId: string, now: Date): Promise<void> {
  await db.deleteFrom('mail_rejections').where('at', '<', new Date(now.getTime() - 24 * 3600 * 1000).toISOString()).execute();
  await db.insertInto('mail_rejections').values({ at: now.toISOString(), company_id: companyId }).execute();
}

/**
 * The relay since this moment, firm by firm: how many firms it last rejected
 * (a 5xx was their latest answer) and how many it last accepted mail for.
 */
export async function relaySince(db: Db, since: Date): Promise<{ rejectedFirms: number; acceptedFirms: number }> {
  const at = since.toISOString();
  const rejected = await db
    .selectFrom('mail_rejections').select((eb) => ['company_id', eb.fn.max('at').as('at')])
    .where('at', '>=', at).groupBy('company_id').execute();
  const accepted = await db
    .selectFrom('deliveries').select((eb) => ['company_id', eb.fn.max('sent_at').as('at')])
    .where('sent_at', '>=', at).groupBy('company_id').execute();
  const latest = new Map<string, { at: string; ok: boolean }>();
  for (const r of accepted) latest.set(r.company_id, { at: String(r.at), ok: true });
  for (const r of rejected) {
    const seen = latest.get(r.company_id);
    if (!seen || seen.at < String(r.at)) latest.set(r.company_id, { at: String(r.at), ok: false });
  }
  const rejectedFirms = [...latest.values()].filter((l) => !l.ok).length;
  return { rejectedFirms, acceptedFirms: latest.size - rejectedFirms };
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

/** The firm's e-mail, newest first, with what each told it (notice titles): the firm's delivery history page. */
export async function deliveryHistory(db: Db, companyId: string, limit: number, offset = 0) {
  const deliveries = await db
    .selectFrom('deliveries')
    .select(['id', 'kind', 'ref', 'status', 'created_at', 'sent_at'])
    .where('company_id', '=', companyId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();
  const ids = deliveries.map((d) => d.id);
  const items = ids.length
    ? await db
      .selectFrom('delivery_items')
      .leftJoin('notices', 'notices.id', 'delivery_items.notice_id')
      .select(['delivery_items.delivery_id', 'delivery_items.notice_id', 'delivery_items.section', 'notices.title'])
      .where('delivery_items.delivery_id', 'in', ids)
      .execute()
    : [];
  return deliveries.map((d) => ({ ...d, items: items.filter((i) => i.delivery_id === d.id) }));
}
