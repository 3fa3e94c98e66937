// The outbox table: services add a row in their own transaction; the relay
// reads the pending rows and marks them relayed once their jobs are queued.
import type { Db } from '../../db/database.ts';
import { newId, nowIso } from '../ids.ts';
import { currentOrigin } from './origin.ts';

export type OutboxMessage =
  | { topic: 'notice.stored'; payload: { noticeId: string; revision: number } }
  /** A confirmation e-mail is due: on registration, a new address, or a resend (a new round). */
  | { topic: 'company.registered'; payload: { companyId: string; round: number } }
  /** A subscription was added, changed or resumed: match it against the notices open now. */
  | { topic: 'subscription.changed'; payload: { companyId: string; subscriptionId: string; change: string } }
  /** The address was confirmed: tell the firm what already matches (one summary e-mail). */
  | { topic: 'company.confirmed'; payload: { companyId: string; at: string } }
  /** A suspended address was lifted: one summary of the alerts held meanwhile whose notices are still open (`ref`: lifted-<id>). */
  | { topic: 'company.lifted'; payload: { companyId: string; ref: string; at: string } }
  /** A registration named a number already registered (`companyId`) or an address already a user's (`userId`): tell them, once that day. */
  | { topic: 'registration.known'; payload: { companyId: string; day: string } | { userId: string; day: string } }
  /** Someone asked for a sign-in link for a user's address: the worker makes the one-time link and mails it. */
  | { topic: 'signin.requested'; payload: { userId: string; requestId: string; lang: 'sv' | 'en' } };

/** Adds a row; it carries the id of the request being answered, if any (see origin.ts). */
export async function addToOutbox(db: Db, message: OutboxMessage): Promise<void> {
  const requestId = currentOrigin()?.requestId ?? null;
  await db
    .insertInto('outbox')
    .values({ id: newId(), topic: message.topic, payload: JSON.stringify(message.payload), created_at: nowIso(), relayed_at: null, request_id: requestId })
    .execute();
}

/** The oldest rows not yet relayed, at most `limit`, as the messages they were written as. */
export async function pendingMessages(db: Db, limit: number): Promise<(OutboxMessage & { id: string; requestId: string | null })[]> {
  const rows = await db
    .selectFrom('outbox')
    .select(['id', 'topic', 'payload', 'request_id'])
    .where('relayed_at', 'is', null)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((row) => ({ id: row.id, topic: row.topic, payload: JSON.parse(row.payload), requestId: row.request_id }) as OutboxMessage & { id: string; requestId: string | null });
}

export async function markRelayed(db: Db, ids: string[]): Promise<void> {
  await db.updateTable('outbox').set({ relayed_at: nowIso() }).where('id', 'in', ids).execute();
}
