import { expect } from 'chai';
import { bestCpvHit, candidateCategories, cpvReason, isAlertable, scoreCpvHit } from '../../src/domain/match.ts';

const proc = (code: string, isMain = true) => ({ code, lotId: null, isMain });

describe('match v0', () => {
  it('candidate categories are the notice codes and all their ancestors', () => {
    expect(candidateCategories([proc('45214200')]).sort()).to.deep.equal(['45000000', '45200000', '45210000', '45214000', '45214200']);
  });

  it('a category matches itself and its descendants, not its ancestors or siblings', () => {
    expect(bestCpvHit([proc('45214200')], ['45214200'])).to.include({ distance: 0 });
    expect(bestCpvHit([proc('45214200')], ['45000000'])).to.include({ category: '45000000', distance: 4 });
    expect(bestCpvHit([proc('45000000')], ['45214200'])).to.equal(null);
    expect(bestCpvHit([proc('45214200')], ['45215000'])).to.equal(null);
    expect(bestCpvHit([proc('90620000')], ['45000000'])).to.equal(null);
  });

  it('explains with the main code first, then other procedure codes, then lots', () => {
    const codes = [proc('45331000', false), { code: '45310000', lotId: 'LOT-0002', isMain: true }, proc('45214200')];
    expect(bestCpvHit(codes, ['45000000'])!.noticeCode).to.equal('45214200');
    const lotOnly = bestCpvHit([proc('90620000'), { code: '45310000', lotId: 'LOT-0002', isMain: true }], ['45300000']);
    expect(lotOnly).to.include({ noticeCode: '45310000', lotId: 'LOT-0002' });
    expect(cpvReason(lotOnly!).sv).to.include('i delområde LOT-0002');
  });

  it('scores exact categories highest', () => {
    expect(scoreCpvHit(bestCpvHit([proc('45214200')], ['45214200'])!)).to.equal(100);
    expect(scoreCpvHit(bestCpvHit([proc('45214200')], ['45000000'])!)).to.equal(60);
  });

  it('gives the reason in Swedish and English, naming codes and division', () => {
    const reason = cpvReason(bestCpvHit([proc('45214200')], ['45210000'])!);
    expect(reason.code).to.equal('cpv');
    expect(reason.sv).to.match(/^CPV 45214200 \(.+\) matchar din kategori 4521…$/);
    expect(reason.en).to.match(/^CPV 45214200 \(.+\) matches your category 4521…$/);
  });

  it('alerts only on active, open, non-award notices', () => {
    const now = new Date('2026-11-27T10:00:00Z');
    expect(isAlertable({ kind: 'tender', deadline: '2026-12-01T00:00:00Z', status: 'active' }, now)).to.equal(true);
    expect(isAlertable({ kind: 'tender', deadline: null, status: 'active' }, now)).to.equal(true);
    expect(isAlertable({ kind: 'tender', deadline: '2026-11-27T09:59:59Z', status: 'active' }, now)).to.equal(false);
    expect(isAlertable({ kind: 'award', deadline: null, status: 'active' }, now)).to.equal(false);
    expect(isAlertable({ kind: 'tender', deadline: null, status: 'withdrawn' }, now)).to.equal(false);
  });
});
