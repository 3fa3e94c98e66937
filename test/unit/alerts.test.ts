import { expect } from 'chai';
import { alertKind, subscriptionTakes, type AlertFacts } from '../../src/domain/alerts.ts';
import { diffNotices, WITHDRAWAL, type Diffable } from '../../src/domain/changes.ts';
import { describeChanges } from '../../src/mail/change-text.ts';

const now = new Date('2026-11-27T10:00:00Z');
const notice = (over: Partial<AlertFacts> = {}): AlertFacts => ({
  source: 'local', kind: 'tender', status: 'active', deadline: '2026-12-01T00:00:00Z', publishedAt: '2026-11-20T08:00:00Z', awarded: false, ...over,
});
const kind = (over: Partial<AlertFacts>) => alertKind(notice(over), now, 30);

describe('alert rule', () => {
  it('a contract notice invites firms until its deadline', () => {
    expect(kind({})).to.equal('tender');
    expect(kind({ deadline: '2026-11-27T10:00:01Z' })).to.equal('tender');
    expect(kind({ deadline: '2026-11-27T10:00:00Z' })).to.equal(null);
    expect(kind({ deadline: '2021-03-01T00:00:00Z', publishedAt: '2021-01-01T00:00:00Z' })).to.equal(null);
  });

  it('without a deadline, only within ALERT_MAX_AGE_DAYS of publication, and never without a publication date', () => {
    expect(kind({ deadline: null, publishedAt: '2026-10-29T10:00:00Z' })).to.equal('tender'); // 29 days
    expect(kind({ deadline: null, publishedAt: '2026-10-27T09:59:59Z' })).to.equal(null); // 31 days
    expect(kind({ deadline: null, publishedAt: '2026-11-20' })).to.equal('tender'); // a date without a time
    expect(kind({ deadline: null, publishedAt: null })).to.equal(null);
    expect(alertKind(notice({ deadline: null, publishedAt: '2026-10-27T09:59:59Z' }), now, 60)).to.equal('tender');
  });

  it('never awarded, withdrawn, award, change or statistics records', () => {
    expect(kind({ awarded: true })).to.equal(null);
    expect(kind({ status: 'withdrawn' })).to.equal(null);
    expect(kind({ kind: 'award' })).to.equal(null);
    expect(kind({ kind: 'change' })).to.equal(null);
    expect(kind({ source: 'uhm', deadline: null, publishedAt: '2026-11-26T00:00:00Z' })).to.equal(null);
  });

  it('prior information is "planning", and reaches only subscriptions that ask for it', () => {
    expect(kind({ kind: 'planning', deadline: null, publishedAt: '2026-11-20T00:00:00Z' })).to.equal('planning');
    expect(kind({ kind: 'planning', deadline: null, publishedAt: '2020-02-01T00:00:00Z' })).to.equal(null);
    expect(subscriptionTakes([], 'planning')).to.equal(false);
    expect(subscriptionTakes(['tender'], 'planning')).to.equal(false);
    expect(subscriptionTakes(['planning'], 'planning')).to.equal(true);
    expect(subscriptionTakes([], 'tender')).to.equal(true);
  });
});

describe('changes in words', () => {
  const base: Diffable = {
    title: 'Städ', deadline: '2027-01-29T11:00:00.000Z', estimatedValue: null, cpv: { main: '90911200', additional: [] },
    lots: [{ id: 'LOT-1', title: 'Skolor', cpv: null, estimatedValue: { amount: 100000, currency: 'SEK' } }],
    links: { documents: null, submission: null, source: null },
  };

  it('keeps before and after of material fields only', () => {
    const diff = diffNotices(base, { ...base, title: 'Städning', deadline: '2027-02-12T11:00:00.000Z' });
    expect(diff.fields).to.deep.equal(['title', 'deadline']);
    expect(diff.material).to.equal(true);
    expect(diff.details).to.deep.equal([{ field: 'deadline', before: '2027-01-29T11:00:00.000Z', after: '2027-02-12T11:00:00.000Z' }]);
    expect(diffNotices(base, { ...base, title: 'Städning' }).material).to.equal(false);
  });

  it('says old → new in the reader’s language, lots by title, never a field name', () => {
    const after = {
      ...base, deadline: '2027-02-12T11:00:00.000Z', estimatedValue: { amount: 1200000, currency: 'SEK' },
      lots: [{ ...base.lots[0], estimatedValue: { amount: 150000, currency: 'SEK' } }],
      links: { documents: 'https://upphandling.lerum.se/1', submission: null, source: null },
    };
    const { details } = diffNotices(base, after);
    const sv = describeChanges(details, null, 'sv');
    expect(sv).to.have.length(4);
    expect(sv[0]).to.equal('Sista anbudsdag: 29 januari 2027 kl. 12:00 → 12 februari 2027 kl. 12:00 (svensk tid)');
    expect(sv[1]).to.match(/^Uppskattat värde: inget angivet → 1\s200\s000\skr$/);
    expect(sv[2]).to.match(/^Uppskattat värde för delområde Skolor: 100\s000\skr → 150\s000\skr$/);
    expect(sv[3]).to.equal('Upphandlingsdokument: inget angivet → https://upphandling.lerum.se/1');
    expect(describeChanges(details, null, 'en')[0]).to.equal('Submission deadline: 29 January 2027 at 12:00 → 12 February 2027 at 12:00 (Swedish time)');
    expect(describeChanges(WITHDRAWAL.details, 'Behovet har upphört', 'sv')).to.deep.equal([
      'Upphandlingen är återkallad.', 'Köparens motivering: Behovet har upphört',
    ]);
  });
});
