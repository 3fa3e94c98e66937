// The request an outbox row was written by (its X-Request-Id), carried on to
// the jobs the relay makes of it; null for work not started by a request.
import type { Kysely } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations must not depend on today's schema */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('outbox').addColumn('request_id', 'text').execute();
}
