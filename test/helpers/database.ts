// The database a test runs on: a SQLite file by default, PostgreSQL when
// TEST_DATABASE=postgres (each test file in a schema of its own, dropped after,
// so runs and files never collide). Where PostgreSQL does not answer, the
// PostgreSQL run fails at once: it was asked for.
import { join } from 'node:path';
import { benchSchema, pgAdmin } from '../../scripts/lib/postgres.ts';

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
  const { url, drop } = await benchSchema(base, 't');
  return { url, drop };
}

/** Whether the PostgreSQL server answers (tests that need it skip, with the reason, when not and CI is not set). */
export async function postgresAnswers(base = POSTGRES_URL): Promise<boolean> {
  return pgAdmin(base, 'select 1').then(() => true, () => false);
}

/**
 * `before(sqliteOnly)` first in a describe about SQLite itself (FTS5, its
 * write lock, its backup, its file): skipped on PostgreSQL, where there is
 * nothing of it to test. Its title says so: `… (SQLite only: why)`.
 */
export function sqliteOnly(this: Mocha.Context): void {
  if (onPostgres) this.skip();
}
