// The organisations users belong to, as the administrator sees them: buyers
// (officers act for one) and companies (firm users). Notices also create
// buyers as they arrive (notices.repo); this is the administrator's view.
import type { Db } from '../../db/database.ts';
import { newId, nowIso } from '../ids.ts';

export async function listBuyersWithOfficers(db: Db) {
  return db
    .selectFrom('buyers')
    .leftJoin('users', 'users.buyer_id', 'buyers.id')
    .select(['buyers.id', 'buyers.name', 'buyers.org_number', 'buyers.nuts', 'buyers.created_at'])
    .select((eb) => eb.fn.count<number>('users.id').as('users'))
    .groupBy(['buyers.id', 'buyers.name', 'buyers.org_number', 'buyers.nuts', 'buyers.created_at'])
    .orderBy('buyers.name')
    .execute();
}

export async function buyerById(db: Db, id: string) {
  return db.selectFrom('buyers').selectAll().where('id', '=', id).executeTakeFirst();
}

/** `orgNumber` as stored: ten digits. */
export async function buyerByOrgNumber(db: Db, orgNumber: string) {
  return db.selectFrom('buyers').selectAll().where('org_number', '=', orgNumber).executeTakeFirst();
}

export async function insertBuyer(db: Db, buyer: { name: string; orgNumber: string; nuts: string | null }): Promise<string> {
  const id = newId();
  await db.insertInto('buyers').values({ id, name: buyer.name, org_number: buyer.orgNumber, nuts: buyer.nuts, created_at: nowIso() }).execute();
  return id;
}

export async function companyExists(db: Db, id: string): Promise<boolean> {
  return !!(await db.selectFrom('companies').select('id').where('id', '=', id).executeTakeFirst());
}
