// Open the database named by DATABASE_URL and bring its schema up to date.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, PostgresAdapter, PostgresDialect, SqliteDialect, sql, type ControlledTransaction, type Migration } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.ts';
import * as m0001 from './migrations/0001_initial.ts';
import * as m0002 from './migrations/0002_notice_changes.ts';
import * as m0003 from './migrations/0003_matching.ts';
import * as m0004 from './migrations/0004_notifications.ts';
import * as m0005 from './migrations/0005_trustworthy_alerts.ts';
import * as m0006 from './migrations/0006_accounts.ts';
import * as m0007 from './migrations/0007_firm_data.ts';
import * as m0008 from './migrations/0008_delivery_lease.ts';
import * as m0009 from './migrations/0009_outbox_origin.ts';
import * as m0010 from './migrations/0010_match_feedback.ts';
import * as m0011 from './migrations/0011_officer_awards.ts';
import * as m0012 from './migrations/0012_statistics.ts';
import * as m0013 from './migrations/0013_statistics_figures.ts';
import * as m0014 from './migrations/0014_index_changes.ts';
import * as m0015 from './migrations/0015_reconcile_lookups.ts';

export type Db = Kysely<Database>;
/** A transaction held open across calls (an ingest batch commits every few files). */
export type OpenTransaction = ControlledTransaction<Database>;

const migrations: Record<string, Migration> = {
  '0001_initial': m0001,
  '0002_notice_changes': m0002,
  '0003_matching': m0003,
  '0004_notifications': m0004,
  '0005_trustworthy_alerts': m0005,
  '0006_accounts': m0006,
  '0007_firm_data': m0007,
  '0008_delivery_lease': m0008,
  '0009_outbox_origin': m0009,
  '0010_match_feedback': m0010,
  '0011_officer_awards': m0011,
  '0012_statistics': m0012,
  '0013_statistics_figures': m0013,
  '0014_index_changes': m0014,
  '0015_reconcile_lookups': m0015,
};

/** `file:var/brygga.db` → `var/brygga.db`; `:memory:` stays. */
export function sqlitePath(url: string): string {
  if (url === ':memory:' || url === 'file::memory:') return ':memory:';
  if (!url.startsWith('file:')) throw new Error(`Unsupported DATABASE_URL: ${url}`);
  return url.slice('file:'.length);
}

/** Which database a DATABASE_URL names: `postgres://…` (or `postgresql://…`) is PostgreSQL, `file:…` SQLite. */
export type DialectName = 'sqlite' | 'postgres';
export const dialectOfUrl = (url: string): DialectName => (/^postgres(ql)?:\/\//.test(url) ? 'postgres' : 'sqlite');

/** Whether a database (or a transaction on one) is PostgreSQL: for the few statements written per dialect. */
export const isPostgres = (db: Db): boolean => db.getExecutor().adapter instanceof PostgresAdapter;

// PostgreSQL sends 64-bit integers (COUNT, SUM of integers) and numerics as
// text, to keep their precision; Brygga's counts and sums of SEK fit a double.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));

export function openDatabase(url: string): Db {
  if (dialectOfUrl(url) === 'postgres') {
    return new Kysely<Database>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 10 }) }) });
  }
  const path = sqlitePath(url);
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new SQLite(path);
  // WAL lets the API read while a worker writes; busy_timeout waits for the
  // other process's write lock instead of failing at once.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('synchronous = NORMAL');
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
}

/**
 * Kysely prepares every statement anew; SQLite can reuse a prepared statement
 * for the same SQL. Caching them is the single largest saving on the write
 * path (ingest). Statements run synchronously in better-sqlite3, so sharing one
 * between callers is safe. The cache is bounded: multi-row inserts vary.
 */
function withStatementCache(sqlite: SQLite.Database, size = 500) {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sql: string) {
      // Our transactions all write. Taking the write lock up front lets
      // busy_timeout wait for another process (a worker) instead of failing
      // with SQLITE_BUSY_SNAPSHOT when a read turns into a write.
      if (sql === 'begin') sql = 'begin immediate';
      let statement = cache.get(sql);
      if (!statement) {
        statement = sqlite.prepare(sql);
        if (cache.size >= size) cache.delete(cache.keys().next().value!);
        cache.set(sql, statement);
      }
      return statement;
    },
  };
}

