// Reconciliation reads every notice changed in the last week with its marks
// (indexed:<id>, matched:<id>). With the shared data imported (18k notices,
// 37k marks) a scan of the marks per notice took 76 s per step, every five
// minutes, with the server's event loop stalled: the plan must look each mark
// up by its key. The firms told of a notice (asked by every match job) and
// the changes of the last week are looked up by index too.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { sql } from 'kysely';
import { migrateToLatest, openDatabase, type Db } from '../../db/database.ts';
import { instantFirmsToldOfQuery } from '../../src/mail/mail.repo.ts';
import { staleNoticesQuery, untoldChangesQuery } from '../../src/ops/reconcile.repo.ts';
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

  const planOf = async (query: { sql: string }) => {
    const { rows } = await sql.raw<{ detail: string }>(`explain query plan ${query.sql}`.replace(/\?/g, () => `'x'`)).execute(db);
    return rows.map((r) => r.detail);
  };

  for (const step of ['indexed', 'matched'] as const) {
    it(`looks each notice's ${step} mark up by key, never scanning the marks`, async () => {
      const plan = await planOf(staleNoticesQuery(db, step, '2026-01-01', '2026-12-31', 1000).compile());
      expect(plan.some((d) => /SEARCH revisions USING (INDEX|PRIMARY KEY)/.test(d)), plan.join(' | ')).to.equal(true);
      expect(plan.filter((d) => /SCAN (revisions|mark)/.test(d)), plan.join(' | ')).to.deep.equal([]);
    });
  }

  it('finds the firms told of a notice by its items\' index, never scanning every e-mail sent', async () => {
    const plan = await planOf(instantFirmsToldOfQuery(db, 'x').compile());
    expect(plan.some((d) => /SEARCH delivery_items USING (COVERING )?INDEX delivery_items_notice_idx/.test(d)), plan.join(' | ')).to.equal(true);
    expect(plan.filter((d) => /SCAN delivery_items/.test(d)), plan.join(' | ')).to.deep.equal([]);
  });

  it('reads only the last week\'s changes, and their items by index', async () => {
    const plan = await planOf(untoldChangesQuery(db, '2026-01-01', '2026-12-31', 1000).compile());
    expect(plan.some((d) => /SEARCH notice_changes USING INDEX notice_changes_created_idx/.test(d)), plan.join(' | ')).to.equal(true);
    expect(plan.filter((d) => /SCAN (delivery_items|notice_changes|deliveries)/.test(d)), plan.join(' | ')).to.deep.equal([]);
  });
});
