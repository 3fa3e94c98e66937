// SQL of the statistics: keeping the derived tables (stat_procurements,
// stat_contracts) in step with the notices, the lookups of where suppliers
// are, and the figures, each one grouped aggregate over an index.
import { sql, type Insertable, type Selectable } from 'kysely';
import type { Db } from '../../db/database.ts';
import { groupConcat } from '../../db/dialect.ts';
import type { StatContractsTable, StatProcurementsTable } from '../../db/schema.ts';

export type StatProcurementRow = Insertable<StatProcurementsTable>;
export type StatContractRow = Insertable<StatContractsTable>;

// ---------------------------------------------------------------------------
// State

export async function getState(db: Db, key: string): Promise<string | null> {
  const row = await db.selectFrom('stat_state').select('value').where('key', '=', key).executeTakeFirst();
  return row?.value ?? null;
}

export async function setState(db: Db, key: string, value: string): Promise<void> {
  await db.insertInto('stat_state').values({ key, value }).onConflict((oc) => oc.column('key').doUpdateSet({ value })).execute();
}

// ---------------------------------------------------------------------------
// The notices that changed

export type ChangedNotice = {
  id: string; source: string; kind: string; status: string; revision: number; published_at: string | null;
  procedure: string | null; updated_at: string; buyer_org: string | null;
};

/** Notices updated at or after `since`, in (updated_at, id) order after the cursor. */
export function changedNotices(db: Db, since: string, after: { at: string; id: string } | null, limit: number): Promise<ChangedNotice[]> {
  let q = db
    .selectFrom('notices')
    .innerJoin('buyers', 'buyers.id', 'notices.buyer_id')
    .select(['notices.id', 'notices.source', 'notices.kind', 'notices.status', 'notices.revision', 'notices.published_at', 'notices.procedure', 'notices.updated_at', 'buyers.org_number as buyer_org'])
    .where('notices.updated_at', '>=', since);
  if (after) {
    q = q.where((eb) => eb.or([eb('notices.updated_at', '>', after.at), eb.and([eb('notices.updated_at', '=', after.at), eb('notices.id', '>', after.id)])]));
  }
  return q.orderBy('notices.updated_at').orderBy('notices.id').limit(limit).execute();
}

export type NoticeFacts = {
  awards: { id: string; notice_id: string; lot_id: string | null; winner_name: string; winner_org_number: string | null; winner_size: string | null; winner_nuts: string | null; winner_postal_code: string | null; amount: number | null; currency: string | null; tenders_received: number | null; awarded_on: string | null }[];
  criteria: { notice_id: string; kind: string; code: string }[];
  cpv: { notice_id: string; code: string }[];
};

export async function noticeFacts(db: Db, ids: string[]): Promise<NoticeFacts> {
  if (!ids.length) return { awards: [], criteria: [], cpv: [] };
  const [awards, criteria, cpv] = await Promise.all([
    db.selectFrom('awards').select(['id', 'notice_id', 'lot_id', 'winner_name', 'winner_org_number', 'winner_size', 'winner_nuts', 'winner_postal_code', 'amount', 'currency', 'tenders_received', 'awarded_on']).where('notice_id', 'in', ids).execute(),
    db.selectFrom('notice_criteria').select(['notice_id', 'kind', 'code']).where('notice_id', 'in', ids).execute(),
    db.selectFrom('notice_cpv').select(['notice_id', 'code']).where('notice_id', 'in', ids).where('is_main', '=', 1).where('lot_id', 'is', null).execute(),
  ]);
  return { awards, criteria, cpv };
}

/** Replaces the derived rows of these notices. */
export async function replaceStatRows(db: Db, noticeIds: string[], procurements: StatProcurementRow[], contracts: StatContractRow[]): Promise<void> {
  for (let i = 0; i < noticeIds.length; i += 500) {
    const ids = noticeIds.slice(i, i + 500);
    await db.deleteFrom('stat_contracts').where('notice_id', 'in', ids).execute();
    await db.deleteFrom('stat_procurements').where('notice_id', 'in', ids).execute();
  }
  for (let i = 0; i < procurements.length; i += 200) await db.insertInto('stat_procurements').values(procurements.slice(i, i + 200)).execute();
  for (let i = 0; i < contracts.length; i += 100) await db.insertInto('stat_contracts').values(contracts.slice(i, i + 100)).execute();
}

