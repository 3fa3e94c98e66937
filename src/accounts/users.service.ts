// The administrator's work: users, their roles and organisations, buyer
// organisations. Every change is audited in the same transaction. Changing
// who someone is (roles, organisation) or removing them ends their sessions;
// a user who gains a role or moves to another organisation also loses their
// API tokens, so a token never acts with more, or for another organisation,
// than when it was made (losing a role narrows a token at once: it acts with
// the user's roles as they are now).
import { inTransaction, type Db } from '../../db/database.ts';
import { parseRoles, type Role } from '../domain/access.ts';
import { AppError, notFound } from '../http/errors.ts';
import type { NewUserInput, UserPatch } from './accounts.schema.ts';
import * as repo from './accounts.repo.ts';
import { addUser } from './accounts.service.ts';
import { audit, type Actor } from './audit.ts';
import * as orgs from './organisations.repo.ts';
import { revokeAllTokens } from './tokens.service.ts';

export type UserView = {
  id: string; email: string; name: string | null; roles: Role[];
  companyId: string | null; buyer: { id: string; name: string; orgNumber: string | null } | null;
  isOwner: boolean; createdAt: string; updatedAt: string;
};

type UserRow = NonNullable<Awaited<ReturnType<typeof repo.findUserById>>>;

async function present(db: Db, row: UserRow): Promise<UserView> {
  const buyer = row.buyer_id ? await orgs.buyerById(db, row.buyer_id) : undefined;
  return {
    id: row.id, email: row.email, name: row.name, roles: [...parseRoles(row.roles)],
    companyId: row.company_id, buyer: buyer ? { id: buyer.id, name: buyer.name, orgNumber: buyer.org_number } : null,
    isOwner: row.is_owner === 1, createdAt: row.created_at, updatedAt: row.updated_at,
  };
}

export async function listUserViews(db: Db): Promise<UserView[]> {
  return Promise.all((await repo.listUsers(db)).map((row) => present(db, row)));
}

export async function userView(db: Db, id: string): Promise<UserView> {
  const row = await repo.findUserById(db, id);
  if (!row) throw notFound('User');
  return present(db, row);
}

export async function userByEmail(db: Db, email: string): Promise<UserView> {
  const row = await repo.findUserByEmail(db, email);
  if (!row) throw new AppError(404, 'not_found', `No user has the address ${email}`);
  return present(db, row);
}

type Organisation = { companyId: string | null; buyerId: string | null };
const invalid = (path: string, message: string, code = 'validation_failed') => new AppError(400, code, `${path}: ${message}`, [{ path, message }]);

/**
 * The organisation the roles call for: a firm user needs its company, an officer
 * its buyer; one the roles no longer use is let go (an officer made staff only
 * leaves its buyer). Naming an organisation the roles do not use is an error.
 */
async function organisationFor(db: Db, roles: ReadonlySet<Role>, current: Organisation, given: Pick<UserPatch, 'companyId' | 'buyerId' | 'buyerOrgNumber'>): Promise<Organisation> {
  let { companyId, buyerId } = current;
  if (given.companyId !== undefined) companyId = given.companyId;
  if (given.buyerId !== undefined) buyerId = given.buyerId;
  if (given.companyId && !(await orgs.companyExists(db, given.companyId))) throw invalid('companyId', 'no company has this id', 'unknown_company');
  if (given.buyerId && !(await orgs.buyerById(db, given.buyerId))) throw invalid('buyerId', 'no buyer organisation has this id', 'unknown_buyer');
  if (given.buyerOrgNumber) {
    const buyer = await orgs.buyerByOrgNumber(db, given.buyerOrgNumber);
    if (!buyer) throw invalid('buyerOrgNumber', 'no buyer organisation has this organisationsnummer: add it first (POST /api/admin/buyers)', 'unknown_buyer');
    buyerId = buyer.id;
  }
  if (!roles.has('firm')) {
    if (given.companyId) throw invalid('companyId', 'only a user with the role firm belongs to a company');
    companyId = null;
  }
  if (!roles.has('officer')) {
    if (given.buyerId || given.buyerOrgNumber) throw invalid(given.buyerId ? 'buyerId' : 'buyerOrgNumber', 'only a user with the role officer acts for a buyer');
    buyerId = null;
  }
  if (roles.has('firm') && !companyId) throw invalid('companyId', 'a firm user needs the id of its company');
  if (roles.has('officer') && !buyerId) throw invalid('buyerOrgNumber', 'an officer needs the buyer organisation it acts for');
  return { companyId, buyerId };
}

/** Refuses to leave Brygga without an administrator. */
async function keepAnAdmin(db: Db, leaving: string): Promise<void> {
  const admins = (await repo.listUsers(db)).filter((u) => parseRoles(u.roles).has('admin'));
  if (admins.length === 1 && admins[0].id === leaving) {
    throw new AppError(409, 'last_admin', 'This is the last administrator: make another user admin first');
  }
}

