// Users and their API tokens. Changing who someone is (roles, organisation)
// or removing them ends their sessions: a role is never kept by an old cookie.
import { inTransaction, type Db } from '../../db/database.ts';
import type { Role } from '../domain/access.ts';
import { AppError } from '../http/errors.ts';
import * as repo from './accounts.repo.ts';
import { issueSecret } from './secrets.ts';

const DAY = 24 * 3600 * 1000;

export type UserInput = { email: string; roles: Role[]; name?: string | null; companyId?: string | null; buyerId?: string | null; isOwner?: boolean };

export async function addUser(db: Db, input: UserInput): Promise<string> {
  return inTransaction(db, async (trx) => {
    if (await repo.findUserByEmail(trx, input.email)) {
      throw new AppError(409, 'user_exists', 'email: a user with this address exists', [{ path: 'email', message: 'already a user' }]);
    }
    return repo.insertUser(trx, {
      email: input.email, roles: input.roles.join(' '), name: input.name ?? null,
      company_id: input.companyId ?? null, buyer_id: input.buyerId ?? null, is_owner: Number(input.isOwner ?? false),
    });
  });
}

/** A new API token for a user, shown once: `id.secret`. It acts with the user's roles and organisation. */
export async function createApiToken(db: Db, userId: string, name: string, days = 365, now = new Date()): Promise<{ id: string; token: string; expiresAt: string }> {
  const issued = issueSecret();
  const expiresAt = new Date(now.getTime() + days * DAY).toISOString();
  await repo.insertApiToken(db, { id: issued.id, user_id: userId, secret_hash: issued.hash, expires_at: expiresAt, name });
  return { id: issued.id, token: issued.token, expiresAt };
}
