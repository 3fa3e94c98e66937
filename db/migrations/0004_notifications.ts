// Notifications: confirmed addresses, a delivery ledger keyed by (firm, kind,
// reference) that serves alerts and digests alike, and what each digest held.
import { sql, type Kysely } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations must not depend on today's schema */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('companies').addColumn('email_status', 'text', (c) => c.notNull().defaultTo('unconfirmed')).execute();
  await db.schema.alterTable('companies').addColumn('email_confirmed_at', 'text').execute();
  await db.schema.alterTable('companies').addColumn('permanent_failures', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  // Every subscription that matched, not only the best: digests are per frequency.
  await db.schema.alterTable('matches').addColumn('subscription_ids', 'text', (c) => c.notNull().defaultTo('[]')).execute();

  await db.schema.alterTable('deliveries').renameTo('deliveries_v1').execute();
  await db.schema
    .createTable('deliveries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id').onDelete('cascade'))
    // instant | daily | weekly | confirm
    .addColumn('kind', 'text', (c) => c.notNull())
    // the notice id (instant), the period (daily 2026-11-27, weekly 2026-W48) or the confirmation round
    .addColumn('ref', 'text', (c) => c.notNull())
    // pending | sent | failed
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('message_id', 'text')
    .addColumn('error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .addUniqueConstraint('deliveries_company_kind_ref_key', ['company_id', 'kind', 'ref'])
    .execute();
  await sql`INSERT INTO deliveries (id, company_id, kind, ref, status, attempts, message_id, error, created_at, sent_at)
    SELECT id, company_id, kind, notice_id, status, attempts, message_id, error, created_at, sent_at FROM deliveries_v1`.execute(db);

  await db.schema
    .createTable('delivery_items')
    .addColumn('delivery_id', 'text', (c) => c.notNull().references('deliveries.id').onDelete('cascade'))
    .addColumn('company_id', 'text', (c) => c.notNull())
    .addColumn('notice_id', 'text', (c) => c.notNull().references('notices.id').onDelete('cascade'))
    // new | closing | changed
    .addColumn('section', 'text', (c) => c.notNull())
    // for 'changed': the notice revision the firm was told about
    .addColumn('revision', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('delivery_items_pk', ['delivery_id', 'notice_id', 'section'])
    .execute();
  await sql`INSERT INTO delivery_items (delivery_id, company_id, notice_id, section, revision)
    SELECT id, company_id, notice_id, 'new', 0 FROM deliveries_v1`.execute(db);
  await db.schema.dropTable('deliveries_v1').execute();
  await db.schema.createIndex('delivery_items_company_idx').on('delivery_items').columns(['company_id', 'notice_id']).execute();
}
