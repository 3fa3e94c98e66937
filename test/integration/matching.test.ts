// Matching over HTTP and SQLite: subscription filters, reasons in the API, and
// the officers' reach preview on Brygga's demo data.
import { expect } from 'chai';
import { seedDemoIfEmpty } from '../../src/demo/seed.ts';
import { PlaceResolver } from '../../src/regions/notice-place.ts';
import { importRegions, RegionsImportError } from '../../src/regions/regions.import.ts';
import { api, startTestApp, type TestApp } from '../helpers/app.ts';
import { requireSharedData } from '../helpers/shared-data.ts';

const future = new Date(Date.now() + 30 * 24 * 3600 * 1000).toISOString();

describe('matching', function () {
  let t: TestApp;

  describe('reach preview on the demo data', () => {
    before(async () => {
      t = await startTestApp({ WORKERS: 'off' });
      await seedDemoIfEmpty(t.app, new Date('2026-11-27T08:00:00Z'));
    });
    after(async () => t?.stop());

    const cleaning = {
      title: 'Städning av förskolor och fönsterputs',
      buyer: { name: 'Lerums kommun', orgNumber: '212000-1447' },
      cpv: { main: '90911200' },
      deadline: future,
    };

    it('counts the firms a draft reaches, local and in all, and stores nothing', async () => {
      const before = await t.app.db.selectFrom('notices').select('id').execute();
      const res = await api(t.app, 'POST', '/api/notices/preview', cleaning);
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      // Demo firms in cleaning (9091…): Säveån Städ & Service (Lerum) and Kooperativet Mötesplats (Lerum).
      expect(res.body.firms).to.deep.equal({ total: 2, local: 2 });
      expect(await t.app.db.selectFrom('notices').select('id').execute()).to.have.length(before.length);
    });

    it('shows how each requirement narrows the field', async () => {
      const res = await api(t.app, 'POST', '/api/notices/preview', { ...cleaning, criteria: { requirements: ['svanen'] } });
      // Both still hear about it; only Säveån holds a valid Svanen licence.
      expect(res.body.firms).to.deep.equal({ total: 2, local: 2 });
      expect(res.body.criteria).to.have.length(1);
      expect(res.body.criteria[0]).to.deep.include({ criterion: 'requirement:svanen', meeting: { total: 1, local: 1 }, withoutIt: { total: 2, local: 2 } });
      expect(res.body.criteria[0].label.sv).to.equal('Svanenmärkt');
    });

    it('an expired certificate counts as missing', async () => {
      const printing = { ...cleaning, title: 'Trycksaker', cpv: { main: '79810000' }, criteria: { requirements: ['svanen'] } };
      const res = await api(t.app, 'POST', '/api/notices/preview', printing);
      // Hulans Tryckeri's Svanen licence ran out on 2026-01-31.
      expect(res.body.firms.total).to.equal(1);
      expect(res.body.criteria[0].meeting.total).to.equal(0);
    });

    it('a reserved procurement reaches only eligible firms, and says how many it leaves out', async () => {
      const res = await api(t.app, 'POST', '/api/notices/preview', { ...cleaning, criteria: { reserved: ['res-ws'] } });
      // Only the cooperative is a work-integration social enterprise.
      expect(res.body.firms).to.deep.equal({ total: 1, local: 1 });
      expect(res.body.criteria[0]).to.deep.include({ criterion: 'reserved:res-ws', meeting: { total: 1, local: 1 }, withoutIt: { total: 2, local: 2 } });
    });

    it('shows what each lot reaches on its own', async () => {
      const lots = [
        { id: 'LOT-0001', title: 'Lokalvård', cpv: { main: '90911200' } },
        { id: 'LOT-0002', title: 'Parkskötsel', cpv: { main: '77313000' } },
      ];
      const res = await api(t.app, 'POST', '/api/notices/preview', { ...cleaning, lots });
      // Parks: Kooperativet Mötesplats and Tollereds Trädgårdstjänst (7731…).
      expect(res.body.lots).to.deep.equal([
        { lotId: 'LOT-0001', title: 'Lokalvård', firms: { total: 2, local: 2 } },
        { lotId: 'LOT-0002', title: 'Parkskötsel', firms: { total: 2, local: 2 } },
      ]);
      expect(res.body.firms.total).to.equal(3);
    });

    it('rejects a draft that is not a notice', async () => {
      const res = await api(t.app, 'POST', '/api/notices/preview', { title: 'x' });
      expect(res.status).to.equal(400);
      expect(res.body.error.details.map((d: { path: string }) => d.path)).to.include('cpv');
    });
  });

  describe('subscription filters through the worker', () => {
    before(async () => (t = await startTestApp()));
    after(async () => t?.stop());

    async function firm(orgNumber: string, subscription: object, csr: unknown[] = []) {
      const created = await api(t.app, 'POST', '/api/companies', {
        orgNumber, name: `Firma ${orgNumber}`, email: `${orgNumber}@firma.example`, municipalityCode: '1441', categories: ['90910000'], csr,
      });
      expect(created.status, JSON.stringify(created.body)).to.equal(201);
      // Registration made the first subscription from the categories: narrow it.
      const first = created.body.subscriptions[0].id;
      const sub = await api(t.app, 'PATCH', `/api/companies/${created.body.id}/subscriptions/${first}`, subscription);
      expect(sub.status, JSON.stringify(sub.body)).to.equal(200);
      return created.body.id as string;
    }

    async function matchesOf(companyId: string) {
      return (await api(t.app, 'GET', `/api/companies/${companyId}/matches`)).body.items as { title: string; reasons: { code: string; sv: string }[]; missing: string[] }[];
    }

    it('applies regions, keywords and strictness, and explains each match', async () => {
      const local = await firm('556016-0680', { regions: ['local'], keywords: 'städ -fönster' });
      const strict = await firm('556012-5790', { strict: true });
      const lenient = await firm('559100-0012', {}, [{ capability: 'iso-14001', validUntil: '2020-01-01' }]);

      const notice = (sourceId: string, title: string, buyer: string, requirements: string[] = []) =>
        api(t.app, 'POST', '/api/notices', {
          sourceId, title, buyer: { name: buyer }, cpv: { main: '90911200' }, deadline: future, criteria: { requirements },
        });
      await notice('A', 'Städning av Lerums bibliotek', 'Lerums kommun');
      await notice('B', 'Städning av Uppsala slott', 'Uppsala universitet');
      await notice('C', 'Fönsterputs och städning i Partille', 'Partille kommun');
      await notice('D', 'Lokalvård med miljökrav', 'Lerums kommun', ['iso-14001']);

      const settle = async () => {
        for (let i = 0; i < 200; i++) {
          const rows = await t.app.db.selectFrom('matches').select('id').execute();
          const pending = await t.app.producer.queue('match').getJobCounts('waiting', 'active', 'delayed');
          if (rows.length >= 8 && Object.values(pending).every((n) => n === 0)) return;
          await new Promise((r) => setTimeout(r, 50));
        }
      };
      await settle();

      // Local + "städ" but not "fönster": only A (B is in Uppsala, C mentions fönster, D has no "städ").
      expect((await matchesOf(local)).map((m) => m.title)).to.deep.equal(['Städning av Lerums bibliotek']);
      // Strict: every notice without requirements, not D.
      expect((await matchesOf(strict)).map((m) => m.title).sort()).to.deep.equal([
        'Fönsterputs och städning i Partille', 'Städning av Lerums bibliotek', 'Städning av Uppsala slott',
      ]);
      // Lenient with an expired ISO 14001: D matches, flagged as missing.
      const d = (await matchesOf(lenient)).find((m) => m.title === 'Lokalvård med miljökrav')!;
      expect(d.missing).to.deep.equal(['iso-14001']);
      // The firm held it once: the reason says what to renew.
      expect(d.reasons.map((r) => r.sv)).to.include('Kräver ISO 14001 eller EMAS – ert ISO 14001-certifikat gick ut 1 januari 2020');
      expect(d.reasons[0].sv).to.match(/^90911200 .*ingår i er kategori 90910000/);
    });

    it('rejects bad filters with the field named', async () => {
      const created = await api(t.app, 'POST', '/api/companies', {
        orgNumber: '212000-1447', name: 'Lerums kommun', email: 'k@lerum.example', municipalityCode: '1441', categories: ['90910000'],
      });
      const bad = async (body: object, field: string) => {
        const res = await api(t.app, 'POST', `/api/companies/${created.body.id}/subscriptions`, { name: 'x', cpv: ['90910000'], ...body });
        expect(res.status).to.equal(400);
        expect(res.body.error.details.map((d: { path: string }) => d.path)).to.include(field);
      };
      await bad({ regions: ['Lerum'] }, 'regions.0');
      await bad({ minValue: 10, maxValue: 5 }, 'maxValue');
      await bad({ kinds: ['auction'] }, 'kinds.0');
      await bad({ keywords: '""' }, 'keywords');
      const firmWithUnknown = await api(t.app, 'POST', '/api/companies', {
        orgNumber: '559100-0053', name: 'X', email: 'x@x.example', municipalityCode: '1441', categories: ['90910000'], csr: ['iso-99999'],
      });
      expect(firmWithUnknown.status).to.equal(400);
      expect(firmWithUnknown.body.error.message).to.include('csr.0').and.include('iso-14001');
    });
  });
});

describe('regions import', function () {
  let t: TestApp;
  beforeEach(async () => (t = await startTestApp({ WORKERS: 'off' })));
  afterEach(async () => t?.stop());

  it('loads municipalities and postcodes, so a postcode places a notice', async function () {
    const folder = requireSharedData(this, 'regions');
    const counts = await importRegions(t.app.db, folder);
    expect(counts.municipalities).to.equal(290);
    const place = await new PlaceResolver(t.app.db).place({
      buyer: { name: 'Västtrafik AB', orgNumber: null, nuts: null },
      placeOfPerformance: { nuts: ['SE232'], postalCode: '443 03', town: null },
    });
    expect(place).to.deep.equal({ municipalities: ['1441'], nuts: ['SE232'] });
  });

  it('refuses a folder without the files and changes nothing', async () => {
    let error: unknown;
    await importRegions(t.app.db, '/nonexistent').catch((e) => (error = e));
    expect(error).to.be.instanceOf(RegionsImportError);
    expect(await t.app.db.selectFrom('municipalities').select('code').execute()).to.have.length(0);
  });
});
