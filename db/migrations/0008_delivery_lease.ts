// Safe sending: a ledger row is claimed for one worker at a time (pending →
// sending, with an owner and a lease that another worker may take over once it
// expires), a 5xx is counted per row (the first is retried: a relay rejecting
// everyone must not cost firms their addresses), and every 5xx is recorded
// with its time and firm, so a relay fault (most firms rejected within a
// minute) is told from a bad address.
import type { Kysely } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations must not depend on today's schema */
export async function up(db: Kysely<any>): Promise<void> {
  // status: pending | sending | sent | failed | held | released
  await db.schema.alterTable('deliveries').addColumn('owner', 'text').execute();
  await db.schema.alterTable('deliveries').addColumn('lease_until', 'text').execute();
  await db.schema.alterTable('deliveries').addColumn('rejections', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  // The relay's recent successes are read by time.
  await db.schema.createIndex('deliveries_sent_at_idx').on('deliveries').column('sent_at').execute();
  await db.schema.createIndex('deliveries_company_status_idx').on('deliveries').columns(['company_id', 'status']).execute();

  await db.schema
    .createTable('mail_rejections')
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('company_id', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('mail_rejections_at_idx').on('mail_rejections').column('at').execute();
}

