// The match index's change feed: one row per move of the subscriptions
// revision, saying what moved it (a subscription, a firm's profile, or
// anything else). A match engine reads the rows since the revision it holds
// and applies just those to its in-memory index; a revision without a row
// (pruned, or written by code that names no change) makes it rebuild.
import type { Kysely } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations must not depend on today's schema */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('index_changes')
    .addColumn('revision', 'integer', (c) => c.primaryKey()) // the subscriptions revision this change moved it to
    .addColumn('kind', 'text', (c) => c.notNull()) // subscription | company | all
    .addColumn('ref', 'text') // the subscription's or the firm's id (null for all)
    .execute();
}