// ---------------------------------------------------------------------------
// Where suppliers are

/** Changes whenever anything the supplier places depend on changes. */
export async function lookupFingerprint(db: Db): Promise<string> {
  const one = async (table: 'companies' | 'company_workplaces' | 'supplier_register' | 'name_match_decisions' | 'postal_codes', column?: string) => {
    const row = await db
      .selectFrom(table)
      .select([sql<number>`count(*)`.as('n'), column ? sql<string>`max(${sql.ref(column)})`.as('m') : sql<string>`''`.as('m')])
      .executeTakeFirstOrThrow();
    return `${row.n}/${row.m ?? ''}`;
  };
  return [
    await one('companies', 'updated_at'), await one('company_workplaces'), await one('supplier_register', 'imported_at'),
    await one('name_match_decisions', 'decided_at'), await one('postal_codes'),
  ].join(';');
}

export async function firmPlaces(db: Db): Promise<{ id: string; org_number: string; name: string; municipality_code: string; size: string | null; founded: string | null; created_at: string; workplaces: string | null }[]> {
  return db
    .selectFrom('companies')
    .select(['companies.id', 'companies.org_number', 'companies.name', 'companies.municipality_code', 'companies.size', 'companies.founded', 'companies.created_at'])
    .select((eb) =>
      eb.selectFrom('company_workplaces').select(groupConcat(db, sql.ref('municipality_code'), ' ').as('w')).whereRef('company_workplaces.company_id', '=', 'companies.id').as('workplaces'),
    )
    .execute();
}

export function registerPlaces(db: Db) {
  return db.selectFrom('supplier_register').select(['org_number', 'municipality_code', 'name_key']).execute();
}

export function nameDecisions(db: Db) {
  return db.selectFrom('name_match_decisions').select(['name_key', 'org_number', 'decision']).execute();
}

export async function postalMunicipalities(db: Db): Promise<Map<string, string>> {
  const rows = await db.selectFrom('postal_codes').select(['postal_code', 'municipality_code']).execute();
  return new Map(rows.map((r) => [r.postal_code, r.municipality_code]));
}

export type PlacedContract = Pick<Selectable<StatContractsTable>, 'award_id' | 'winner_org' | 'name_key' | 'address_municipality' | 'winner_nuts' | 'level' | 'rule' | 'municipality_code' | 'matched_org' | 'company_id' | 'size' | 'size_source'>;

export function contractPlaces(db: Db, afterId: string, limit: number): Promise<PlacedContract[]> {
  return db
    .selectFrom('stat_contracts')
    .select(['award_id', 'winner_org', 'name_key', 'address_municipality', 'winner_nuts', 'level', 'rule', 'municipality_code', 'matched_org', 'company_id', 'size', 'size_source'])
    .where('award_id', '>', afterId)
    .orderBy('award_id')
    .limit(limit)
    .execute();
}

export async function updateContractPlace(db: Db, p: PlacedContract): Promise<void> {
  await db
    .updateTable('stat_contracts')
    .set({ level: p.level, rule: p.rule, municipality_code: p.municipality_code, matched_org: p.matched_org, company_id: p.company_id, size: p.size, size_source: p.size_source })
    .where('award_id', '=', p.award_id)
    .execute();
}

// ---------------------------------------------------------------------------
// Supplier register, workplaces, name decisions

export type RegisterRow = { org_number: string; municipality_code: string; name: string; name_key: string; postal_code: string | null };

