// The database a test runs on: a SQLite file by default, PostgreSQL when
// TEST_DATABASE=postgres (each test file in a schema of its own, dropped after,
// so runs and files never collide). Where PostgreSQL does not answer, the
// PostgreSQL run fails at once: it was asked for.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';

/** The server and database PostgreSQL runs use (TEST_POSTGRES_URL, else this machine's `test` database). */
export const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export const onPostgres = process.env.TEST_DATABASE === 'postgres';

export type TestDatabase = { url: string; drop(): Promise<void> };

/** A new, empty database for one test file: a file in `dir`, or a fresh PostgreSQL schema. */
export async function testDatabase(dir: string, name = 'brygga.db'): Promise<TestDatabase> {
  if (!onPostgres) return { url: `file:${join(dir, name)}`, drop: async () => undefined };
  return postgresSchema();
}

/** A fresh schema on the test server, as a DATABASE_URL whose connections use it (search_path). */
export async function postgresSchema(base = POSTGRES_URL): Promise<TestDatabase> {
  const schema = `t_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  await admin(base, `create schema ${schema}`);
  const url = new URL(base);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return { url: url.toString(), drop: () => admin(base, `drop schema if exists ${schema} cascade`) };
}

/** Whether the PostgreSQL server answers (tests that need it skip, with the reason, when not and CI is not set). */
export async function postgresAnswers(base = POSTGRES_URL): Promise<boolean> {
  return admin(base, 'select 1').then(() => true, () => false);
}

async function admin(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/**
 * `before(sqliteOnly)` first in a describe about SQLite itself (FTS5, its
 * write lock, its backup, its file): skipped on PostgreSQL, where there is
 * nothing of it to test. Its title says so: `… (SQLite only: why)`.
 */
export function sqliteOnly(this: Mocha.Context): void {
  if (onPostgres) this.skip();
}
