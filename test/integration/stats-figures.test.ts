// The statistics' later figures with small fixtures written here, exact
// numbers: new and young firms (alerts and wins, by level), firms registered
// per category against what is bought, a contract's size from the winning
// firm's own profile when the award gives none, and an invoice file without a
// buyer column (the home municipality's own ledger).
import { expect } from 'chai';
import { noticeInputSchema } from '../../src/notices/notice.schema.ts';
import { storeNotice } from '../../src/notices/notices.service.ts';
import { replaceRegions } from '../../src/regions/regions.repo.ts';
import { api, startTestApp, type TestApp } from '../helpers/app.ts';
import { nextOrgNumber } from '../helpers/firms.ts';

const LERUM = { name: 'Lerums kommun', orgNumber: '2120001447', nuts: 'SE232' };
const digits = (o: string) => o.replace(/\D/g, '');
const f = (numerator: number, denominator: number, unknown: number) => ({ numerator, denominator, unknown, share: denominator ? numerator / denominator : null });

describe('Statistics: young firms, categories against purchases, sizes from profiles, invoices without a buyer', function () {
  this.timeout(120_000);
  let t: TestApp;
  const org = Object.fromEntries(['young', 'old', 'declared', 'large', 'edge'].map((k) => [k, nextOrgNumber()])) as Record<string, string>;
  const id: Record<string, string> = {};
  const notices: Record<string, string> = {};

  const get = async (path: string) => {
    const res = await api(t.app, 'GET', path);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    return res.body;
  };
  const award = (name: string, orgNumber: string | null, size: string | null, amount: number) => ({
    winner: { name, orgNumber: orgNumber && digits(orgNumber), size, nuts: null, postalCode: null },
    value: { amount, currency: 'SEK' }, tendersReceived: 2,
  });

  before(async () => {
    t = await startTestApp({ WORKERS: 'off' });
    const db = t.app.db;
    await replaceRegions(db, [
      { code: '1441', name: 'Lerums kommun', short_name: 'Lerum', county_code: '14' },
      { code: '1480', name: 'Göteborgs kommun', short_name: 'Göteborg', county_code: '14' },
    ], []);
    const firm = async (key: string, name: string, municipalityCode: string, categories: string[], extra: object) => {
      const res = await api(t.app, 'POST', '/api/companies', { orgNumber: org[key], name, email: `${key}@firma.example`, municipalityCode, categories, ...extra });
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      id[key] = res.body.id;
    };
    // Young by its founding day (period 2026: founded after 2023-12-31), with a size in its profile.
    await firm('young', 'Ung Lerum AB', '1441', ['45000000'], { founded: '2025-03-01', size: 'micro' });
    await firm('old', 'Gammal Lerum AB', '1441', ['45000000', '90910000'], { founded: '2001-05-01' });
    // Young by its declaration only; in Göteborg (local-area).
    await firm('declared', 'Deklarerat Ung AB', '1480', ['79620000'], { csr: ['young-company'] });
    await firm('large', 'Göteborg Stor AB', '1480', ['45000000'], { size: 'large' });
    // Founded exactly three years before the period's last day: no longer young.
    await firm('edge', 'Gränsfall AB', '1441', ['90910000'], { founded: '2023-12-31' });

    const notice = async (sourceId: string, kind: 'award' | 'tender', cpv: string, awards: object[]) => {
      const stored = await storeNotice(db, noticeInputSchema.parse({
        source: 'eforms', sourceId, kind, title: `Upphandling ${sourceId}`, buyer: LERUM, cpv: { main: cpv }, publishedAt: '2026-02-01', awards,
      }));
      notices[sourceId] = stored.id;
    };
    await notice('N-1', 'award', '45000000', [
      award('Ung Lerum AB', org.young, null, 1000), award('Gammal Lerum AB', org.old, 'small', 2000),
      award('Göteborg Stor AB', org.large, null, 3000), award('Okänd AB', null, null, 4000),
    ]);
    await notice('N-2', 'award', '45000000', [award('Ung Lerum AB', org.young, null, 500), award('Extern AB', null, 'medium', 600)]);
    await notice('N-3', 'award', '90910000', [award('Deklarerat Ung AB', org.declared, null, 700), award('Gränsfall AB', org.edge, null, 800)]);
    await notice('N-4', 'tender', '79620000', []);
    await notice('N-5', 'award', '79620000', [award('Konsult AB', null, null, 9000)]);

    // Alerts: sent e-mails listing a notice as new. Not counted: a failed e-mail, a closing reminder; the same pair twice counts once.
    let n = 0;
    const alert = async (firmKey: string, noticeKey: string, status = 'sent', section = 'new') => {
      const delivery = `D${n++}`;
      const now = new Date().toISOString();
      await db.insertInto('deliveries').values({ id: delivery, company_id: id[firmKey], kind: 'instant', ref: delivery, status, created_at: now, sent_at: status === 'sent' ? now : null, message_id: null, error: null, owner: null, lease_until: null }).execute();
      await db.insertInto('delivery_items').values({ delivery_id: delivery, company_id: id[firmKey], notice_id: notices[noticeKey], section }).execute();
    };
    await alert('young', 'N-1');
    await alert('young', 'N-1');
    await alert('young', 'N-2');
    await alert('old', 'N-1');
    await alert('old', 'N-2', 'sent', 'closing');
    await alert('declared', 'N-3');
    await alert('declared', 'N-4');
    await alert('large', 'N-4');
    await alert('edge', 'N-1', 'failed');
  });
  after(async () => t?.stop());

  it('new and young firms: shares of alerts and of wins, by level, and why each firm is young', async () => {
    const y = await get('/api/stats/young-firms?period=2026&buyer=212000-1447');
    expect(y).to.include({ day: '2026-12-31', foundedAfter: '2023-12-31' });
    expect(y.definition.sv).to.match(/unga företag/i);
    expect(y.definition.en).to.match(/young firms/i);
    // Alerts: young 2 (N-1, N-2) + declared 2 (N-3, N-4) of 6 pairs (young 2, old 1, declared 2, large 1).
    expect(y.alerts).to.deep.include(f(4, 6, 0));
    expect(y.alerts.byLevel.home).to.deep.equal(f(2, 3, 0));
    expect(y.alerts.byLevel['local-area']).to.deep.equal(f(2, 3, 0));
    expect(y.alerts.youngBy).to.deep.equal({ founded: 2, 'young-company': 2 });
    // Wins: registered winners young ×2, old, large, declared, edge = 6 known, 3 young; Okänd, Extern and Konsult unknown.
    expect(y.wins).to.deep.include(f(3, 6, 3));
    expect(y.wins.byLevel.home).to.deep.equal(f(2, 4, 0));
    expect(y.wins.byLevel['local-area']).to.deep.equal(f(1, 2, 0));
    expect(y.wins.byLevel.unknown).to.deep.equal(f(0, 0, 3));
    expect(y.wins.youngBy).to.deep.equal({ founded: 2, 'young-company': 1 });
    expect(y.wins.rules).to.deep.include({ firm: 6 });
    expect(y.firms).to.deep.equal({ registered: 5, young: 2, withoutFounded: 2 });
    // Three years on, the firm founded in 2025 is no longer young; the declaration still is.
    const later = await get('/api/stats/young-firms?period=2029');
    expect(later.foundedAfter).to.equal('2026-12-31');
    expect(later.firms).to.deep.include({ young: 1 });
  });

  it('firms registered per category against what is bought: where few local firms meet large purchases', async () => {
    const c = await get('/api/stats/categories?period=2026&buyer=212000-1447');
    expect(c).to.include({ contracts: 9, withoutDivision: 0, localFirms: 3, registeredFirms: 5 });
    expect(c.medians).to.deep.equal({ contracts: 2, value: 9000, localFirms: 2 });
    expect(c.rules).to.deep.include({ firm: 6, unknown: 3 });
    expect(c.rows.map((r: { division: string; attention: boolean }) => [r.division, r.attention])).to.deep.equal([['79', true], ['45', false], ['90', false]]);
    const [consulting, works, cleaning] = c.rows;
    expect(consulting).to.deep.include({ division: '79', registeredFirms: 1, contractsPerLocalFirm: null });
    expect(consulting.contracts).to.deep.equal(f(1, 9, 0));
    expect(consulting.value).to.deep.equal({ ...f(9000, 21_600, 0), valued: 1 });
    expect(consulting.localFirms).to.deep.equal(f(0, 3, 0));
    expect(consulting.localWins).to.deep.equal(f(0, 0, 1));
    expect(works).to.deep.include({ division: '45', registeredFirms: 3, contractsPerLocalFirm: 3 });
    expect(works.contracts).to.deep.equal(f(6, 9, 0));
    expect(works.value).to.deep.equal({ ...f(11_100, 21_600, 0), valued: 6 });
    expect(works.localFirms).to.deep.equal(f(2, 3, 0));
    expect(works.localWins).to.deep.equal(f(3, 4, 2));
    expect(cleaning.localWins).to.deep.equal(f(1, 2, 0));
    expect(cleaning.localFirms).to.deep.equal(f(2, 3, 0));
  });

  it('a contract’s size from the winning firm’s profile when the award gives none; the award’s own size stays', async () => {
    let o = await get('/api/stats/overview?period=2026&buyer=212000-1447');
    expect(o.smeShare.bySize).to.deep.equal({ micro: 2, small: 1, medium: 1, large: 1, unknown: 4 });
    expect(o.smeShare.sources).to.deep.equal({ award: 2, firm: 3, unknown: 4 });
    expect(o.smeShare).to.deep.include(f(4, 5, 4));
    // The declared firm states a size; the old firm states another than its award says (the award's stays).
    expect((await api(t.app, 'PATCH', `/api/companies/${id.declared}`, { size: 'small' })).status).to.be.oneOf([200, 204]);
    expect((await api(t.app, 'PATCH', `/api/companies/${id.old}`, { size: 'large' })).status).to.be.oneOf([200, 204]);
    expect((await get(`/api/companies/${id.declared}`))).to.include({ size: 'small', founded: null });
    o = await get('/api/stats/overview?period=2026&buyer=212000-1447');
    expect(o.smeShare.bySize).to.deep.equal({ micro: 2, small: 2, medium: 1, large: 1, unknown: 3 });
    expect(o.smeShare.sources).to.deep.equal({ award: 2, firm: 4, unknown: 3 });
    const bad = await api(t.app, 'PATCH', `/api/companies/${id.declared}`, { size: 'huge', founded: '2026-13-01' });
    expect(bad.status).to.equal(400);
  });

  it('an invoice file without a buyer column is the home municipality’s ledger: it counts for Lerums kommun and all, not for other buyers', async () => {
    const own = ['datum,organisationsnummer,leverantörsnamn,belopp', `2026-03-01,${org.young},Ung Lerum AB,1000`, '2026-03-02,,Någon AB,200'].join('\n');
    const region = ['datum,organisationsnummer,leverantörsnamn,belopp,köpare', `2026-03-01,${org.old},Gammal Lerum AB,500,232100-0016`].join('\n');
    for (const csv of [own, region]) {
      const res = await api(t.app, 'POST', '/api/import', csv, { headers: { 'content-type': 'text/csv' } });
      expect(res.body.files[0], JSON.stringify(res.body)).to.include({ format: 'invoices' });
    }
    expect(await get('/api/stats/spend?period=2026&buyer=212000-1447')).to.include({ total: 1200, numerator: 1000, denominator: 1000, unknown: 200 });
    expect(await get('/api/stats/spend?period=2026&buyer=232100-0016')).to.include({ total: 500, numerator: 500, denominator: 500, unknown: 0 });
    expect(await get('/api/stats/spend?period=2026&buyer=2220001234')).to.include({ total: 0 });
    expect(await get('/api/stats/spend?period=2026')).to.include({ total: 1700, numerator: 1500, denominator: 1500, unknown: 200 });
  });
});
