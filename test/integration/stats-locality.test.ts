// Where a supplier is, rule by rule, with small fixtures written here: a
// registered firm (and one with workplaces in two municipalities), the supplier
// register by kommunkod and by postnummer, the address in the award, a name
// match that staff reject and confirm, unknown. Officers' direct awards count;
// a withdrawn notice's awards do not. Invoices: local share of spend, credit
// notes, a re-import that counts once.
import { expect } from 'chai';
import { directAwardSchema, registerDirectAward } from '../../src/notices/awards.service.ts';
import { noticeInputSchema } from '../../src/notices/notice.schema.ts';
import { storeNotice, withdrawNotice } from '../../src/notices/notices.service.ts';
import { replaceRegions } from '../../src/regions/regions.repo.ts';
import { api, startTestApp, type TestApp } from '../helpers/app.ts';
import { nextOrgNumber } from '../helpers/firms.ts';

const LERUM = { name: 'Lerums kommun', orgNumber: '2120001447', nuts: 'SE232' };
const digits = (o: string) => o.replace(/\D/g, '');

describe('Statistics: where suppliers are, rule by rule', function () {
  this.timeout(120_000);
  let t: TestApp;
  const org = Object.fromEntries(['home', 'twoPlaces', 'gbg', 'regKommun', 'regPost', 'address', 'nameOnly'].map((k) => [k, nextOrgNumber()])) as Record<string, string>;
  let withdrawnId: string;

  const overview = async (query = 'period=2026&buyer=212000-1447') => {
    const res = await api(t.app, 'GET', `/api/stats/overview?${query}`);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    return res.body;
  };
  const award = (name: string, winner: object, amount: number | null) => ({
    winner: { name, orgNumber: null, size: null, nuts: null, postalCode: null, ...winner },
    value: amount === null ? null : { amount, currency: 'SEK' }, tendersReceived: 3,
  });

  before(async () => {
    t = await startTestApp({ WORKERS: 'off' });
    const db = t.app.db;
    await replaceRegions(db, [
      { code: '1441', name: 'Lerums kommun', short_name: 'Lerum', county_code: '14' },
      { code: '1480', name: 'Göteborgs kommun', short_name: 'Göteborg', county_code: '14' },
    ], [
      { postal_code: '44330', locality: 'Lerum', municipality_code: '1441' },
      { postal_code: '41101', locality: 'Göteborg', municipality_code: '1480' },
    ]);
    const firm = async (orgNumber: string, name: string, municipalityCode: string) => {
      const res = await api(t.app, 'POST', '/api/companies', { orgNumber, name, email: `${digits(orgNumber)}@firma.example`, municipalityCode, categories: ['45000000'] });
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      return res.body.id as string;
    };
    await firm(org.home, 'Lerum Bygg AB', '1441');
    const two = await firm(org.twoPlaces, 'Tvåort Städ AB', '1480');
    const put = await api(t.app, 'PUT', `/api/companies/${two}/workplaces`, { municipalities: ['1441'] });
    expect(put.body).to.deep.equal({ municipalities: ['1441'] });
    await firm(org.gbg, 'Göteborgs Måleri AB', '1480');

    // The supplier register: by kommunkod, by postnummer, and a bad row named.
    const csv = [
      'organisationsnummer;namn;kommunkod;postnummer',
      `${org.regKommun};Registrerad Kommun AB;1441;`,
      `${org.regPost};Registrerad Post AB;;411 01`,
      '123;Trasig AB;1441;',
      '',
    ].join('\n');
    const imported = await api(t.app, 'POST', '/api/import', csv, { headers: { 'content-type': 'text/csv' } });
    expect(imported.status, JSON.stringify(imported.body)).to.equal(200);
    expect(imported.body.files[0]).to.include({ format: 'supplier-register', new: 2 });
    expect(imported.body.files[0].rejected).to.deep.equal([{ ref: 'line 4', reason: 'not an organisationsnummer: "123"' }]);
    const again = await api(t.app, 'POST', '/api/import', csv, { headers: { 'content-type': 'text/csv' } });
    expect(again.body.files[0]).to.include({ new: 0, unchanged: 2 });

    const notice = (sourceId: string, awards: object[]) => noticeInputSchema.parse({
      source: 'eforms', sourceId, kind: 'award', title: `Upphandling ${sourceId}`, buyer: LERUM, cpv: { main: '45000000' },
      publishedAt: '2026-02-01', awards,
    });
    await storeNotice(db, notice('N-1', [
      award('Lerum Bygg AB', { orgNumber: digits(org.home), size: 'small' }, 100),
      award('Tvåort Städ AB', { orgNumber: digits(org.twoPlaces), size: 'micro' }, 200),
      award('Göteborgs Måleri AB', { orgNumber: digits(org.gbg), size: 'medium' }, 300),
      award('Registrerad Kommun AB', { orgNumber: digits(org.regKommun), size: 'large' }, 400),
      award('Registrerad Post AB', { orgNumber: digits(org.regPost) }, 500),
    ]));
    await storeNotice(db, notice('N-2', [
      award('Adressen AB', { orgNumber: digits(org.address), postalCode: '443 30' }, 600),
      award('Västra AB', { nuts: 'SE232' }, null),
      award('Utland GmbH', { nuts: 'DE300' }, 700),
      award('LERUM BYGG AKTIEBOLAG (publ)', {}, 800),
      award('Okänd Firma AB', {}, 900),
    ]));
    const withdrawn = await storeNotice(db, notice('N-3', [award('Lerum Bygg AB', { orgNumber: digits(org.home) }, 10_000)]));
    withdrawnId = withdrawn.id;
  });
  after(async () => t?.stop());

  it('decides each contract’s place by the first rule that knows it, and says which', async () => {
    const o = await overview();
    expect(o.contracts.count).to.equal(11);
    expect(o.localShare.rules).to.deep.equal({ firm: 4, register: 2, address: 3, name: 1, 'name-confirmed': 0, unknown: 1 });
    const levels = Object.fromEntries(Object.entries(o.localShare.byLevel).map(([l, v]) => [l, (v as { count: number }).count]));
    // home: the Lerum firm (twice), the firm with a workplace in Lerum, the register by kommunkod, the award's Lerum postcode,
    // the name match; local-area: the Göteborg firm, the register by postnummer; county: NUTS SE232; abroad: DE300.
    expect(levels).to.deep.equal({ home: 6, 'local-area': 2, county: 1, sweden: 0, abroad: 1, unknown: 1 });
    expect(o.localShare.count).to.deep.equal({ numerator: 6, denominator: 10, unknown: 1, share: 6 / 10 });
    // By value: the unknown and the contract without a value are left out.
    expect(o.localShare.value).to.deep.equal({ numerator: 12_100, denominator: 13_600, unknown: 2, share: 12_100 / 13_600 });
  });

  it('a withdrawn notice’s awards are not counted', async () => {
    const before = await overview();
    expect(before.contracts.count).to.equal(11);
    await withdrawNotice(t.app.db, withdrawnId, 'Felaktig');
    const after = await overview();
    expect(after.contracts.count).to.equal(10);
    expect(after.procurements.count).to.equal(before.procurements.count - 1);
    expect(after.localShare.rules.firm).to.equal(3);
  });

  it('a name match is marked; staff reject it (unknown) and confirm it', async () => {
    const matches = await api(t.app, 'GET', '/api/stats/name-matches?period=2026');
    expect(matches.body.matches).to.deep.equal([
      { nameKey: 'lerum bygg', winnerName: 'LERUM BYGG AKTIEBOLAG (publ)', orgNumber: digits(org.home), confirmed: false, level: 'home', municipality: '1441', contracts: 1 },
    ]);
    const reject = await api(t.app, 'PUT', '/api/stats/name-matches', { nameKey: 'lerum bygg', orgNumber: org.home, decision: 'rejected' });
    expect(reject.status).to.equal(204);
    let o = await overview();
    expect(o.localShare.rules).to.include({ name: 0, 'name-confirmed': 0, unknown: 2 });
    await api(t.app, 'PUT', '/api/stats/name-matches', { nameKey: 'lerum bygg', orgNumber: org.home, decision: 'confirmed' });
    o = await overview();
    expect(o.localShare.rules).to.include({ name: 0, 'name-confirmed': 1, unknown: 1 });
  });

  it('an officer’s direct award counts, in the period of its day of award', async () => {
    const before = await overview();
    await registerDirectAward(t.app.db, LERUM, directAwardSchema.parse({
      title: 'Snöröjning', cpv: '90620000', winner: { name: 'Lerum Bygg AB', orgNumber: org.home }, value: { amount: 50_000, currency: 'SEK' }, date: '2026-03-10',
    }));
    const o = await overview();
    expect(o.contracts.count).to.equal(before.contracts.count + 1);
    expect(o.procurements.directAwards).to.equal(1);
    expect(o.localShare.rules.firm).to.equal(before.localShare.rules.firm + 1);
    expect(o.localShare.value.numerator).to.equal(before.localShare.value.numerator + 50_000);
    const march = await overview('period=2026-03&buyer=212000-1447');
    expect(march.contracts.count).to.equal(1);
    expect(march.previousPeriod.label).to.equal('2026-02');
    expect(march.localShare.previous.count.denominator).to.be.greaterThan(0);
  });

  it('local share of spend from invoices: credit notes subtract, the same file again counts once', async () => {
    const csv = [
      'fakturadatum,leverantörens organisationsnummer,leverantörsnamn,belopp exkl moms,konto',
      `2026-01-15,${org.home},Lerum Bygg AB,"1000,00",4010`,
      `2026-01-20,${org.home},Lerum Bygg AB,-200,4010`,
      `2026-02-03,${org.gbg},Göteborgs Måleri AB,500,4010`,
      '2026-02-04,,Okänd Leverantör AB,300,4010',
      '2026-02-05,not-a-number,X AB,1,4010',
    ].join('\n');
    const first = await api(t.app, 'POST', '/api/import', csv, { headers: { 'content-type': 'text/csv' } });
    expect(first.body.files[0]).to.include({ format: 'invoices', new: 4 });
    expect(first.body.files[0].rejected).to.deep.equal([{ ref: 'line 6', reason: 'not an organisationsnummer: "not-a-number"' }]);
    const second = await api(t.app, 'POST', '/api/import', csv, { headers: { 'content-type': 'text/csv' } });
    expect(second.body.files[0]).to.include({ new: 0, unchanged: 4 });
    const spend = await api(t.app, 'GET', '/api/stats/spend?period=2026');
    expect(spend.body).to.include({ total: 1600, numerator: 800, denominator: 1300, unknown: 300, share: 800 / 1300 });
  });

  it('refuses a bad period and buyer with a 400 naming the field', async () => {
    expect((await api(t.app, 'GET', '/api/stats/overview?period=2026-13')).body.error.details[0].path).to.equal('period');
    expect((await api(t.app, 'GET', '/api/stats/overview?from=2026-02-01&to=2026-01-01')).status).to.equal(400);
    expect((await api(t.app, 'GET', '/api/stats/overview?period=2026&buyer=12')).body.error.details[0].path).to.equal('buyer');
    expect((await api(t.app, 'GET', '/api/stats/breakdown/colour?period=2026')).status).to.equal(404);
    const b = await api(t.app, 'GET', '/api/stats/breakdown/size?period=2026');
    expect(b.status).to.equal(200);
    expect(b.body.rows.map((r: { key: string | null }) => r.key)).to.include.members(['small', 'micro', 'medium', 'large', null]);
  });
});
