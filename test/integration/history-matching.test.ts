// Matching learns from a firm's record (issue 16), through the engine that
// sends alerts: "inte relevant" lowers the score of similar notices and says
// so; award history (UHM statistics, found by name) gives suggestions with the
// evidence; a subscription's minimum score holds back what scores below it.
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { ingestSources } from '../../src/ingest/ingest.service.ts';
import { fileSource } from '../../src/ingest/sources.ts';
import { api, startTestApp, type TestApp } from '../helpers/app.ts';
import { inDays, nextOrgNumber } from '../helpers/firms.ts';

const LERUM = { name: 'Lerums kommun', orgNumber: '212000-1447' };
const HEADER = 'År,Namn för köpare,Organisationsnummer för köpare,Huvudsaklig CPV-kod,Upphandlings-ID,Upphandlingens titel,Publiceringsdatum,Anbudsområdes-ID,Namn för leverantör';

describe('matching from a firm’s record', function () {
  this.timeout(60_000);
  let t: TestApp;
  let firm: string;
  const ids: Record<string, string> = {};

  const scoreOf = async (noticeId: string) => {
    const res = await api(t.app, 'GET', `/api/companies/${firm}/matches?pageSize=100`);
    return (res.body.items as { noticeId: string; score: number; reasons: { code: string; sv: string }[] }[]).find((m) => m.noticeId === noticeId);
  };
  const publish = async (reference: string, title: string, buyer: object, cpv: string) => {
    const res = await api(t.app, 'POST', '/api/notices', { reference, title, buyer, cpv: { main: cpv }, deadline: inDays(30) });
    expect(res.status, JSON.stringify(res.body)).to.be.oneOf([200, 201]);
    return res.body.notice.id as string;
  };

  before(async () => {
    t = await startTestApp({ WORKERS: 'off' });
    const created = await api(t.app, 'POST', '/api/companies', {
      orgNumber: nextOrgNumber(), name: 'Säveå Lokalvård AB', email: 'info@savea.test', municipalityCode: '1441', categories: ['90900000', '45000000'],
    });
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    firm = created.body.id;
    const other = { name: 'Alingsås kommun', orgNumber: nextOrgNumber() };
    ids.marked = await publish('KS 1', 'Lokalvård i skolor', LERUM, '90911200');
    ids.similar = await publish('KS 2', 'Lokalvård i förskolor', LERUM, '90911200');
    ids.unrelated = await publish('KS 3', 'Ombyggnad av kök', other, '45000000');
    for (const id of Object.values(ids)) await t.app.engine.matchStored(id);
  });
  after(async () => t?.stop());

  it('"inte relevant" lowers the score of a similar notice, not of an unrelated one, and the reason says so', async () => {
    const before = { similar: (await scoreOf(ids.similar))!, unrelated: (await scoreOf(ids.unrelated))! };
    const rebuilds = async () => (await t.app.rt.metrics.matchIndexRebuild.get()).values.find((v) => v.metricName?.endsWith('_count'))?.value ?? 0;
    const rebuiltBefore = await rebuilds();
    const res = await api(t.app, 'POST', `/api/companies/${firm}/matches/${ids.marked}/feedback`, { reason: 'wrong-category' });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    for (const id of [ids.similar, ids.unrelated]) await t.app.engine.matchStored(id);
    // The engine read the firm's record again, not the whole index.
    expect(await rebuilds()).to.equal(rebuiltBefore);

    const similar = (await scoreOf(ids.similar))!;
    expect(similar.score).to.be.lessThan(before.similar.score);
    const reason = similar.reasons.find((r) => r.code === 'feedback')!;
    expect(reason.sv).to.match(/^Liknar ”Lokalvård i skolor” som ni markerat som inte relevant \(samma köpare, samma kategori, liknande ord\): −\d+ poäng$/);
    expect(before.similar.score - similar.score).to.equal(Number(/−(\d+)/.exec(reason.sv)![1]));

    const unrelated = (await scoreOf(ids.unrelated))!;
    expect(unrelated.score).to.equal(before.unrelated.score);
    expect(unrelated.reasons.map((r) => r.code)).to.not.include('feedback');
  });

  it('suggests categories from the contracts won, found by name in UHM statistics, with the evidence', async () => {
    const dir = fs.mkdtempSync(path.join(t.dir, 'uhm-'));
    const file = path.join(dir, 'winners.csv');
    fs.writeFileSync(file, [
      HEADER,
      '2021,LERUMS KOMMUN,2120001447,90911200 Städning av byggnader,U1,Städ A,2021-02-01,U1_1,SÄVEÅ LOKALVÅRD AKTIEBOLAG',
      '2021,LERUMS KOMMUN,2120001447,90911200 Städning av byggnader,U2,Städ B,2021-03-01,U2_1,Säveå Lokalvård AB (publ)',
      '2021,LERUMS KOMMUN,2120001447,90911200 Städning av byggnader,U3,Städ C,2021-04-01,U3_1,Annan Städ AB',
      '2021,LERUMS KOMMUN,2120001447,90919200 Kontorsstädning,U4,Kontor,2021-05-01,U4_1,Annan Städ AB',
    ].join('\n'));
    await ingestSources(t.app.db, [await fileSource(file)], { format: 'auto', maxBytes: 1024 * 1024, sliceMs: 2000, pauseMs: 0 });

    const res = await api(t.app, 'GET', `/api/companies/${firm}/suggestions`);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body.wins).to.equal(2);
    expect(res.body.categories).to.have.length(1);
    expect(res.body.categories[0]).to.deep.include({ code: '90911200', contracts: 2, years: [2021] });
    expect(res.body.categories[0].reason.sv).to.match(/^Ni har vunnit 2 kontrakt inom 90911200 .*\(2021\)$/);
    expect(res.body.subscription).to.deep.include({ minScore: 50 });
    expect(res.body.subscription.cpv).to.include('90000000');
  });

  it('a subscription’s minimum score holds back matches that score below it', async () => {
    const subs = await api(t.app, 'GET', `/api/companies/${firm}`);
    const sub = subs.body.subscriptions[0];
    const patched = await api(t.app, 'PATCH', `/api/companies/${firm}/subscriptions/${sub.id}`, { minScore: 100 });
    expect(patched.status, JSON.stringify(patched.body)).to.equal(200);
    const outcome = await t.app.engine.matchStored(ids.unrelated);
    expect(outcome.matched).to.not.include(firm);
  });
});
