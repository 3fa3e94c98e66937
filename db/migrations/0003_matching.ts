// Matching that explains itself: subscription filters, the subscription behind
// each match, a revision counter engines reload on, and region reference tables.
import type { Kysely } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations must not depend on today's schema */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('subscriptions').addColumn('filters', 'text', (c) => c.notNull().defaultTo('{}')).execute();
  await db.schema.alterTable('matches').addColumn('subscription_id', 'text').execute();
  await db.schema.alterTable('matches').addColumn('missing', 'text', (c) => c.notNull().defaultTo('[]')).execute();

  await db.schema
    .createTable('revisions')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'integer', (c) => c.notNull())
    .execute();
  await db.insertInto('revisions').values({ name: 'subscriptions', value: 1 }).execute();

  await db.schema
    .createTable('municipalities')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('short_name', 'text', (c) => c.notNull())
    .addColumn('county_code', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('postal_codes')
    .addColumn('postal_code', 'text', (c) => c.primaryKey())
    .addColumn('locality', 'text', (c) => c.notNull())
    .addColumn('municipality_code', 'text', (c) => c.notNull())
    .execute();
}
