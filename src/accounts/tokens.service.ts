// API tokens for machine clients: created by their user, shown once, stored
// hashed, with an expiry and a last-used time; revocable by their user and by
// an administrator. A token acts with its user's roles and organisation.
import { inTransaction, type Db } from '../../db/database.ts';
import { AppError, notFound } from '../http/errors.ts';
import * as repo from './accounts.repo.ts';
import { createApiToken } from './accounts.service.ts';
import { audit, type Actor } from './audit.ts';

export type TokenView = { id: string; name: string; createdAt: string; expiresAt: string; lastUsedAt: string | null; revokedAt: string | null };

/** A user's tokens, oldest first; never their secrets. */
export async function tokensOf(db: Db, userId: string): Promise<TokenView[]> {
  const rows = await repo.apiTokensOfUser(db, userId);
  return rows.map((r) => ({ id: r.id, name: r.name, createdAt: r.created_at, expiresAt: r.expires_at, lastUsedAt: r.last_used_at, revokedAt: r.revoked_at }));
}

/** A new token for the user; `token` is shown this once and never again. */
export async function issueToken(db: Db, actor: Actor, userId: string, name: string, days: number): Promise<TokenView & { token: string }> {
  return inTransaction(db, async (trx) => {
    if (!(await repo.findUserById(trx, userId))) throw notFound('User');
    const { id, token, expiresAt } = await createApiToken(trx, userId, name, days);
    await audit(trx, actor, 'token.create', 'api_token', id, { user: userId, name, expiresAt });
    const view = (await tokensOf(trx, userId)).find((t) => t.id === id)!;
    return { ...view, token };
  });
}

/**
 * Revokes a token: `ownerId` limits it to that user's tokens (someone revoking
 * their own), null lets an administrator revoke anyone's. Revoking a revoked
 * token again changes nothing; an unknown one (or someone else's) is a 404.
 */
export async function revokeToken(db: Db, actor: Actor, tokenId: string, ownerId: string | null): Promise<void> {
  await inTransaction(db, async (trx) => {
    const row = await repo.findApiToken(trx, tokenId);
    if (!row || (ownerId !== null && row.user_id !== ownerId)) throw notFound('API token');
    if (row.revoked_at) return;
    if (!(await repo.revokeApiToken(trx, tokenId, ownerId))) throw new AppError(409, 'conflict', 'The token changed meanwhile; try again');
    await audit(trx, actor, 'token.revoke', 'api_token', tokenId, { user: row.user_id, name: row.name });
  });
}

/** Revokes every active token of a user (they gained a role or moved organisation); how many. */
export async function revokeAllTokens(db: Db, userId: string): Promise<number> {
  let revoked = 0;
  for (const token of await repo.apiTokensOfUser(db, userId)) {
    if (!token.revoked_at && (await repo.revokeApiToken(db, token.id, userId))) revoked++;
  }
  return revoked;
}