/** Upserts register rows; returns how many were new, changed and unchanged. */
export async function upsertRegister(db: Db, rows: RegisterRow[], source: string, now: string): Promise<{ new: number; updated: number; unchanged: number }> {
  const out = { new: 0, updated: 0, unchanged: 0 };
  for (const r of rows) {
    const old = await db.selectFrom('supplier_register').select(['name', 'postal_code']).where('org_number', '=', r.org_number).where('municipality_code', '=', r.municipality_code).executeTakeFirst();
    if (old && old.name === r.name && old.postal_code === r.postal_code) { out.unchanged++; continue; }
    if (old) {
      await db.updateTable('supplier_register').set({ name: r.name, name_key: r.name_key, postal_code: r.postal_code, source, imported_at: now })
        .where('org_number', '=', r.org_number).where('municipality_code', '=', r.municipality_code).execute();
      out.updated++;
    } else {
      await db.insertInto('supplier_register').values({ ...r, source, imported_at: now }).execute();
      out.new++;
    }
  }
  return out;
}

export async function replaceWorkplaces(db: Db, companyId: string, codes: string[]): Promise<void> {
  await db.deleteFrom('company_workplaces').where('company_id', '=', companyId).execute();
  if (codes.length) await db.insertInto('company_workplaces').values(codes.map((municipality_code) => ({ company_id: companyId, municipality_code }))).execute();
}

export async function workplacesOf(db: Db, companyId: string): Promise<string[]> {
  const rows = await db.selectFrom('company_workplaces').select('municipality_code').where('company_id', '=', companyId).orderBy('municipality_code').execute();
  return rows.map((r) => r.municipality_code);
}

export async function companyExists(db: Db, companyId: string): Promise<boolean> {
  return !!(await db.selectFrom('companies').select('id').where('id', '=', companyId).executeTakeFirst());
}

export async function touchCompany(db: Db, companyId: string, now: string): Promise<void> {
  await db.updateTable('companies').set({ updated_at: now }).where('id', '=', companyId).execute();
}

export async function decideNameMatch(db: Db, d: { name_key: string; org_number: string; decision: string; user_id: string | null; decided_at: string }): Promise<void> {
  await db.insertInto('name_match_decisions').values(d)
    .onConflict((oc) => oc.columns(['name_key', 'org_number']).doUpdateSet({ decision: d.decision, user_id: d.user_id, decided_at: d.decided_at }))
    .execute();
}

/** Name matches in the period (awards placed by a name), grouped by name and candidate. */
export function nameMatches(db: Db, f: StatFilter, limit: number) {
  return filtered(db.selectFrom('stat_contracts'), f)
    .where('rule', 'in', ['name', 'name-confirmed'])
    .select(['name_key', 'matched_org', 'rule', 'level', 'municipality_code', sql<string>`min(winner_name)`.as('winner_name'), sql<number>`count(*)`.as('contracts')])
    .groupBy(['name_key', 'matched_org', 'rule', 'level', 'municipality_code'])
    .orderBy('contracts', 'desc')
    .limit(limit)
    .execute();
}

// ---------------------------------------------------------------------------
// Figures

export type StatFilter = { from: string; to: string; buyerOrg: string | null };

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- both derived tables have day and buyer_org
function filtered<Q extends { where: any }>(q: Q, f: StatFilter): Q {
  let out = q.where('day', '>=', f.from).where('day', '<=', f.to);
  if (f.buyerOrg) out = out.where('buyer_org', '=', f.buyerOrg);
  return out as Q;
}

export type ContractGroup = {
  level: string; rule: string; size: string | null; size_source: string | null; social: number; environmental: number; innovation: number; reserved: number;
  contracts: number; amount: number | null; valued: number; tenders: number | null; tendered: number;
};

const CONTRACT_GROUP = ['level', 'rule', 'size', 'size_source', 'social', 'environmental', 'innovation', 'reserved'] as const;
const PROCUREMENT_GROUP = ['social', 'environmental', 'innovation', 'reserved'] as const;

/**
 * Contracts in the period grouped by what the figures tell apart (a few hundred
 * groups at most). Grouped first by day as well, in the order of the covering
 * index `stat_contracts_figures_idx` (migration 0013), so that all buyers' year
 * (≈200k rows at 1M contracts) is read from the index alone without sorting
 * every row; the days' groups (≈20k) are then summed.
 */
