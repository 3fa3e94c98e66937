// "Inte relevant": a firm's feedback on a notice that matched it, one row per
// (firm, notice) with the reason it gave. Stored for the dashboard (which marks
// such matches) and for later scoring (issue 16); nothing reads it for matching yet.
import type { Kysely } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations must not depend on today's schema */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('match_feedback')
    .addColumn('company_id', 'text', (c) => c.notNull())
    .addColumn('notice_id', 'text', (c) => c.notNull())
    .addColumn('relevant', 'integer', (c) => c.notNull().defaultTo(0)) // 0: "inte relevant" (the only kind so far)
    .addColumn('reason', 'text', (c) => c.notNull()) // a code: wrong-category | too-far | too-large | too-small | requirements | other
    .addColumn('comment', 'text') // the firm's own words, when it gave any
    .addColumn('user_id', 'text') // who said so (null once the user is removed: not a foreign key)
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('match_feedback_pk', ['company_id', 'notice_id'])
    .execute();
  await db.schema.createIndex('match_feedback_notice_idx').on('match_feedback').column('notice_id').execute();
}
