// A firm's users. Registration makes the first one, the owner; an owner (or
// the administrator) invites more and removes them, never the last owner.
// Users sign in with an e-mail link to their own address; an address belongs
// to one user only.
import { inTransaction, type Db } from '../../db/database.ts';
import { deleteSessionsOfUser, deleteUser, findUserByEmail, findUserById, usersOfCompany } from '../accounts/accounts.repo.ts';
import { addUser } from '../accounts/accounts.service.ts';
import { audit, type Actor } from '../accounts/audit.ts';
import { AppError, notFound } from '../http/errors.ts';
import { findCompany } from './companies.repo.ts';
import type { FirmUserInput } from './company.schema.ts';

export type FirmUser = { id: string; email: string; name: string | null; owner: boolean; createdAt: string };

type UserRow = NonNullable<Awaited<ReturnType<typeof findUserById>>>;
const present = (u: UserRow): FirmUser => ({ id: u.id, email: u.email, name: u.name, owner: u.is_owner === 1, createdAt: u.created_at });

/** Whether this user is an owner of this firm (the rule for inviting, removing and deleting). */
export async function isOwnerOf(db: Db, userId: string, companyId: string): Promise<boolean> {
  const user = await findUserById(db, userId);
  return !!user && user.company_id === companyId && user.is_owner === 1;
}

export async function firmUsers(db: Db, companyId: string): Promise<FirmUser[]> {
  if (!(await findCompany(db, companyId))) throw notFound('Company');
  return (await usersOfCompany(db, companyId)).map(present);
}

export async function inviteFirmUser(db: Db, actor: Actor, companyId: string, input: FirmUserInput): Promise<FirmUser> {
  return inTransaction(db, async (trx) => {
    if (!(await findCompany(trx, companyId))) throw notFound('Company');
    if (await findUserByEmail(trx, input.email)) {
      const message = 'this address already belongs to a Brygga user, and an address can belong to one user only: invite another address';
      throw new AppError(409, 'user_exists', `email: ${message}`, [{ path: 'email', message }]);
    }
    const id = await addUser(trx, { email: input.email, name: input.name ?? null, roles: ['firm'], companyId, isOwner: input.owner });
    await audit(trx, actor, 'user.add', 'user', id, { email: input.email.toLowerCase(), roles: ['firm'], companyId, owner: input.owner });
    return present((await findUserById(trx, id))!);
  });
}

export async function removeFirmUser(db: Db, actor: Actor, companyId: string, userId: string): Promise<void> {
  await inTransaction(db, async (trx) => {
    const users = await usersOfCompany(trx, companyId);
    const user = users.find((u) => u.id === userId);
    if (!user) throw notFound('User');
    if (user.is_owner === 1 && users.filter((u) => u.is_owner === 1).length === 1) {
      throw new AppError(409, 'last_owner', 'This is the firm’s last owner: invite another owner first, or delete the company');
    }
    await deleteSessionsOfUser(trx, userId);
    await deleteUser(trx, userId);
    await audit(trx, actor, 'user.remove', 'user', userId, { email: user.email, roles: ['firm'], companyId, owner: user.is_owner === 1 });
  });
}