export function contractGroups(db: Db, f: StatFilter): Promise<ContractGroup[]> {
  const byDay = filtered(db.selectFrom('stat_contracts'), f)
    .select(['day', ...CONTRACT_GROUP])
    .select([
      sql<number>`count(*)`.as('contracts'), sql<number | null>`sum(amount)`.as('amount'), sql<number>`count(amount)`.as('valued'),
      sql<number | null>`sum(tenders_received)`.as('tenders'), sql<number>`count(tenders_received)`.as('tendered'),
    ])
    .groupBy(['day', ...CONTRACT_GROUP]);
  return db
    .selectFrom(byDay.as('d'))
    .select([...CONTRACT_GROUP])
    .select([
      sql<number>`sum(contracts)`.as('contracts'), sql<number | null>`sum(amount)`.as('amount'), sql<number>`sum(valued)`.as('valued'),
      sql<number | null>`sum(tenders)`.as('tenders'), sql<number>`sum(tendered)`.as('tendered'),
    ])
    .groupBy([...CONTRACT_GROUP])
    .execute();
}

export type ProcurementGroup = { social: number; environmental: number; innovation: number; reserved: number; procurements: number; direct: number };

/** Procurements in the period by CSR flags; by day first, as contractGroups (index `stat_procurements_figures_idx`). */
export function procurementGroups(db: Db, f: StatFilter): Promise<ProcurementGroup[]> {
  const byDay = filtered(db.selectFrom('stat_procurements'), f)
    .select(['day', ...PROCUREMENT_GROUP, sql<number>`count(*)`.as('procurements'), sql<number>`sum(direct)`.as('direct')])
    .groupBy(['day', ...PROCUREMENT_GROUP]);
  return db
    .selectFrom(byDay.as('d'))
    .select([...PROCUREMENT_GROUP, sql<number>`sum(procurements)`.as('procurements'), sql<number>`sum(direct)`.as('direct')])
    .groupBy([...PROCUREMENT_GROUP])
    .execute();
}

export const BREAKDOWNS = { 'contract-type': 'contract_type', 'cpv-division': 'cpv_division', procedure: 'procedure', size: 'size', buyer: 'buyer_org', source: 'source' } as const;
export type Breakdown = keyof typeof BREAKDOWNS;

/** Contracts per value of one dimension and locality level. */
export function breakdownGroups(db: Db, f: StatFilter, by: Breakdown) {
  const column = BREAKDOWNS[by];
  return filtered(db.selectFrom('stat_contracts'), f)
    .select([sql<string | null>`${sql.ref(column)}`.as('key'), 'level', sql<number>`count(*)`.as('contracts'), sql<number | null>`sum(amount)`.as('amount'), sql<number>`count(amount)`.as('valued')])
    .groupBy([sql.ref(column), 'level'])
    .execute();
}

/**
 * Reach: per procurement of the period, how many local firms (by the given
 * municipalities: registered there or with a workplace there) were alerted to
 * it (an e-mail that was sent, listing it as new).
 */
export async function reachRows(db: Db, f: StatFilter, local: string[]): Promise<{ procurements: number; reached: number; alerts: number }> {
  const localFirms = db
    .selectFrom('companies').select('id').where('municipality_code', 'in', local)
    .union(db.selectFrom('company_workplaces').select('company_id as id').where('municipality_code', 'in', local));
  const alerted = db
    .selectFrom('delivery_items')
    .innerJoin('deliveries', 'deliveries.id', 'delivery_items.delivery_id')
    .where('deliveries.status', '=', 'sent')
    .where('delivery_items.section', '=', 'new')
    .where('delivery_items.company_id', 'in', localFirms)
    .select(['delivery_items.notice_id', sql<number>`count(distinct delivery_items.company_id)`.as('firms')])
    .groupBy('delivery_items.notice_id');
  const row = await filtered(db.selectFrom('stat_procurements'), f)
    .leftJoin(alerted.as('a'), 'a.notice_id', 'stat_procurements.notice_id')
    .select([sql<number>`count(*)`.as('procurements'), sql<number>`count(a.notice_id)`.as('reached'), sql<number>`coalesce(sum(a.firms), 0)`.as('alerts')])
    .executeTakeFirstOrThrow();
  return row;
}

