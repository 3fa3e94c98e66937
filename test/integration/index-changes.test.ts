// The match index follows changes (issue 17): two engines, each on its own
// connection to one SQLite file as two processes would be, follow each other's
// subscription and profile changes through the change feed (index_changes)
// without rebuilding, and answer every notice as an engine built afresh does.
// A gap in the feed makes an engine rebuild, once.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { migrateToLatest, openDatabase, type Db } from '../../db/database.ts';
import { bumpSubscriptionsRevision } from '../../src/companies/companies.repo.ts';
import { addSubscription, deleteSubscription, registerCompany, setSubscriptionActive, updateCompany, updateSubscription } from '../../src/companies/companies.service.ts';
import { companyInputSchema, subscriptionInputSchema } from '../../src/companies/company.schema.ts';
import { stockholmDate } from '../../src/domain/dates.ts';
import { CAPABILITIES, REQUIREMENTS } from '../../src/domain/csr.ts';
import { DEFAULT_LOCAL_AREA } from '../../src/domain/regions.ts';
import { unsubscribe } from '../../src/mail/subscriptions.service.ts';
import { MatchEngine } from '../../src/matching/match-engine.ts';
import { listOpenNotices } from '../../src/matching/matching.repo.ts';
import { noticeInputSchema } from '../../src/notices/notice.schema.ts';
import { storedDocument } from '../../src/notices/notices.repo.ts';
import { storeNotice } from '../../src/notices/notices.service.ts';
import { BUILT_IN_CPV, Random } from '../property/match-data.ts';
import { testDatabase, type TestDatabase } from '../helpers/database.ts';

const NOW = new Date('2026-11-27T09:00:00Z');
const DAY = 86_400_000;
const POOL = BUILT_IN_CPV.filter((c) => /^(45|90)/.test(c));

function orgNumber(n: number): string {
  const base = `55${String(8_000_000 + n).padStart(7, '0')}`;
  let sum = 0;
  for (let i = 0; i < 9; i++) {
    let d = Number(base[i]) * (i % 2 === 0 ? 2 : 1);
    if (d > 9) d -= 9;
    sum += d;
  }
  return `${base}${(10 - (sum % 10)) % 10}`;
}

const randomCsr = (r: Random) => [...new Set(r.some(Object.keys(CAPABILITIES), 3))].map((capability) => ({ capability, validUntil: null }));

function randomSubscription(r: Random, name: string) {
  return subscriptionInputSchema.parse({
    name,
    cpv: Array.from({ length: r.int(1, 2) }, () => r.pick(POOL)),
    includeParent: r.chance(0.3),
    keywords: r.chance(0.2) ? r.pick(['städning', 'tak', 'skola']) : null,
    regions: r.chance(0.2) ? ['local'] : [],
    strict: r.chance(0.2),
  });
}

/** Engines that count their rebuilds. */
function engineOn(db: Db) {
  const counts = { rebuilds: 0 };
  const engine = new MatchEngine(db, DEFAULT_LOCAL_AREA, 30, { rebuilt: () => counts.rebuilds++, applied: () => undefined });
  return { engine, counts };
}

/** What an engine's index answers for every open notice: subscription, firm and score, in order. */
async function answers(engine: MatchEngine, db: Db): Promise<string[]> {
  await engine.refresh();
  const today = stockholmDate(NOW);
  const out: string[] = [];
  for (const row of await listOpenNotices(db, NOW, 30)) {
    const notice = await engine.prepare(row.id, storedDocument(row));
    const { results } = engine['index'].match(notice, today);
    for (const r of results) out.push(`${row.id} ${r.subscriptionId} ${r.companyId} ${r.score} ${r.missing.join()}`);
  }
  return out.sort();
}

