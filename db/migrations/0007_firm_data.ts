// A firm's data: what is left of a deleted firm's e-mail (anonymised counts),
// a small ledger for e-mail about accounts that belongs to no firm (a
// registration attempt for a number or an address already known), owners for
// firms registered before accounts, and company names within today's bound.
import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations must not depend on today's schema */
export async function up(db: Kysely<any>): Promise<void> {
  // When a firm is deleted, its delivery ledger becomes these counts: no firm,
  // no address, no notice; only how many e-mails of a kind went out in a month.
  await db.schema
    .createTable('delivery_counts')
    .addColumn('month', 'text', (c) => c.notNull()) // YYYY-MM (UTC), of the ledger row's creation
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // sent | failed | pending
    .addColumn('count', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('delivery_counts_pk', ['month', 'kind', 'status'])
    .execute();

  // One row per account e-mail (kind, ref): claimed before sending, marked after,
  // so a retry never sends twice; the row id is the Message-ID. No address is kept.
  await db.schema
    .createTable('account_mails')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('ref', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .addUniqueConstraint('account_mails_kind_ref_key', ['kind', 'ref'])
    .execute();

  // Company names are at most 120 characters now (they head e-mails).
  await sql`UPDATE companies SET name = substr(name, 1, 120) WHERE length(name) > 120`.execute(db);

  // Every firm gets an owner: its address, unless that address is already a user.
  const firms = await db
    .selectFrom('companies')
    .select(['id', 'email', 'created_at'])
    .where('id', 'not in', db.selectFrom('users').select('company_id').where('company_id', 'is not', null))
    .orderBy('created_at')
    .execute();
  const taken = new Set((await db.selectFrom('users').select('email').execute()).map((u: { email: string }) => u.email));
  const now = new Date().toISOString();
  for (const firm of firms as { id: string; email: string }[]) {
    const email = firm.email.toLowerCase();
    if (taken.has(email)) continue;
    taken.add(email);
    await db.insertInto('users').values({
      id: randomUUID(), email, name: null, roles: 'firm', company_id: firm.id, buyer_id: null, is_owner: 1, created_at: now, updated_at: now,
    }).execute();
  }
}