export async function migrateToLatest(db: Db): Promise<void> {
  // Kysely looks for its migration tables among every schema's tables on
  // PostgreSQL; naming the connection's own schema keeps one database's
  // Brygga (or test) from seeing another schema's and skipping its own.
  const schema = isPostgres(db) ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0].schema : undefined;
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations }, migrationTableSchema: schema });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(`Migration ${failed?.migrationName ?? ''} failed: ${String(error)}`);
  }
}

/** Throws unless the database answers a query (readiness). */
export async function checkDatabase(db: Db): Promise<void> {
  await sql`select 1`.execute(db);
}

/**
 * The PostgreSQL advisory lock every write transaction takes first: this
 * class ("bryg" in ASCII) and the schema's name, so Brygga's in another schema
 * of the same database (a test file's, another installation's) is not held up.
 */
export const WRITE_LOCK_CLASS = 0x62727967;

/** How many times a transaction is begun while another process holds the write lock (each waits busy_timeout). */
const BEGIN_ATTEMPTS = 3;

/**
 * Joins the caller's transaction (an ingest run stores a whole file in one) or
 * opens one. When another process holds the write lock longer than
 * busy_timeout (a long import slice, a backup), beginning is tried again after
 * an asynchronous pause, so the event loop serves others meanwhile and a
 * person's write waits instead of failing. Only the begin is retried: once the
 * work has started, an error is the caller's.
 *
 * PostgreSQL lets writers run side by side, but Brygga's code relies on
 * SQLite's one writer at a time (`begin immediate`): it reads, decides, then
 * writes (claim a ledger row, then insert; the next revision number; "is this
 * notice new?"). So on PostgreSQL every transaction takes one advisory lock
 * first, held to its commit: writers queue as on SQLite, readers outside a
 * transaction are not held up, and no claim can race another. The busy retry
 * is SQLite's alone; PostgreSQL waits for the lock.
 */
export async function inTransaction<T>(db: Db, work: (trx: Db) => Promise<T>): Promise<T> {
  if (db.isTransaction) return work(db);
  if (isPostgres(db)) {
    return oneAtATime(db, () =>
      db.transaction().execute(async (trx) => {
        await takeWriteLock(trx);
        return work(trx);
      }),
    );
  }
  for (let attempt = 1; ; attempt++) {
    let started = false;
    try {
      return await db.transaction().execute((trx) => {
        started = true;
        return work(trx);
      });
    } catch (error) {
      if (started || !isBusy(error) || attempt >= BEGIN_ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
    }
  }
}

/**
 * This process's PostgreSQL write transactions, one after another: the next
 * waits here rather than in a pooled connection queued on the advisory lock,
 * so a burst of writes cannot take every connection from the reads (SQLite's
 * one connection queues them the same way).
 */
const writeQueues = new WeakMap<Db, Promise<unknown>>();
function oneAtATime<T>(db: Db, run: () => Promise<T>): Promise<T> {
  const mine = (writeQueues.get(db) ?? Promise.resolve()).then(run);
  writeQueues.set(db, mine.catch(() => undefined));
  return mine;
}

/** A write transaction held open across calls (an ingest batch), serialised as `inTransaction`'s are. */
export async function startWriteTransaction(db: Db): Promise<OpenTransaction> {
  const trx = await db.startTransaction().execute();
  if (isPostgres(db)) {
    try {
      await takeWriteLock(trx);
    } catch (error) {
      await trx.rollback().execute();
      throw error;
    }
  }
  return trx;
}

/** PostgreSQL: waits for the other writers' transactions; the lock is released at commit or rollback. */
const takeWriteLock = (trx: Db) => sql`select pg_advisory_xact_lock(${sql.lit(WRITE_LOCK_CLASS)}, hashtext(current_schema()))`.execute(trx);

/** SQLite's "another connection holds the lock" (SQLITE_BUSY and its extended codes). */
export const isBusy = (error: unknown): boolean =>
  typeof (error as { code?: unknown })?.code === 'string' && (error as { code: string }).code.startsWith('SQLITE_BUSY');

/**
 * PostgreSQL refuses text it cannot store: the NUL character (U+0000) in a
 * text value (22021) or in JSON (22P05). SQLite stores it. Either way it is
 * the request's fault, not the server's; the transaction rolled back.
 */
export const isUnstorableText = (error: unknown): boolean =>
  ['22021', '22P05'].includes((error as { code?: unknown })?.code as string);
