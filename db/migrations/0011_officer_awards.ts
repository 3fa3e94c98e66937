// Officers' drafts and the awards they register (issue 13). A draft is the
// publish form as the officer left it: stored apart from notices, so it is
// never indexed, matched or alerted until it is published. An award records
// the day the contract was awarded (issue 14 counts awards by it).
import type { Kysely } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations must not depend on today's schema */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('notice_drafts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('buyer_id', 'text', (c) => c.notNull().references('buyers.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('form', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('notice_drafts_buyer_idx').on('notice_drafts').column('buyer_id').execute();
  await db.schema.alterTable('awards').addColumn('awarded_on', 'text').execute();
}
