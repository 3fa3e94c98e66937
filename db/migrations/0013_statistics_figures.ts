// The statistics' remaining figures and their speed (issue 14). A firm's own
// size and founding day in its profile (a contract's size when the award gives
// none; new and young firms); where a contract's size came from; and covering
// indexes, so that the figures of all buyers are read from an index alone.
import { sql, type Kysely } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations must not depend on today's schema */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('companies').addColumn('size', 'text').execute(); // micro | small | medium | large
  await db.schema.alterTable('companies').addColumn('founded', 'text').execute(); // YYYY-MM-DD

  // award | firm (the winning firm's profile) | null; the sizes derived so far all came from the award.
  await db.schema.alterTable('stat_contracts').addColumn('size_source', 'text').execute();
  await db.updateTable('stat_contracts').set({ size_source: 'award' }).where('size', 'is not', null).execute();

  // Covering indexes for the figures of all buyers (the overview's grouped
  // counts): led by the day, then every column the figures group by, then the
  // summed ones, so a period is one range of this index with no row lookups,
  // and grouped by day first (the index's order) no sort of all its rows either.
  await db.schema.createIndex('stat_contracts_figures_idx').on('stat_contracts')
    .columns(['day', 'level', 'rule', 'size', 'size_source', 'social', 'environmental', 'innovation', 'reserved', 'amount', 'tenders_received'])
    .execute();
  await db.schema.createIndex('stat_procurements_figures_idx').on('stat_procurements')
    .columns(['day', 'social', 'environmental', 'innovation', 'reserved', 'direct'])
    .execute();
  await sql`analyze`.execute(db).catch(() => undefined); // SQLite's planner statistics; a no-op where unsupported
}