export async function createUser(db: Db, actor: Actor, input: NewUserInput): Promise<UserView> {
  return inTransaction(db, async (trx) => {
    const roles = new Set(input.roles);
    const org = await organisationFor(trx, roles, { companyId: null, buyerId: null }, input);
    const id = await addUser(trx, { email: input.email, roles: input.roles, name: input.name ?? null, ...org });
    await audit(trx, actor, 'user.add', 'user', id, { email: input.email, roles: input.roles, ...org });
    return userView(trx, id);
  });
}

export type UserChange = { user: UserView; sessionsEnded: boolean; tokensRevoked: number };

export async function changeUser(db: Db, actor: Actor, id: string, patch: UserPatch): Promise<UserChange> {
  return inTransaction(db, async (trx) => {
    const row = await repo.findUserById(trx, id);
    if (!row) throw notFound('User');
    const before = parseRoles(row.roles);
    const roles = patch.roles ? new Set(patch.roles) : before;
    const org = await organisationFor(trx, roles, { companyId: row.company_id, buyerId: row.buyer_id }, patch);
    const gained = [...roles].filter((r) => !before.has(r));
    const lost = [...before].filter((r) => !roles.has(r));
    const moved = org.companyId !== row.company_id || org.buyerId !== row.buyer_id;
    // Acting for another organisation than before (not merely for none any more).
    const movedTo = (org.companyId !== null && org.companyId !== row.company_id) || (org.buyerId !== null && org.buyerId !== row.buyer_id);
    if (lost.includes('admin')) await keepAnAdmin(trx, id);

    await repo.updateUser(trx, id, {
      roles: [...roles].join(' '), company_id: org.companyId, buyer_id: org.buyerId,
      ...(patch.name !== undefined ? { name: patch.name } : {}),
    });
    const identityChanged = gained.length > 0 || lost.length > 0 || moved;
    if (identityChanged) await repo.deleteSessionsOfUser(trx, id);
    const tokensRevoked = gained.length > 0 || movedTo ? await revokeAllTokens(trx, id) : 0;
    await audit(trx, actor, 'user.change', 'user', id, {
      email: row.email,
      ...(identityChanged ? { roles: { from: [...before], to: [...roles] }, organisation: { from: { companyId: row.company_id, buyerId: row.buyer_id }, to: org } } : {}),
      ...(patch.name !== undefined ? { name: true } : {}),
      sessionsEnded: identityChanged, tokensRevoked,
    });
    return { user: await userView(trx, id), sessionsEnded: identityChanged, tokensRevoked };
  });
}

/** Removes the user: sessions, sign-in links and API tokens go with it; the audit log keeps what it did. */
export async function removeUser(db: Db, actor: Actor, id: string): Promise<void> {
  await inTransaction(db, async (trx) => {
    const row = await repo.findUserById(trx, id);
    if (!row) throw notFound('User');
    if (parseRoles(row.roles).has('admin')) await keepAnAdmin(trx, id);
    await repo.deleteSessionsOfUser(trx, id);
    await repo.deleteUser(trx, id);
    await audit(trx, actor, 'user.remove', 'user', id, { email: row.email, roles: row.roles.split(' '), companyId: row.company_id, buyerId: row.buyer_id });
  });
}

// --- buyer organisations ------------------------------------------------------

export type BuyerView = { id: string; name: string; orgNumber: string | null; nuts: string | null; users: number; createdAt: string };

export async function listBuyers(db: Db): Promise<BuyerView[]> {
  const rows = await orgs.listBuyersWithOfficers(db);
  return rows.map((b) => ({ id: b.id, name: b.name, orgNumber: b.org_number, nuts: b.nuts, users: Number(b.users), createdAt: b.created_at }));
}

export async function addBuyer(db: Db, actor: Actor, input: { name: string; orgNumber: string; nuts?: string | null }): Promise<BuyerView> {
  return inTransaction(db, async (trx) => {
    const existing = await orgs.buyerByOrgNumber(trx, input.orgNumber);
    if (existing) {
      throw new AppError(409, 'buyer_exists', `orgNumber: ${existing.name} is already a buyer organisation`, [{ path: 'orgNumber', message: 'already a buyer', id: existing.id }]);
    }
    const id = await orgs.insertBuyer(trx, { name: input.name, orgNumber: input.orgNumber, nuts: input.nuts ?? null });
    await audit(trx, actor, 'buyer.add', 'buyer', id, { name: input.name, orgNumber: input.orgNumber });
    return (await listBuyers(trx)).find((b) => b.id === id)!;
  });
}
