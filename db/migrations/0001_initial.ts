// Frozen in time: never edit a migration that has shipped; add a new one.
import type { Kysely } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations must not depend on today's schema */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('buyers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('org_number', 'text', (c) => c.unique())
    .addColumn('nuts', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('notices')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('source_id', 'text', (c) => c.notNull())
    .addColumn('version', 'text')
    .addColumn('procedure_id', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('buyer_id', 'text', (c) => c.notNull().references('buyers.id'))
    .addColumn('estimated_amount', 'double precision')
    .addColumn('estimated_currency', 'text')
    .addColumn('published_at', 'text')
    .addColumn('deadline', 'text')
    .addColumn('procedure', 'text')
    .addColumn('sme_suitable', 'integer')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('content_hash', 'text', (c) => c.notNull())
    .addColumn('document', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('notices_source_key', ['source', 'source_id'])
    .execute();
  await db.schema.createIndex('notices_procedure_idx').on('notices').columns(['source', 'procedure_id']).execute();
  await db.schema.createIndex('notices_published_idx').on('notices').column('published_at').execute();
  await db.schema.createIndex('notices_buyer_idx').on('notices').column('buyer_id').execute();

  const noticeChild = (name: string) =>
    db.schema
      .createTable(name)
      .addColumn('notice_id', 'text', (c) => c.notNull().references('notices.id').onDelete('cascade'));

  await noticeChild('notice_cpv')
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('lot_id', 'text')
    .addColumn('is_main', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('notice_cpv_notice_idx').on('notice_cpv').column('notice_id').execute();
  await db.schema.createIndex('notice_cpv_code_idx').on('notice_cpv').column('code').execute();

  await noticeChild('notice_lots')
    .addColumn('lot_id', 'text', (c) => c.notNull())
    .addColumn('title', 'text')
    .addColumn('cpv_main', 'text')
    .addColumn('estimated_amount', 'double precision')
    .addColumn('estimated_currency', 'text')
    .addPrimaryKeyConstraint('notice_lots_pk', ['notice_id', 'lot_id'])
    .execute();

  await noticeChild('notice_criteria')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('notice_criteria_pk', ['notice_id', 'kind', 'code'])
    .execute();

  await noticeChild('notice_places')
    .addColumn('nuts', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('notice_places_pk', ['notice_id', 'nuts'])
    .execute();

  await noticeChild('awards')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('lot_id', 'text')
    .addColumn('winner_name', 'text', (c) => c.notNull())
    .addColumn('winner_org_number', 'text')
    .addColumn('winner_size', 'text')
    .addColumn('winner_nuts', 'text')
    .addColumn('winner_postal_code', 'text')
    .addColumn('amount', 'double precision')
    .addColumn('currency', 'text')
    .addColumn('tenders_received', 'integer')
    .execute();
  await db.schema.createIndex('awards_notice_idx').on('awards').column('notice_id').execute();

  await db.schema
    .createTable('companies')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_number', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('municipality_code', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull().defaultTo('sv'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  const companyChild = (name: string) =>
    db.schema
      .createTable(name)
      .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id').onDelete('cascade'));

  await companyChild('company_categories')
    .addColumn('code', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('company_categories_pk', ['company_id', 'code'])
    .execute();

  await companyChild('company_capabilities')
    .addColumn('capability', 'text', (c) => c.notNull())
    .addColumn('valid_until', 'text')
    .addPrimaryKeyConstraint('company_capabilities_pk', ['company_id', 'capability'])
    .execute();

  await companyChild('subscriptions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('frequency', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('subscriptions_company_idx').on('subscriptions').column('company_id').execute();

  await db.schema
    .createTable('subscription_cpv')
    .addColumn('subscription_id', 'text', (c) => c.notNull().references('subscriptions.id').onDelete('cascade'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('subscription_cpv_pk', ['subscription_id', 'code'])
    .execute();
  await db.schema.createIndex('subscription_cpv_code_idx').on('subscription_cpv').column('code').execute();

  await db.schema
    .createTable('matches')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('notice_id', 'text', (c) => c.notNull().references('notices.id').onDelete('cascade'))
    .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id').onDelete('cascade'))
    .addColumn('score', 'integer', (c) => c.notNull())
    .addColumn('reasons', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('matches_notice_company_key', ['notice_id', 'company_id'])
    .execute();
  await db.schema.createIndex('matches_company_idx').on('matches').column('company_id').execute();

  await db.schema
    .createTable('deliveries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id').onDelete('cascade'))
    .addColumn('notice_id', 'text', (c) => c.notNull().references('notices.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('message_id', 'text')
    .addColumn('error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .addUniqueConstraint('deliveries_company_notice_kind_key', ['company_id', 'notice_id', 'kind'])
    .execute();

  await db.schema
    .createTable('outbox')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('topic', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('relayed_at', 'text')
    .execute();
  await db.schema.createIndex('outbox_pending_idx').on('outbox').columns(['relayed_at', 'id']).execute();
}
