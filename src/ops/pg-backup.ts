// Backup and restore on PostgreSQL: pg_dump's custom format of the schema
// Brygga uses (the first of the URL's search_path), taken while Brygga runs
// (pg_dump reads one consistent snapshot); pg_restore recreates that schema.
// The tools are PostgreSQL's own: they must be on PATH, of the server's
// major version or newer.
import { execFile } from 'node:child_process';
import { mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { BackupError } from './backup-error.ts';

const run = promisify(execFile);

type Done = { from: string; to: string; bytes: number };

/** `npm run backup -- <file>` on PostgreSQL. */
export async function backupPostgres(url: string, file: string): Promise<Done> {
  const schema = await schemaOf(url);
  mkdirSync(dirname(resolve(file)), { recursive: true });
  const partial = `${file}.partial-${process.pid}`;
  try {
    await tool('pg_dump', [`--dbname=${forLibpq(url)}`, '--format=custom', `--schema=${schema}`, '--no-owner', `--file=${partial}`]);
    renameSync(partial, file);
  } finally {
    rmSync(partial, { force: true });
  }
  return { from: `schema ${schema}`, to: file, bytes: statSync(file).size };
}

/**
 * `npm run restore -- <file> [--force]` on PostgreSQL: the backup's schema
 * must be the URL's (a backup returns to where it was taken). A schema with
 * any table in it is kept unless `force`; stop Brygga first.
 */
export async function restorePostgres(file: string, url: string, { force = false } = {}): Promise<Done> {
  const listing = await tool('pg_restore', ['--list', file]).catch((error: Error) => {
    throw new BackupError(`${file} is not a pg_dump backup (${error.message})`);
  });
  const tables = [...listing.matchAll(/^\d+; \d+ \d+ TABLE (\S+) (\S+) /gm)].map((m) => ({ schema: m[1], name: m[2] }));
  if (!tables.some((t) => t.name === 'kysely_migration') || !tables.some((t) => t.name === 'notices')) throw new BackupError(`${file} is not a Brygga database`);
  const schema = await schemaOf(url);
  if (tables[0].schema !== schema) {
    throw new BackupError(`${file} holds schema ${tables[0].schema}, DATABASE_URL uses ${schema}: restore into the schema the backup was taken from`);
  }
  const client = await connect(url);
  try {
    const { rows } = await client.query<{ n: number }>('select count(*)::int n from information_schema.tables where table_schema = $1', [schema]);
    if (rows[0].n > 0 && !force) throw new BackupError(`schema ${schema} (DATABASE_URL) is not empty: restore with --force to replace it (stop Brygga first)`);
    await client.query(`drop schema if exists ${quoted(schema)} cascade`);
    // A dump of `public` may not create it (PostgreSQL makes it with the database).
    if (!new RegExp(`^\\d+; \\d+ \\d+ SCHEMA - ${schema} `, 'm').test(listing)) await client.query(`create schema ${quoted(schema)}`);
  } finally {
    await client.end();
  }
  await tool('pg_restore', [`--dbname=${forLibpq(url)}`, '--no-owner', '--exit-on-error', file]);
  return { from: file, to: `schema ${schema}`, bytes: statSync(file).size };
}

/** The schema Brygga's tables are in: the first of search_path (`"$user"` and unset mean public). */
async function schemaOf(url: string): Promise<string> {
  const client = await connect(url);
  try {
    const { rows } = await client.query<{ search_path: string }>('show search_path');
    const first = rows[0].search_path.split(',')[0].trim().replace(/^"|"$/g, '');
    return first === '$user' || first === '' ? 'public' : first;
  } finally {
    await client.end();
  }
}

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (error) {
    throw new BackupError(`PostgreSQL at DATABASE_URL does not answer: ${(error as Error).message}`);
  }
  return client;
}

async function tool(name: string, args: string[]): Promise<string> {
  try {
    return (await run(name, args, { maxBuffer: 64 * 1024 * 1024 })).stdout;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new BackupError(`${name} is not installed (PostgreSQL's client tools)`);
    throw new BackupError(`${name} failed: ${((error as { stderr?: string }).stderr || (error as Error).message).trim()}`);
  }
}

/** node-postgres reads `+` in the query as a space (`options=-c+search_path%3D…`); libpq only `%20`. */
const forLibpq = (url: string) => url.replace(/\?.*$/, (query) => query.replace(/\+/g, '%20'));

const quoted = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;
