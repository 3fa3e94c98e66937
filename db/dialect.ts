// The statements SQLite and PostgreSQL spell differently, in one place: each
// helper takes the database (or transaction) it will run on. Everything else
// Brygga writes is the SQL both understand (Kysely's builder, onConflict,
// count/sum/coalesce/substr, ISO-8601 text time stamps, integers 0/1 for
// booleans), so the repositories stay one version for both.
import { sql, type Expression, type RawBuilder } from 'kysely';
import { isPostgres, type Db } from './database.ts';

/** The values of an aggregated column joined by `separator` (SQLite group_concat, PostgreSQL string_agg); no order promised. */
export function groupConcat(db: Db, column: Expression<unknown>, separator: string): RawBuilder<string | null> {
  return isPostgres(db) ? sql<string | null>`string_agg(${column}, ${sql.lit(separator)})` : sql<string | null>`group_concat(${column}, ${sql.lit(separator)})`;
}

/**
 * `like` that ignores case, as SQLite's does for ASCII letters; PostgreSQL's
 * `like` is case-sensitive, its `ilike` is not (and folds non-ASCII letters
 * too: Å matches å there, not on SQLite).
 */
export const likeIgnoringCase = (db: Db): 'like' | 'ilike' => (isPostgres(db) ? 'ilike' : 'like');

/** The text at `key` of a JSON object stored as text (SQLite json_extract, PostgreSQL ->>). */
export function jsonText(db: Db, column: Expression<unknown>, key: string): RawBuilder<string | null> {
  return isPostgres(db) ? sql<string | null>`(${column})::jsonb ->> ${sql.lit(key)}` : sql<string | null>`json_extract(${column}, ${sql.lit(`$.${key}`)})`;
}

/** A JSON array stored as text, as a table of its elements in a column `value` (SQLite json_each, PostgreSQL jsonb_array_elements_text). */
export function jsonArrayValues(db: Db, column: Expression<unknown>): RawBuilder<{ value: string }> {
  return isPostgres(db) ? sql`jsonb_array_elements_text((${column})::jsonb)` : sql`json_each(${column})`;
}
