// The pure rules of the statistics: levels, periods (names: names.test.ts).
import { expect } from 'chai';
import { contractTypeOfCpv, levelOfNuts, nearest, resolveLocality, type Lookups } from '../../src/domain/locality.ts';
import { parsePeriod, previousPeriod } from '../../src/domain/periods.ts';

const AREA = { home: '1441', localArea: ['1441', '1480', '1402'] };
const empty = (): Lookups => ({ firmsByOrg: new Map(), registerByOrg: new Map(), byName: new Map(), decisions: new Map() });

describe('statistics: locality rules', () => {
  it('a firm with workplaces in two municipalities is as near as the nearer', () => {
    expect(nearest(['0180', '1480'], AREA)).to.deep.equal({ level: 'local-area', municipality: '1480' });
    expect(nearest(['1480', '1441'], AREA)).to.deep.equal({ level: 'home', municipality: '1441' });
    expect(nearest(['1490'], AREA).level).to.equal('county');
    expect(nearest(['0180'], AREA).level).to.equal('sweden');
  });

  it('NUTS: the home county, the rest of Sweden, abroad', () => {
    expect(levelOfNuts('SE232', 'SE232')).to.equal('county');
    expect(levelOfNuts('SE110', 'SE232')).to.equal('sweden');
    expect(levelOfNuts('SE', 'SE232')).to.equal('sweden');
    expect(levelOfNuts('DE300', 'SE232')).to.equal('abroad');
  });

  it('the order of the rules: firm, register, address, name, unknown', () => {
    const l = empty();
    l.firmsByOrg.set('5560160680', { orgNumber: '5560160680', municipalities: ['1480'], companyId: 'c1' });
    l.registerByOrg.set('5560160680', { orgNumber: '5560160680', municipalities: ['1441'], companyId: 'c1' });
    const w = { orgNumber: '5560160680', nameKey: 'x', addressMunicipality: '1441', nuts: null };
    expect(resolveLocality(w, l, AREA, 'SE232')).to.include({ rule: 'firm', level: 'local-area', companyId: 'c1' });
    l.firmsByOrg.clear();
    expect(resolveLocality(w, l, AREA, 'SE232')).to.include({ rule: 'register', level: 'home' });
    l.registerByOrg.clear();
    expect(resolveLocality(w, l, AREA, 'SE232')).to.include({ rule: 'address', level: 'home' });
    l.byName.set('x', [{ orgNumber: '5560160680', municipalities: ['1402'], companyId: null, source: 'register' }]);
    expect(resolveLocality({ ...w, addressMunicipality: null }, l, AREA, 'SE232')).to.include({ rule: 'name', level: 'local-area', matchedOrg: '5560160680' });
    l.decisions.set('x 5560160680', 'rejected');
    expect(resolveLocality({ ...w, addressMunicipality: null }, l, AREA, 'SE232')).to.include({ rule: 'unknown', level: 'unknown' });
  });

  it('contract type from the CPV division', () => {
    expect([contractTypeOfCpv('45214200'), contractTypeOfCpv('30192000'), contractTypeOfCpv('48000000'), contractTypeOfCpv('90910000')]).to.deep.equal(['works', 'goods', 'goods', 'services']);
  });
});

describe('statistics: periods', () => {
  it('a year, a quarter, a month, from–to, and the period before', () => {
    expect(parsePeriod({ period: '2021' })).to.deep.equal({ from: '2021-01-01', to: '2021-12-31', label: '2021' });
    expect(parsePeriod({ period: '2024-Q1' })).to.deep.equal({ from: '2024-01-01', to: '2024-03-31', label: '2024-Q1' });
    expect(parsePeriod({ period: '2024-02' })!.to).to.equal('2024-02-29');
    expect(previousPeriod(parsePeriod({ period: '2024-Q1' })!).label).to.equal('2023-Q4');
    expect(previousPeriod(parsePeriod({ period: '2024-01' })!).label).to.equal('2023-12');
    expect(previousPeriod(parsePeriod({ from: '2024-03-01', to: '2024-03-10' })!)).to.deep.equal({ from: '2024-02-20', to: '2024-02-29', label: '2024-02-20–2024-02-29' });
    expect(parsePeriod({ period: '2024-13' })).to.equal(null);
    expect(parsePeriod({ from: '2024-02-30', to: '2024-03-01' })).to.equal(null);
  });
});

describe('statistics: young firms', () => {
  it('three years back from a day, 29 February to 28 February', async () => {
    const { yearsBefore } = await import('../../src/domain/periods.ts');
    expect(yearsBefore('2026-12-31', 3)).to.equal('2023-12-31');
    expect(yearsBefore('2024-02-29', 3)).to.equal('2021-02-28');
    expect(yearsBefore('2024-03-01', 1)).to.equal('2023-03-01');
  });

  it('young: founded within the three years up to the day, or declaring young-company', async () => {
    const { youngBy } = await import('../../src/domain/periods.ts');
    expect(youngBy('2024-01-01', false, '2026-12-31')).to.equal('founded');
    expect(youngBy('2023-12-31', false, '2026-12-31')).to.equal(null);
    expect(youngBy('2023-12-31', true, '2026-12-31')).to.equal('young-company');
    expect(youngBy('2027-01-01', false, '2026-12-31')).to.equal(null); // not yet founded that day
    expect(youngBy(null, false, '2026-12-31')).to.equal(null);
  });
});