/** Conversion: (local firm, procurement) pairs alerted in the period, and those where the firm won it or a lot. */
export async function conversionRows(db: Db, f: StatFilter, local: string[]): Promise<{ alerted: number; won: number }> {
  const localFirms = db
    .selectFrom('companies').select('id').where('municipality_code', 'in', local)
    .union(db.selectFrom('company_workplaces').select('company_id as id').where('municipality_code', 'in', local));
  const pairs = db
    .selectFrom('delivery_items')
    .innerJoin('deliveries', 'deliveries.id', 'delivery_items.delivery_id')
    .where('deliveries.status', '=', 'sent')
    .where('delivery_items.section', '=', 'new')
    .where('delivery_items.company_id', 'in', localFirms)
    .select(['delivery_items.notice_id', 'delivery_items.company_id'])
    .distinct();
  const row = await filtered(db.selectFrom('stat_procurements'), f)
    .innerJoin(pairs.as('p'), 'p.notice_id', 'stat_procurements.notice_id')
    .select([
      sql<number>`count(*)`.as('alerted'),
      sql<number>`sum(case when exists (select 1 from stat_contracts c where c.notice_id = p.notice_id and c.company_id = p.company_id) then 1 else 0 end)`.as('won'),
    ])
    .executeTakeFirstOrThrow();
  return { alerted: row.alerted, won: row.won ?? 0 };
}

/** Registered local firms on a day, and how many hold each capability valid that day. */
export async function capabilityRows(db: Db, local: string[], day: string): Promise<{ firms: number; capabilities: { capability: string; firms: number }[] }> {
  const localFirms = db
    .selectFrom('companies').select('id').where('municipality_code', 'in', local).where('created_at', '<=', `${day}T23:59:59.999Z`)
    .union(
      db.selectFrom('company_workplaces').innerJoin('companies', 'companies.id', 'company_workplaces.company_id')
        .select('company_workplaces.company_id as id').where('company_workplaces.municipality_code', 'in', local).where('companies.created_at', '<=', `${day}T23:59:59.999Z`),
    );
  const firms = await db.selectFrom(localFirms.as('f')).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
  const capabilities = await db
    .selectFrom('company_capabilities')
    .where('company_id', 'in', localFirms)
    .where((eb) => eb.or([eb('valid_until', 'is', null), eb('valid_until', '>=', day)]))
    .select(['capability', sql<number>`count(distinct company_id)`.as('firms')])
    .groupBy('capability')
    .orderBy('capability')
    .execute();
  return { firms: firms.n, capabilities };
}

/** (firm, procurement) pairs of the period's procurements alerted as new in a sent e-mail, per firm. */
export function alertsByFirm(db: Db, f: StatFilter): Promise<{ company_id: string; alerts: number }[]> {
  const pairs = db
    .selectFrom('delivery_items')
    .innerJoin('deliveries', 'deliveries.id', 'delivery_items.delivery_id')
    .where('deliveries.status', '=', 'sent')
    .where('delivery_items.section', '=', 'new')
    .select(['delivery_items.notice_id', 'delivery_items.company_id'])
    .distinct();
  return filtered(db.selectFrom('stat_procurements'), f)
    .innerJoin(pairs.as('p'), 'p.notice_id', 'stat_procurements.notice_id')
    .select(['p.company_id', sql<number>`count(*)`.as('alerts')])
    .groupBy('p.company_id')
    .execute();
}

/** Contracts of the period per winning registered firm (null: not a registered firm), level and rule. */
export function winsByFirm(db: Db, f: StatFilter): Promise<{ company_id: string | null; level: string; rule: string; contracts: number }[]> {
  return filtered(db.selectFrom('stat_contracts'), f)
    .select(['company_id', 'level', 'rule', sql<number>`count(*)`.as('contracts')])
    .groupBy(['company_id', 'level', 'rule'])
    .execute();
}

