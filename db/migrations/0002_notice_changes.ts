// What changed between two stored versions of a notice; material changes
// (deadline, value, CPV) are the ones firms are alerted about.
import type { Kysely } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations must not depend on today's schema */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('notice_changes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('notice_id', 'text', (c) => c.notNull().references('notices.id').onDelete('cascade'))
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('source_ref', 'text')
    .addColumn('fields', 'text', (c) => c.notNull())
    .addColumn('material', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('notice_changes_revision_key', ['notice_id', 'revision'])
    .execute();
}