describe('the match index follows changes (two engines on one database)', function () {
  this.timeout(120_000);
  let dir: string;
  let dbA: Db;
  let dbB: Db;
  let database: TestDatabase;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'brygga-index-changes-'));
    database = await testDatabase(dir);
    dbA = openDatabase(database.url);
    await migrateToLatest(dbA);
    dbB = openDatabase(database.url);
    const r = new Random(17);
    for (let i = 0; i < 60; i++) {
      await storeNotice(dbA, noticeInputSchema.parse({
        source: 'local', reference: `IC ${i}`, kind: 'tender', title: `${r.pick(['Städning av skolor', 'Renovering av tak', 'Ombyggnad'])} ${i}`,
        buyer: { name: 'Lerums kommun', orgNumber: null }, cpv: { main: r.pick(POOL), additional: r.some(POOL, 2) },
        publishedAt: new Date(NOW.getTime() - DAY).toISOString(), deadline: new Date(NOW.getTime() + 10 * DAY).toISOString(),
        criteria: { requirements: r.chance(0.4) ? r.some(Object.keys(REQUIREMENTS), 2) : [] },
      }), NOW);
    }
  });
  after(async () => {
    await dbA?.destroy();
    await dbB?.destroy();
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('each applies the other’s inserts, edits, pauses, deletes and profile changes without a rebuild, and agrees with a fresh engine', async () => {
    const r = new Random(4711);
    const a = engineOn(dbA);
    const b = engineOn(dbB);
    const firms: string[] = [];
    const subscriptions: { companyId: string; id: string }[] = [];
    let registered = 0;
    const register = async (db: Db) => {
      const { id, subscriptionId } = await registerCompany(db, companyInputSchema.parse({
        orgNumber: orgNumber(registered), name: `Firma ${registered} AB`, email: `firma${registered++}@index.test`,
        municipalityCode: r.pick(['1441', '1480', '0180']), categories: [r.pick(POOL)], csr: randomCsr(r),
      }), NOW);
      firms.push(id);
      subscriptions.push({ companyId: id, id: subscriptionId });
    };
    for (let i = 0; i < 20; i++) await register(dbA);
    await a.engine.refresh();
    await b.engine.refresh();
    expect([a.counts.rebuilds, b.counts.rebuilds]).to.deep.equal([1, 1]);

    const done = { register: 0, add: 0, edit: 0, pause: 0, resume: 0, delete: 0, profile: 0 };
    let compared = 0;
    for (let step = 0; step < 120; step++) {
      // The changes come through either connection, as from either process.
      const db = step % 2 ? dbA : dbB;
      const action = r.int(0, 9);
      if (action === 0 || !subscriptions.length) {
        await register(db);
        done.register++;
      } else if (action <= 2) {
        const companyId = r.pick(firms);
        subscriptions.push({ companyId, id: (await addSubscription(db, companyId, randomSubscription(r, `Bevakning ${step}`))).id });
        done.add++;
      } else if (action <= 4) {
        const { companyId, id } = r.pick(subscriptions);
        const { name: _name, ...patch } = randomSubscription(r, 'x');
        await updateSubscription(db, companyId, id, patch);
        done.edit++;
      } else if (action === 5) {
        const { companyId, id } = r.pick(subscriptions);
        const active = r.chance(0.5);
        await setSubscriptionActive(db, companyId, id, active);
        done[active ? 'resume' : 'pause']++;
      } else if (action === 6) {
        const gone = subscriptions.splice(r.int(0, subscriptions.length - 1), 1)[0];
        await deleteSubscription(db, gone.companyId, gone.id);
        done.delete++;
      } else {
        await updateCompany(db, r.pick(firms), { csr: randomCsr(r), municipalityCode: r.pick(['1441', '1480', '0180']) });
        done.profile++;
      }
      if (step % 10 === 9) {
        const fresh = engineOn(dbA).engine;
        const expected = await answers(fresh, dbA);
        expect(await answers(a.engine, dbA), `step ${step}, engine A`).to.deep.equal(expected);
        expect(await answers(b.engine, dbB), `step ${step}, engine B`).to.deep.equal(expected);
        expect(expected.length).to.be.greaterThan(20);
        compared++;
      }
    }
    // Followed, never rebuilt: the first load was the only one.
    expect([a.counts.rebuilds, b.counts.rebuilds]).to.deep.equal([1, 1]);
    expect(compared).to.equal(12);
    for (const [what, count] of Object.entries(done)) expect(count, what).to.be.greaterThan(2);
  });

  it('a revision without a change row (a gap) makes an engine rebuild once, then follow again', async () => {
    const a = engineOn(dbA);
    await a.engine.refresh();
    expect(a.counts.rebuilds).to.equal(1);
    await bumpSubscriptionsRevision(dbB); // names no change
    await a.engine.refresh();
    expect(a.counts.rebuilds).to.equal(2);
    await bumpSubscriptionsRevision(dbB);
    await dbB.deleteFrom('index_changes').where('revision', '=', (await dbB.selectFrom('index_changes').select((eb) => eb.fn.max('revision').as('last')).executeTakeFirstOrThrow()).last).execute();
    await a.engine.refresh();
    expect(a.counts.rebuilds).to.equal(3);
    const [firm] = await dbB.selectFrom('companies').select('id').limit(1).execute();
    await addSubscription(dbB, firm.id, randomSubscription(new Random(1), 'Efter glappet'));
    await a.engine.refresh();
    expect(a.counts.rebuilds).to.equal(3);
    expect(await answers(a.engine, dbA)).to.deep.equal(await answers(engineOn(dbA).engine, dbA));
    // Unsubscribing from an e-mail (one subscription, or all of a firm's) is followed too.
    const [one] = await dbB.selectFrom('subscriptions').select(['id', 'company_id']).where('active', '=', 1).limit(1).execute();
    await unsubscribe(dbB, one.company_id, one.id);
    const [other] = await dbB.selectFrom('subscriptions').select('company_id').where('active', '=', 1).where('company_id', '!=', one.company_id).limit(1).execute();
    await unsubscribe(dbB, other.company_id, '*');
    const followed = await answers(a.engine, dbA);
    expect(a.counts.rebuilds).to.equal(3);
    expect(followed).to.deep.equal(await answers(engineOn(dbA).engine, dbA));
    expect(followed.join('\n')).to.not.include(one.id).and.not.include(other.company_id);
  });
});
