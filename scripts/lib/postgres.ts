// A PostgreSQL schema of its own for a benchmark run or a test file
// (test/helpers/database.ts): `create schema`, a DATABASE_URL whose
// connections use it (`?options=-c search_path=<schema>`), dropped after.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export type BenchSchema = { url: string; schema: string; drop(): Promise<void> };

export async function benchSchema(base: string, prefix = 'bench'): Promise<BenchSchema> {
  const schema = `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  await pgAdmin(base, `create schema ${schema}`);
  const url = new URL(base);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return { url: url.toString(), schema, drop: () => pgAdmin(base, `drop schema if exists ${schema} cascade`) };
}

/** One statement on a connection of its own. */
export async function pgAdmin(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** The server's version line, for the report. */
export async function pgVersion(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return String((await client.query('show server_version')).rows[0].server_version);
  } finally {
    await client.end();
  }
}
