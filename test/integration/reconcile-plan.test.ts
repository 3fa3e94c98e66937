// Reconciliation reads every notice changed in the last week with its marks
// (indexed:<id>, matched:<id>). With the shared data imported (18k notices,
// 37k marks) a scan of the marks per notice took 76 s per step, every five
// minutes, with the server's event loop stalled: the plan must look each mark
// up by its key.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { sql } from 'kysely';
import { migrateToLatest, openDatabase, type Db } from '../../db/database.ts';
import { staleNoticesQuery } from '../../src/ops/reconcile.repo.ts';
import { sqliteOnly } from '../helpers/database.ts';

describe('reconciliation query plan (SQLite only: its planner\'s explain query plan)', () => {
  before(sqliteOnly);
  let dir: string;
  let db: Db;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'brygga-plan-'));
    db = openDatabase(`file:${join(dir, 'brygga.db')}`);
    await migrateToLatest(db);
  });
  after(async () => {
    await db?.destroy(); // never opened on PostgreSQL
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  for (const step of ['indexed', 'matched'] as const) {
    it(`looks each notice's ${step} mark up by key, never scanning the marks`, async () => {
      const query = staleNoticesQuery(db, step, '2026-01-01', '2026-12-31', 1000).compile();
      const { rows } = await sql.raw<{ detail: string }>(`explain query plan ${query.sql}`.replace(/\?/g, () => `'x'`)).execute(db);
      const plan = rows.map((r) => r.detail);
      expect(plan.some((d) => /SEARCH revisions USING (INDEX|PRIMARY KEY)/.test(d)), plan.join(' | ')).to.equal(true);
      expect(plan.filter((d) => /SCAN (revisions|mark)/.test(d)), plan.join(' | ')).to.deep.equal([]);
    });
  }
});
