// Alerts firms can trust: an officer's notice is identified by its buyer's own
// reference; a change records what it was before and after (for "old → new"
// in e-mail) and why; subscriptions ask for closing reminders; a confirmation
// can be sent again (a new round); CPV labels for readable reasons.
import type { Kysely } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations must not depend on today's schema */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('notices').addColumn('reference', 'text').execute();
  await db.schema.createIndex('notices_reference_idx').on('notices').columns(['buyer_id', 'reference']).execute();

  // JSON array of { field, before, after } for the material fields.
  await db.schema.alterTable('notice_changes').addColumn('details', 'text', (c) => c.notNull().defaultTo('[]')).execute();
  await db.schema.alterTable('notice_changes').addColumn('reason', 'text').execute();

  // Days before the deadline to remind; null: no reminders.
  await db.schema.alterTable('subscriptions').addColumn('reminder_days', 'integer').execute();
  await db.schema.alterTable('subscriptions').addColumn('updated_at', 'text').execute();

  // Bumped each time a confirmation e-mail is (re)sent: part of its ledger key and job id.
  await db.schema.alterTable('companies').addColumn('confirm_round', 'integer', (c) => c.notNull().defaultTo(1)).execute();

  await db.schema
    .createTable('cpv_labels')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('label_sv', 'text', (c) => c.notNull())
    .addColumn('label_en', 'text', (c) => c.notNull())
    .execute();
}
