// Local-supplier share statistics (issue 14). Where suppliers are: a firm's
// other workplaces, a supplier register imported by staff, and staff's word on
// name matches. The figures are counted over two derived tables, one row per
// procurement and one per contract (award: winner × lot), kept in step with
// the notices by src/stats (never written by anything else), so that a
// period's figures are one indexed aggregate. Invoices (accounts payable) for
// the local share of spend.
import type { Kysely } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations must not depend on today's schema */
export async function up(db: Kysely<any>): Promise<void> {
  // A firm's workplaces (arbetsställen) besides its registered municipality.
  await db.schema
    .createTable('company_workplaces')
    .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id').onDelete('cascade'))
    .addColumn('municipality_code', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('company_workplaces_pk', ['company_id', 'municipality_code'])
    .execute();

  // One row per supplier and workplace municipality, from staff's CSV imports.
  await db.schema
    .createTable('supplier_register')
    .addColumn('org_number', 'text', (c) => c.notNull())
    .addColumn('municipality_code', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_key', 'text', (c) => c.notNull())
    .addColumn('postal_code', 'text')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('imported_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('supplier_register_pk', ['org_number', 'municipality_code'])
    .execute();
  await db.schema.createIndex('supplier_register_name_idx').on('supplier_register').column('name_key').execute();

  // Staff's decision on a name match: the winner's normalised name is (not) this organisationsnummer.
  await db.schema
    .createTable('name_match_decisions')
    .addColumn('name_key', 'text', (c) => c.notNull())
    .addColumn('org_number', 'text', (c) => c.notNull())
    .addColumn('decision', 'text', (c) => c.notNull()) // confirmed | rejected
    .addColumn('user_id', 'text')
    .addColumn('decided_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('name_match_decisions_pk', ['name_key', 'org_number'])
    .execute();

  // Derived: one row per procurement (a notice that is not withdrawn, planning or a lone change).
  await db.schema
    .createTable('stat_procurements')
    .addColumn('notice_id', 'text', (c) => c.primaryKey())
    .addColumn('buyer_org', 'text')
    .addColumn('day', 'text') // the publication day (Europe/Stockholm); a direct award's day of award
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('direct', 'integer', (c) => c.notNull())
    .addColumn('procedure', 'text')
    .addColumn('contract_type', 'text')
    .addColumn('cpv_division', 'text')
    .addColumn('social', 'integer', (c) => c.notNull())
    .addColumn('environmental', 'integer', (c) => c.notNull())
    .addColumn('innovation', 'integer', (c) => c.notNull())
    .addColumn('reserved', 'integer', (c) => c.notNull())
    .addColumn('contracts', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('stat_procurements_day_idx').on('stat_procurements').columns(['day', 'buyer_org']).execute();
  await db.schema.createIndex('stat_procurements_buyer_idx').on('stat_procurements').columns(['buyer_org', 'day']).execute();

  // Derived: one row per contract (award), with the supplier's place and the rule that decided it.
  await db.schema
    .createTable('stat_contracts')
    .addColumn('award_id', 'text', (c) => c.primaryKey())
    .addColumn('notice_id', 'text', (c) => c.notNull())
    .addColumn('buyer_org', 'text')
    .addColumn('day', 'text')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('direct', 'integer', (c) => c.notNull())
    .addColumn('procedure', 'text')
    .addColumn('contract_type', 'text')
    .addColumn('cpv_division', 'text')
    .addColumn('social', 'integer', (c) => c.notNull())
    .addColumn('environmental', 'integer', (c) => c.notNull())
    .addColumn('innovation', 'integer', (c) => c.notNull())
    .addColumn('reserved', 'integer', (c) => c.notNull())
    .addColumn('size', 'text')
    .addColumn('amount', 'double precision') // SEK; another currency counts as an unknown value
    .addColumn('tenders_received', 'integer')
    .addColumn('winner_name', 'text', (c) => c.notNull())
    .addColumn('winner_org', 'text')
    .addColumn('name_key', 'text', (c) => c.notNull())
    .addColumn('address_municipality', 'text') // from the winner's postcode
    .addColumn('winner_nuts', 'text')
    .addColumn('level', 'text', (c) => c.notNull()) // home | local-area | county | sweden | abroad | unknown
    .addColumn('rule', 'text', (c) => c.notNull()) // firm | register | address | name | name-confirmed | unknown
    .addColumn('municipality_code', 'text')
    .addColumn('matched_org', 'text') // the organisationsnummer the place came from (a name match's candidate)
    .addColumn('company_id', 'text') // the registered firm that won, when known
    .execute();
  await db.schema.createIndex('stat_contracts_day_idx').on('stat_contracts').columns(['day', 'buyer_org', 'level']).execute();
  await db.schema.createIndex('stat_contracts_buyer_idx').on('stat_contracts').columns(['buyer_org', 'day', 'level']).execute();
  await db.schema.createIndex('stat_contracts_notice_idx').on('stat_contracts').column('notice_id').execute();

  // Where the derived tables have got to (the notices' updated_at, the lookups' fingerprint).
  await db.schema
    .createTable('stat_state')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('notices_updated_idx').on('notices').columns(['updated_at', 'id']).execute();

  // Accounts payable: one row per invoice line, identified by its content (a re-import counts once).
  await db.schema
    .createTable('invoices')
    .addColumn('id', 'text', (c) => c.primaryKey()) // hash of buyer, date, supplier, amount, reference, occurrence
    .addColumn('buyer_org', 'text')
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('supplier_org', 'text')
    .addColumn('supplier_name', 'text', (c) => c.notNull())
    .addColumn('name_key', 'text', (c) => c.notNull())
    .addColumn('amount', 'double precision', (c) => c.notNull()) // SEK excl. VAT; a credit note is negative
    .addColumn('account', 'text')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('imported_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('invoices_day_idx').on('invoices').columns(['day', 'buyer_org']).execute();
}
