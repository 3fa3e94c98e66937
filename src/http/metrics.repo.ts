// The counts /metrics reads from the database at scrape time: each one query,
// over an index where there is one (the outbox's pending rows), otherwise a
// single count over a small table (companies, subscriptions) or the ledger.
import type { Db } from '../../db/database.ts';

/** Ledger rows (one per e-mail) by status: pending, sent, failed, … */
export async function deliveriesByStatus(db: Db): Promise<{ status: string; count: number }[]> {
  const rows = await db.selectFrom('deliveries').select((eb) => ['status', eb.fn.countAll<number>().as('count')]).groupBy('status').execute();
  return rows.map((r) => ({ status: r.status, count: Number(r.count) }));
}

/** Firms by the state of their address: unconfirmed, confirmed, suspended, … */
export async function addressesByStatus(db: Db): Promise<{ status: string; count: number }[]> {
  const rows = await db.selectFrom('companies').select((eb) => ['email_status', eb.fn.countAll<number>().as('count')]).groupBy('email_status').execute();
  return rows.map((r) => ({ status: r.email_status, count: Number(r.count) }));
}

/** Outbox rows not yet relayed to the queues, and when the oldest of them was written (null: none). */
export async function outboxBacklog(db: Db): Promise<{ count: number; oldest: string | null }> {
  const row = await db
    .selectFrom('outbox')
    .select((eb) => [eb.fn.countAll<number>().as('count'), eb.fn.min('created_at').as('oldest')])
    .where('relayed_at', 'is', null)
    .executeTakeFirstOrThrow();
  return { count: Number(row.count), oldest: row.oldest ?? null };
}

/** Active subscriptions: the match index holds one rule for each. */
export async function activeSubscriptions(db: Db): Promise<number> {
  const row = await db.selectFrom('subscriptions').select((eb) => eb.fn.countAll<number>().as('count')).where('active', '=', 1).executeTakeFirstOrThrow();
  return Number(row.count);
}