/** Firms declaring a capability valid on a day (without an end date, or ending that day or later). */
export async function firmsWithCapability(db: Db, capability: string, day: string): Promise<string[]> {
  const rows = await db
    .selectFrom('company_capabilities')
    .select('company_id')
    .where('capability', '=', capability)
    .where((eb) => eb.or([eb('valid_until', 'is', null), eb('valid_until', '>=', day)]))
    .distinct()
    .execute();
  return rows.map((r) => r.company_id);
}

/** Contracts of the period per CPV division (of the procurement's main code), level and rule. */
export function divisionGroups(db: Db, f: StatFilter) {
  return filtered(db.selectFrom('stat_contracts'), f)
    .select(['cpv_division', 'level', 'rule', sql<number>`count(*)`.as('contracts'), sql<number | null>`sum(amount)`.as('amount'), sql<number>`count(amount)`.as('valued')])
    .groupBy(['cpv_division', 'level', 'rule'])
    .execute();
}

/**
 * Firms registered by the end of `day` per CPV division of their categories
 * (a firm counts once per division); with `local`, only the firms registered in
 * or with a workplace in those municipalities. Also the number of such firms.
 */
export async function firmsByDivision(db: Db, local: string[] | null, day: string): Promise<{ firms: number; divisions: { division: string; firms: number }[] }> {
  const end = `${day}T23:59:59.999Z`;
  let firms = db.selectFrom('companies').select('companies.id').where('companies.created_at', '<=', end);
  if (local) {
    const inLocal = local;
    firms = firms.where((eb) => eb.or([
      eb('companies.municipality_code', 'in', inLocal),
      eb('companies.id', 'in', db.selectFrom('company_workplaces').select('company_id').where('municipality_code', 'in', inLocal)),
    ]));
  }
  const [count, divisions] = await Promise.all([
    db.selectFrom(firms.as('f')).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow(),
    db.selectFrom('company_categories')
      .where('company_id', 'in', firms)
      .select([sql<string>`substr(code, 1, 2)`.as('division'), sql<number>`count(distinct company_id)`.as('firms')])
      .groupBy(sql`substr(code, 1, 2)`)
      .execute(),
  ]);
  return { firms: count.n, divisions };
}

// ---------------------------------------------------------------------------
// Invoices

export type InvoiceRow = { id: string; buyer_org: string | null; day: string; supplier_org: string | null; supplier_name: string; name_key: string; amount: number; account: string | null };

/** Inserts invoice lines not yet stored (the id is the line's content): returns how many were new. */
export async function insertInvoices(db: Db, rows: InvoiceRow[], source: string, now: string): Promise<number> {
  let added = 0;
  for (let i = 0; i < rows.length; i += 100) {
    const result = await db.insertInto('invoices').values(rows.slice(i, i + 100).map((r) => ({ ...r, source, imported_at: now })))
      .onConflict((oc) => oc.column('id').doNothing()).executeTakeFirst();
    added += Number(result.numInsertedOrUpdatedRows ?? 0);
  }
  return added;
}

/**
 * Spend in the period per supplier (organisationsnummer or, without one, the
 * name). An invoice line without a buyer is the ledger of `homeOrg` (the home
 * municipality's organisation): it counts for that buyer and for all, not for
 * other buyers.
 */
export function spendBySupplier(db: Db, f: StatFilter, homeOrg: string | null = null) {
  let q = db.selectFrom('invoices').where('day', '>=', f.from).where('day', '<=', f.to);
  if (f.buyerOrg) {
    const buyer = f.buyerOrg;
    q = buyer === homeOrg ? q.where((eb) => eb.or([eb('buyer_org', '=', buyer), eb('buyer_org', 'is', null)])) : q.where('buyer_org', '=', buyer);
  }
  return q
    .select(['supplier_org', 'name_key', sql<number>`sum(amount)`.as('amount'), sql<number>`count(*)`.as('lines')])
    .groupBy(['supplier_org', 'name_key'])
    .execute();
}
