// What the staff pages read that no other feature reads: the counts on the
// staff start page, the firm directory with its facet counts, and the audit
// log filtered by actor, action and time. Reading only.
import { sql } from 'kysely';
import type { Db } from '../../../db/database.ts';

export async function staffCounts(db: Db, localArea: string[], now: string) {
  const [firms, local, open, suspended] = await Promise.all([
    db.selectFrom('companies').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    db.selectFrom('companies').select((eb) => eb.fn.countAll<number>().as('n')).where('municipality_code', 'in', localArea).executeTakeFirstOrThrow(),
    db.selectFrom('notices').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'active').where('deadline', '>', now).executeTakeFirstOrThrow(),
    db.selectFrom('companies').select((eb) => eb.fn.countAll<number>().as('n')).where('email_status', '=', 'suspended').executeTakeFirstOrThrow(),
  ]);
  return { firms: Number(firms.n), localFirms: Number(local.n), openNotices: Number(open.n), suspended: Number(suspended.n) };
}

export type DirectoryFilter = {
  /** Municipality codes the firm may be in; null: anywhere. */
  municipalities: string[] | null;
  /** A CPV division (two digits): the firm has a category in it. */
  division: string | null;
  /** A CSR capability the firm holds (in force on `today`). */
  capability: string | null;
  today: string;
};

function filtered(db: Db, f: Omit<DirectoryFilter, 'division' | 'capability'> & Partial<DirectoryFilter>) {
  let query = db.selectFrom('companies');
  if (f.municipalities) query = query.where('companies.municipality_code', 'in', f.municipalities.length ? f.municipalities : ['']);
  if (f.division) {
    const division = f.division;
    query = query.where((eb) => eb.exists(eb.selectFrom('company_categories').select('company_categories.code')
      .whereRef('company_categories.company_id', '=', 'companies.id').where('company_categories.code', 'like', `${division}%`)));
  }
  if (f.capability) {
    const capability = f.capability;
    query = query.where((eb) => eb.exists(eb.selectFrom('company_capabilities').select('company_capabilities.capability')
      .whereRef('company_capabilities.company_id', '=', 'companies.id').where('company_capabilities.capability', '=', capability)
      .where((w) => w.or([w('company_capabilities.valid_until', 'is', null), w('company_capabilities.valid_until', '>=', f.today)]))));
  }
  return query;
}

/** One page of the firms the filter admits, by name, with how many there are in all. */
export async function directoryPage(db: Db, f: DirectoryFilter, limit: number, offset: number) {
  const [rows, total] = await Promise.all([
    filtered(db, f)
      .select(['companies.id', 'companies.name', 'companies.org_number', 'companies.municipality_code', 'companies.email_status'])
      .orderBy('companies.name').orderBy('companies.id').limit(limit).offset(offset).execute(),
    filtered(db, f).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  const ids = rows.map((r) => r.id);
  const [categories, capabilities] = ids.length
    ? await Promise.all([
      db.selectFrom('company_categories').select(['company_id', 'code']).where('company_id', 'in', ids).orderBy('code').execute(),
      db.selectFrom('company_capabilities').select(['company_id', 'capability', 'valid_until']).where('company_id', 'in', ids).orderBy('capability').execute(),
    ])
    : [[], []];
  return { rows, total: Number(total.n), categories, capabilities };
}

/** Facet counts within the municipality filter: firms per CPV division and per capability in force. */
export async function directoryFacets(db: Db, f: Pick<DirectoryFilter, 'municipalities' | 'today'>) {
  const ids = filtered(db, f).select('companies.id');
  const division = sql<string>`substr(company_categories.code, 1, 2)`;
  const [divisions, capabilities] = await Promise.all([
    db.selectFrom('company_categories')
      .select([division.as('division'), (eb) => eb.fn.count<number>('company_categories.company_id').distinct().as('n')])
      .where('company_categories.company_id', 'in', ids)
      .groupBy(division).orderBy(division).execute(),
    db.selectFrom('company_capabilities')
      .select(['company_capabilities.capability', (eb) => eb.fn.count<number>('company_capabilities.company_id').distinct().as('n')])
      .where('company_capabilities.company_id', 'in', ids)
      .where((w) => w.or([w('company_capabilities.valid_until', 'is', null), w('company_capabilities.valid_until', '>=', f.today)]))
      .groupBy('company_capabilities.capability').orderBy('company_capabilities.capability').execute(),
  ]);
  return {
    divisions: divisions.map((d) => ({ division: d.division, firms: Number(d.n) })),
    capabilities: capabilities.map((c) => ({ capability: c.capability, firms: Number(c.n) })),
  };
}

/** The firm's latest deliveries (what was sent, or held, when), newest first. */
export async function recentDeliveries(db: Db, companyId: string, limit: number) {
  return db.selectFrom('deliveries')
    .select(['id', 'kind', 'ref', 'status', 'attempts', 'error', 'created_at', 'sent_at'])
    .where('company_id', '=', companyId)
    .orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}

/** How many deliveries were held for each firm while its address was suspended. */
export async function heldDeliveries(db: Db, companyIds: string[]) {
  if (!companyIds.length) return new Map<string, number>();
  const rows = await db.selectFrom('deliveries')
    .select(['company_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('company_id', 'in', companyIds).where('status', '=', 'held')
    .groupBy('company_id').execute();
  return new Map(rows.map((r) => [r.company_id, Number(r.n)]));
}

