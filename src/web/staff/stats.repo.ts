// What the statistics pages read besides the figures: the names of buyers by
// organisationsnummer (the stats tables hold only the number).
import type { Db } from '../../../db/database.ts';

/** Buyer names by organisationsnummer (10 digits as stored); the first name when several buyers share one. */
export async function buyerNamesByOrg(db: Db, orgs: string[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for (let i = 0; i < orgs.length; i += 500) {
    const rows = await db.selectFrom('buyers').select(['org_number', 'name']).where('org_number', 'in', orgs.slice(i, i + 500)).orderBy('created_at').execute();
    for (const r of rows) if (r.org_number && !names.has(r.org_number)) names.set(r.org_number, r.name);
  }
  return names;
}
