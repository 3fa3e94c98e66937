// The account tables: users, sign-in links, sessions, API tokens, audit log.
import type { Insertable } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { AuditLogTable, UsersTable } from '../../db/schema.ts';
import { newId, nowIso } from '../ids.ts';

export type NewUser = Omit<Insertable<UsersTable>, 'id' | 'created_at' | 'updated_at'>;

export async function insertUser(db: Db, user: NewUser): Promise<string> {
  const id = newId();
  const now = nowIso();
  await db.insertInto('users').values({ ...user, email: user.email.toLowerCase(), id, created_at: now, updated_at: now }).execute();
  return id;
}

export async function findUserById(db: Db, id: string) {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findUserByEmail(db: Db, email: string) {
  return db.selectFrom('users').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();
}

export async function listUsers(db: Db) {
  return db.selectFrom('users').selectAll().orderBy('email').execute();
}

export async function usersOfCompany(db: Db, companyId: string) {
  return db.selectFrom('users').selectAll().where('company_id', '=', companyId).orderBy('created_at').execute();
}

export async function updateUser(db: Db, id: string, values: Partial<Pick<UsersTable, 'roles' | 'name' | 'buyer_id' | 'company_id' | 'email'>>) {
  await db.updateTable('users').set({ ...values, updated_at: nowIso() }).where('id', '=', id).execute();
}

export async function deleteUser(db: Db, id: string) {
  await db.deleteFrom('users').where('id', '=', id).execute();
}

// --- secrets: login tokens, sessions, API tokens -----------------------------

type SecretRow = { id: string; user_id: string; secret_hash: string; expires_at: string };

export async function insertLoginToken(db: Db, row: SecretRow) {
  await db.insertInto('login_tokens').values({ ...row, created_at: nowIso(), used_at: null }).execute();
}

export async function findLoginToken(db: Db, id: string) {
  return db.selectFrom('login_tokens').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Marks a sign-in link used; false when it was already (a second click, a race). */
export async function useLoginToken(db: Db, id: string): Promise<boolean> {
  const result = await db.updateTable('login_tokens').set({ used_at: nowIso() }).where('id', '=', id).where('used_at', 'is', null).executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function insertSession(db: Db, row: SecretRow) {
  const now = nowIso();
  await db.insertInto('sessions').values({ ...row, created_at: now, last_seen_at: now }).execute();
}

export async function findSession(db: Db, id: string) {
  return db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function touchSession(db: Db, id: string, at: string) {
  await db.updateTable('sessions').set({ last_seen_at: at }).where('id', '=', id).execute();
}

export async function deleteSession(db: Db, id: string) {
  await db.deleteFrom('sessions').where('id', '=', id).execute();
}

/** Ends every session of a user (sign out everywhere, a role change, removal). */
export async function deleteSessionsOfUser(db: Db, userId: string) {
  await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
}

export async function insertApiToken(db: Db, row: SecretRow & { name: string }) {
  await db.insertInto('api_tokens').values({ ...row, created_at: nowIso(), last_used_at: null, revoked_at: null }).execute();
}

export async function findApiToken(db: Db, id: string) {
  return db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function apiTokensOfUser(db: Db, userId: string) {
  return db
    .selectFrom('api_tokens')
    .select(['id', 'name', 'created_at', 'expires_at', 'last_used_at', 'revoked_at'])
    .where('user_id', '=', userId)
    .orderBy('created_at')
    .execute();
}

export async function markApiTokenUsed(db: Db, id: string, at: string) {
  await db.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', id).execute();
}

export async function revokeApiToken(db: Db, id: string, userId: string | null): Promise<boolean> {
  let query = db.updateTable('api_tokens').set({ revoked_at: nowIso() }).where('id', '=', id).where('revoked_at', 'is', null);
  if (userId) query = query.where('user_id', '=', userId);
  return (await query.executeTakeFirst()).numUpdatedRows > 0n;
}

// --- audit log: appended to, never changed -----------------------------------

export type AuditEntry = Omit<Insertable<AuditLogTable>, 'id' | 'at' | 'details'> & { details?: object };

export async function appendAudit(db: Db, entry: AuditEntry) {
  const { details, ...rest } = entry;
  await db.insertInto('audit_log').values({ ...rest, id: newId(), at: nowIso(), details: JSON.stringify(details ?? {}) }).execute();
}

export async function listAudit(db: Db, limit: number, before?: string) {
  let query = db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(limit);
  if (before) query = query.where('id', '<', before);
  return query.execute();
}
