// Backup and restore of the database. On SQLite a backup is SQLite's online
// backup (better-sqlite3's `backup()`): a consistent copy taken while Brygga
// runs and writes; on PostgreSQL, pg_dump (pg-backup.ts). A restore copies a
// backup into DATABASE_URL; it refuses a database that holds anything unless
// forced, and is done with Brygga stopped.
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import { dialectOfUrl, sqlitePath } from '../../db/database.ts';
import { BackupError } from './backup-error.ts';
import { backupPostgres, restorePostgres } from './pg-backup.ts';

export { BackupError };

/** What was copied where; `size`: SQLite pages, or the dump's bytes. */
export type Copied = { from: string; to: string; size: string };

function fileOf(databaseUrl: string): string {
  const path = sqlitePath(databaseUrl);
  if (path === ':memory:') throw new BackupError('DATABASE_URL is :memory:: there is no database file to back up or restore into');
  return path;
}

/** Tables of the database file, none when it does not exist (or is empty). */
function tablesOf(path: string): string[] {
  if (!existsSync(path)) return [];
  const db = new SQLite(path, { fileMustExist: true });
  try {
    return db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").pluck().all() as string[];
  } finally {
    db.close();
  }
}

/** Copies `path` into `target` through the online backup API, by way of a temporary file: `target` is whole or untouched. */
async function copy(path: string, target: string): Promise<number> {
  mkdirSync(dirname(resolve(target)), { recursive: true });
  const partial = `${target}.partial-${process.pid}`;
  const source = new SQLite(path, { fileMustExist: true });
  try {
    const { totalPages } = await source.backup(partial);
    renameSync(partial, target);
    return totalPages;
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  } finally {
    source.close();
  }
}

/** `npm run backup -- <file>`: the database at DATABASE_URL, copied while it may be in use. */
export async function backupDatabase(databaseUrl: string, file: string): Promise<Copied> {
  if (dialectOfUrl(databaseUrl) === 'postgres') return bytes(await backupPostgres(databaseUrl, file));
  const from = fileOf(databaseUrl);
  if (!existsSync(from)) throw new BackupError(`there is no database at ${from} (DATABASE_URL)`);
  if (resolve(file) === resolve(from)) throw new BackupError('the backup file is the database itself');
  return { from, to: file, size: `${await copy(from, file)} pages` };
}

/**
 * `npm run restore -- <file> [--force]`: the backup becomes the database at
 * DATABASE_URL. A database with any table in it is kept unless `force`.
 * Stop Brygga (web and workers) first: they hold the old file open.
 */
export async function restoreDatabase(file: string, databaseUrl: string, { force = false } = {}): Promise<Copied> {
  if (dialectOfUrl(databaseUrl) === 'postgres') return bytes(await restorePostgres(file, databaseUrl, { force }));
  const to = fileOf(databaseUrl);
  if (!existsSync(file)) throw new BackupError(`there is no backup at ${file}`);
  if (resolve(file) === resolve(to)) throw new BackupError('the backup file is the database itself');
  let tables: string[];
  try {
    const backup = new SQLite(file, { readonly: true, fileMustExist: true });
    try {
      const check = backup.prepare('PRAGMA integrity_check').pluck().get();
      if (check !== 'ok') throw new BackupError(`${file} is damaged: ${String(check)}`);
      tables = backup.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[];
    } finally {
      backup.close();
    }
  } catch (error) {
    if (error instanceof BackupError) throw error;
    throw new BackupError(`${file} is not a SQLite database: ${(error as Error).message}`);
  }
  if (!tables.includes('kysely_migration') || !tables.includes('notices')) throw new BackupError(`${file} is not a Brygga database`);
  if (!force && tablesOf(to).length > 0) {
    throw new BackupError(`the database at ${to} (DATABASE_URL) is not empty: restore with --force to replace it (stop Brygga first)`);
  }
  const pages = await copy(file, to);
  // The old database's write-ahead log must not be applied to the restored file.
  for (const suffix of ['-wal', '-shm']) rmSync(`${to}${suffix}`, { force: true });
  return { from: file, to, size: `${pages} pages` };
}

const bytes = ({ bytes: n, ...rest }: { from: string; to: string; bytes: number }): Copied => ({ ...rest, size: `${n} bytes` });
