// Lookups that had no index: the firms told of a notice (asked by every match
// job, for the change e-mails), and what reconciliation reads of the last
// week: the notices' changes and the subscriptions' changes in the outbox.
import type { Kysely } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations must not depend on today's schema */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('delivery_items_notice_idx').on('delivery_items').columns(['notice_id', 'section']).execute();
  await db.schema.createIndex('notice_changes_created_idx').on('notice_changes').column('created_at').execute();
  await db.schema.createIndex('outbox_topic_created_idx').on('outbox').columns(['topic', 'created_at']).execute();
}
