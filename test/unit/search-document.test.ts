// From a stored notice to the flat document both search backends index.
import { expect } from 'chai';
import { alertKind } from '../../src/domain/alerts.ts';
import { cpvClosure, csrFlags, regionClosure, toSearchDocument } from '../../src/search/document.ts';
import { NOTICE_KINDS, noticeInputSchema } from '../../src/notices/notice.schema.ts';
import { statusOf } from '../../src/search/search.types.ts';

const notice = (raw: object) => ({ ...noticeInputSchema.parse(raw), sourceId: 'LK-1' });
const base = { title: 'Städtjänster', buyer: { name: 'Lerums kommun', orgNumber: '212000-1447' }, cpv: { main: '90911200' } };

describe('search: documents', () => {
  it('a CPV code brings all its ancestors, so a filter at any level finds it', () => {
    expect(cpvClosure('45214200')).to.deep.equal(['45000000', '45200000', '45210000', '45214000', '45214200']);
    expect(cpvClosure('45000000')).to.deep.equal(['45000000']);
    expect(cpvClosure('03111000')).to.deep.equal(['03000000', '03100000', '03110000', '03111000']);
  });

  it('a place brings every NUTS level and the county of each municipality', () => {
    expect(regionClosure({ municipalities: ['1441'], nuts: ['SE110'] })).to.deep.equal(['1441', 'SE', 'SE1', 'SE11', 'SE110', 'SE2', 'SE23', 'SE232']);
  });

  it('CSR flags from the eForms criteria and the requirement types', () => {
    const none = { strategic: [], social: [], green: [], gpp: [], reserved: [], smeSuitable: null, requirements: [] };
    expect(csrFlags(none)).to.deep.equal([]);
    expect(csrFlags({ ...none, social: ['opp'] })).to.deep.equal(['social']);
    expect(csrFlags({ ...none, requirements: ['collective-agreement'] })).to.deep.equal(['social']);
    expect(csrFlags({ ...none, strategic: ['env-imp', 'inn-pur'] })).to.deep.equal(['environmental', 'innovation']);
    expect(csrFlags({ ...none, gpp: ['eu'], reserved: ['res-ws'], smeSuitable: true })).to.deep.equal(['environmental', 'reserved', 'sme']);
    expect(csrFlags({ ...none, smeSuitable: false })).to.deep.equal([]);
  });

  it('maps a stored notice: codes, lots, value in SEK, published or stored date, awarded', () => {
    const doc = toSearchDocument({
      id: 'N1', revision: 2, createdAt: '2026-05-02T00:00:00.000Z', buyerId: 'B1',
      notice: notice({
        ...base, description: 'Lokalvård \uE000i\uE001 förskolor', procedureId: 'PROC-7', procedure: 'open',
        cpv: { main: '90911200', additional: ['90911300'] },
        lots: [{ id: 'LOT-1', title: 'Fönsterputs', cpv: { main: '90911300' } }, { id: 'LOT-2', title: null, cpv: { main: '45000000' } }],
        estimatedValue: { amount: 4_200_000, currency: 'SEK' }, deadline: '2026-07-01T12:00:00+02:00',
        criteria: { social: ['opp'], smeSuitable: true },
      }),
      place: { municipalities: ['1441'], nuts: ['SE232'] },
    });
    expect(doc).to.deep.include({
      id: 'N1', revision: 2, title: 'Städtjänster', description: 'Lokalvård i förskolor · Fönsterputs', buyerName: 'Lerums kommun',
      buyerId: 'B1', buyerOrgNumber: '2120001447', kind: 'tender', procedure: 'open', mainCpv: '90911200', awarded: false,
      deadline: '2026-07-01T10:00:00.000Z', publishedAt: '2026-05-02T00:00:00.000Z', valueSek: 4_200_000, csr: ['social', 'sme'],
    });
    expect(doc.codes).to.deep.equal(['90911200', '90911300', '45000000', 'PROC-7', 'LK-1']);
    expect(doc.cpv).to.include.members(['90000000', '90911000', '90911300', '45000000']);
    expect(doc.cpvDivisions).to.deep.equal(['45000000', '90000000']);
    expect(doc.regions).to.deep.equal(['1441', 'SE', 'SE2', 'SE23', 'SE232']);
  });

  it('a value in another currency has no SEK value; an award notice or a notice with winners is awarded', () => {
    const place = { municipalities: [], nuts: [] };
    const eur = toSearchDocument({ id: 'N', revision: 1, createdAt: '2026-01-01T00:00:00.000Z', buyerId: 'B', place,
      notice: notice({ ...base, estimatedValue: { amount: 5, currency: 'EUR' }, publishedAt: '2025-12-24T10:00:00Z' }) });
    expect(eur).to.deep.include({ valueSek: null, estimatedValue: { amount: 5, currency: 'EUR' }, publishedAt: '2025-12-24T10:00:00.000Z' });
    const award = toSearchDocument({ id: 'N', revision: 1, createdAt: '2026-01-01T00:00:00.000Z', buyerId: 'B', place, notice: notice({ ...base, kind: 'award' }) });
    expect(award.awarded).to.equal(true);
    const won = toSearchDocument({ id: 'N', revision: 1, createdAt: '2026-01-01T00:00:00.000Z', buyerId: 'B', place,
      notice: notice({ ...base, awards: [{ winner: { name: 'Städ AB' } }] }) });
    expect(won.awarded).to.equal(true);
  });

  it('status is derived when asked: awarded; open as alerts mean it; else closed', () => {
    const now = new Date('2026-06-01T10:00:00Z');
    const doc = { awarded: false, invites: true, deadline: null, publishedAt: '2026-05-27T08:00:00.000Z' };
    expect(statusOf({ ...doc, awarded: true, deadline: '2027-01-01T00:00:00.000Z' }, now, 30)).to.equal('awarded');
    expect(statusOf({ ...doc, deadline: '2026-06-01T10:00:00.000Z' }, now, 30)).to.equal('closed');
    expect(statusOf({ ...doc, deadline: '2026-06-01T10:00:00.001Z' }, now, 30)).to.equal('open');
    expect(statusOf(doc, now, 30)).to.equal('open');
    expect(statusOf({ ...doc, publishedAt: '2026-03-03T08:00:00.000Z' }, now, 30)).to.equal('closed');
    expect(statusOf({ ...doc, publishedAt: '2026-03-03T08:00:00.000Z' }, now, 100)).to.equal('open');
    expect(statusOf({ ...doc, invites: false }, now, 30)).to.equal('closed');
  });

  it('open agrees with the alert rule (domain/alerts.ts) for every source, kind, winner, deadline and age', () => {
    const now = new Date('2026-06-01T10:00:00Z');
    const at = (ms: number) => new Date(now.getTime() + ms).toISOString();
    const day = 24 * 3600 * 1000;
    const deadlines = [null, at(-1), at(0), at(1), at(20 * day)];
    const published = [null, at(-90 * day), at(-30 * day - 1), at(-30 * day), at(-5 * day)];
    let cases = 0;
    for (const source of ['local', 'eforms', 'ocds', 'uhm'] as const) {
      for (const kind of NOTICE_KINDS) {
        for (const awards of [[], [{ winner: { name: 'Städ AB' } }]]) {
          for (const deadline of deadlines) {
            for (const publishedAt of published) {
              const n = notice({ ...base, source, kind, awards, deadline, publishedAt });
              const doc = toSearchDocument({ id: 'N', revision: 1, createdAt: at(-1000 * day), buyerId: 'B', notice: n, place: { municipalities: [], nuts: [] } });
              const alert = alertKind({ source, kind, status: 'active', deadline, publishedAt, awarded: awards.length > 0 }, now, 30);
              const label = JSON.stringify({ source, kind, awards: awards.length, deadline, publishedAt });
              expect(statusOf(doc, now, 30) === 'open', label).to.equal(alert !== null);
              cases++;
            }
          }
        }
      }
    }
    expect(cases).to.equal(4 * NOTICE_KINDS.length * 2 * 25);
  });
});
