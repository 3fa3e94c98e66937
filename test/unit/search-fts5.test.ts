// Brygga's filters translated into FTS5: the MATCH expression, the tokens a
// document carries, the bucket covers of ranges, and the SQL. User input
// reaches SQL only as bound parameters and FTS5 only as quoted letters/digits.
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { BM25_BUDGET, orderBy, rankingMode, searchSql } from '../../src/search/fts5.ts';
import {
  PARTS_BUDGET, dateRangeTags, dateTags, documentTags, openSql, planQuery, queryContext, quote, rankingCost, tags, textExpression, titlePhrase, valueBucket,
  valueRangeTags, type TokenDocs,
} from '../../src/search/fts5.query.ts';
import { emptyQuery, statusOf, type SearchDocument } from '../../src/search/search.types.ts';
import { parseTextQuery } from '../../src/search/text.ts';
import { sqliteOnly } from '../helpers/database.ts';

const NOW = '2026-06-01T10:00:00.000Z';
/** Now, open since 30 days before, and a local area of two municipalities. */
const AT = queryContext(new Date(NOW), { localArea: ['1441', '1402'], alertMaxAgeDays: 30 });
const SINCE = '2026-05-02T10:00:00.000Z';

const doc: SearchDocument = {
  id: '01J0000000000000000000000A', revision: 1, title: 'Städtjänster', description: '', buyerName: 'Lerums kommun', codes: ['90911200'], labels: 'Städning av byggnader · Building-cleaning services', broaderLabels: 'Avlopp, avfall, städning och miljö',
  buyerId: '01JBUYER', buyerOrgNumber: '2120001447', kind: 'tender', procedure: 'neg-w-call', mainCpv: '90911200',
  cpv: ['90000000', '90900000', '90910000', '90911000', '90911200'], cpvDivisions: ['90000000'], regions: ['1441', 'SE', 'SE2', 'SE23', 'SE232'],
  awarded: false, invites: true, deadline: '2027-03-01T11:00:00.000Z', publishedAt: '2026-05-01T08:00:00.000Z', estimatedValue: { amount: 4_200_000, currency: 'SEK' },
  valueSek: 4_200_000, csr: ['social', 'sme'],
};

/** Every quoted token of a MATCH expression. */
const tokensOf = (match: string) => [...match.matchAll(/"((?:[^"]|"")*)"/g)].map((m) => m[1]);

describe('search: FTS5 translation (SQLite only: FTS5 is SQLite\'s full-text search)', () => {
  before(sqliteOnly);
  it('a document carries one token per filter value; free-form values are hex, so each stays one token', () => {
    const t = documentTags(doc).split(' ');
    expect(t).to.include.members(['ktender', 'a0', 'i1', 'c90000000', 'c90911200', 'r1441', 'rse232', 'fsocial', 'fsme', 'o2120001447']);
    expect(t).to.include(tags.procedure('neg-w-call')).and.include(tags.buyerId('01JBUYER'));
    expect(tags.procedure('neg-w-call')).to.match(/^p[0-9a-f]+$/);
    expect(t).to.include.members(dateTags('d', doc.deadline!)).and.include.members(['dm202703', 'dy2027', 'dd202', 'um202605']);
    expect(t).to.include(tags.value(valueBucket(4_200_000)));
    for (const token of t) expect(token).to.match(/^[a-z0-9]+$/);
    expect(documentTags({ ...doc, deadline: null, valueSek: null })).to.include('dnone').and.include('vnone');
  });

  it('covers a date range with the fewest decade, year and month tokens', () => {
    expect(dateRangeTags('d', '2026-11-15T00:00:00Z', '2028-02-10T00:00:00Z')).to.deep.equal(['dm202611', 'dm202612', 'dy2027', 'dm202801', 'dm202802']);
    expect(dateRangeTags('d', '2030-01-01T00:00:00Z', '2041-12-31T00:00:00Z')).to.deep.equal(['dd203', 'dy2040', 'dy2041']);
    expect(dateRangeTags('u', '2026-03-01T00:00:00Z', '2026-03-31T00:00:00Z')).to.deep.equal(['um202603']);
    expect(dateRangeTags('d', '2027-01-01T00:00:00Z', '2026-01-01T00:00:00Z')).to.deep.equal([]);
    // Open ends reach 1900 and 2199; dates outside are clamped, so a cover always contains a date's token.
    const open = dateRangeTags('d', NOW, null);
    expect(open[0]).to.equal('dm202606');
    expect(open).to.include('dy2029').and.include('dd219');
    expect(dateTags('d', '2300-05-01T00:00:00Z')).to.include('dm219912');
    for (const date of ['2026-06-01T10:00:00Z', '2031-07-04T00:00:00Z', '2199-12-31T00:00:00Z']) {
      expect(dateTags('d', date).some((t) => open.includes(t)), date).to.equal(true);
    }
  });

  it('puts values in 1–2–5 buckets and covers a value range with them', () => {
    expect([0, 1, 1.99, 2, 4.99, 5, 10, 19, 20, 1_000_000, 4_200_000].map(valueBucket)).to.deep.equal([0, 1, 1, 2, 2, 3, 4, 4, 5, 19, 20]);
    expect(valueRangeTags(1_000_000, 5_000_000)).to.deep.equal(['v19', 'v20', 'v21']);
    expect(valueRangeTags(null, 1)).to.deep.equal(['v0', 'v1']);
  });

  it('words: every term by its tokens (the verb inside, a compound\'s parts together), phrases exact, never a prefix', () => {
    const text = parseTextQuery('Städning el skolmåltider "fönster puts"');
    expect(textExpression(text)).to.equal(
      '{title description buyer codes labels broader} : ("städ" AND "el" AND ("skolmåltid" OR ("skol" AND "måltid")) AND "fönster puts")',
    );
    expect(textExpression(parseTextQuery('-bygg'))).to.equal(null);
    const docs: TokenDocs = new Map([['städning', 10], ['städ', 2], ['el', 3], ['skol', 100], ['måltid', 4], ['fönster', 5], ['puts', 7]]);
    expect(rankingCost(text, docs)).to.equal(121);
    // A compound's parts apart are left out when a part is too common to merge ("upp" of "upphandling").
    const common = planQuery(emptyQuery({ q: 'skolmåltider' }), AT, new Map([['skol', PARTS_BUDGET + 1]]));
    expect(common.text).to.equal('{title description buyer codes labels broader} : ("skolmåltid")');
    expect(planQuery(emptyQuery({ q: 'skolmåltider' }), AT, new Map([['skol', PARTS_BUDGET]])).text).to.include('("skol" AND "måltid")');
    // Two words or more rank first as a phrase in the title.
    expect(titlePhrase('Städning av skolor')).to.equal('{title} : "städning av skolor"');
    expect(titlePhrase('städning')).to.equal(null);
    expect(titlePhrase('städning -skolor')).to.equal(null);
  });

  it('filters become token groups (OR within a filter, AND between) and exact SQL conditions with bound values', () => {
    const plan = planQuery(emptyQuery({
      q: 'städning', kind: ['tender', 'planning'], cpv: ['90000000'], region: ['SE232', '1441'], buyer: ['2120001447', '01JBUYER'],
      procedure: ['open'], csr: ['social', 'sme'], valueMin: 1_000_000, valueMax: 5_000_000,
      deadlineFrom: '2026-06-01T00:00:00.000Z', deadlineTo: '2026-07-31T23:59:59.999Z',
    }), AT);
    expect(plan.match).to.equal([
      '{title description buyer codes labels broader} : ("städ")',
      'tags : ("ktender" OR "kplanning")',
      `tags : ("${tags.procedure('open')}")`,
      `tags : ("o2120001447" OR "${tags.buyerId('01JBUYER')}")`,
      'tags : ("c90000000")',
      'tags : ("rse232" OR "r1441")',
      'tags : ("fsocial")',
      'tags : ("fsme")',
      'tags : ("dm202606" OR "dm202607")',
      'tags : ("v19" OR "v20" OR "v21")',
    ].join(' AND '));
    expect(plan.where).to.deep.equal(['s.deadline >= ?', 's.deadline <= ?', 's.value_sek >= ?', 's.value_sek <= ?']);
    expect(plan.params).to.deep.equal(['2026-06-01T00:00:00.000Z', '2026-07-31T23:59:59.999Z', 1_000_000, 5_000_000]);
    expect(plan.text).to.equal('{title description buyer codes labels broader} : ("städ")');
    expect(plan.titleText).to.equal('{title} : ("städ")');
  });

  it('status: tokens narrow (awarded, may invite, deadline and publication months), SQL decides exactly against now', () => {
    const awarded = planQuery(emptyQuery({ status: ['awarded'] }), AT);
    expect(awarded.match).to.equal('tags : ("a1")');
    expect(awarded.where).to.deep.equal(['(s.awarded = 1)']);
    const open = planQuery(emptyQuery({ status: ['open'] }), AT);
    expect(open.match).to.match(/^\(tags : \("i1"\) AND \(tags : \("dm202606" OR .*\) OR \(tags : \("dnone"\) AND tags : \("um202605" OR /);
    expect(open.where).to.deep.equal([`(${openSql('s')})`]);
    expect(open.params).to.deep.equal([SINCE, NOW]);
    const closed = planQuery(emptyQuery({ status: ['closed'] }), AT);
    expect(closed.match).to.match(/^\(tags : \("a0"\) AND tags : \("i0" OR "dnone" OR "dd190" OR /);
    expect(closed.where).to.deep.equal([`((s.awarded = 0 AND NOT ${openSql('s')}))`]);
    const closedOrAwarded = planQuery(emptyQuery({ status: ['closed', 'awarded'] }), AT);
    expect(closedOrAwarded.where).to.deep.equal([`((s.awarded = 0 AND NOT ${openSql('s')}) OR s.awarded = 1)`]);
    expect(closedOrAwarded.params).to.deep.equal([SINCE, NOW]);
    expect(planQuery(emptyQuery({ status: ['open', 'closed', 'awarded'] }), AT).match).to.equal(null);
  });

  it('open in SQL is statusOf: deadline ahead, or none and published since; never NULL, so NOT is closed', () => {
    const sqlite = new Database(':memory:');
    sqlite.exec('CREATE TABLE s (invites INTEGER, deadline TEXT, published_at TEXT)');
    const insert = sqlite.prepare('INSERT INTO s VALUES (?, ?, ?)');
    const docs = [];
    for (const invites of [true, false]) {
      for (const deadline of [null, '2026-06-01T09:59:59.999Z', NOW, '2026-06-01T10:00:00.001Z']) {
        for (const publishedAt of ['2026-05-02T09:59:59.999Z', SINCE, '2026-05-27T08:00:00.000Z']) {
          docs.push({ awarded: false, invites, deadline, publishedAt });
          insert.run(Number(invites), deadline, publishedAt);
        }
      }
    }
    const rows = sqlite.prepare(`SELECT ${openSql('s')} AS open, NOT ${openSql('s')} AS closed FROM s ORDER BY rowid`).all(SINCE, NOW, SINCE, NOW) as { open: number; closed: number }[];
    sqlite.close();
    docs.forEach((doc, i) => {
      expect(rows[i].open === 1, JSON.stringify(doc)).to.equal(statusOf(doc, new Date(NOW), 30) === 'open');
      expect(rows[i].closed, JSON.stringify(doc)).to.equal(1 - rows[i].open);
    });
  });

  it('region=local is the local area\'s kommunkoder, beside any other region asked for', () => {
    expect(planQuery(emptyQuery({ region: ['local'] }), AT).match).to.equal('tags : ("r1441" OR "r1402")');
    expect(planQuery(emptyQuery({ region: ['local', 'SE332', '1441'] }), AT).match).to.equal('tags : ("r1441" OR "r1402" OR "rse332")');
  });

  it('orders by relevance boosted for open, local and new notices, then open first, the local area before Sweden before abroad, the newest; sorts by date as asked', () => {
    const words = emptyQuery({ q: 'skola' });
    expect(orderBy(emptyQuery(), 'none')).to.equal('is_open DESC, locality, published_at DESC, rid DESC');
    expect(orderBy(words, 'bm25')).to.match(/^title_phrase DESC, score \* \(CASE WHEN is_open THEN 3\.0 .*pow\(1\.25, .*, is_open DESC, locality, published_at DESC, rid DESC$/s);
    expect(orderBy({ ...words, sort: 'newest' }, 'none')).to.equal('published_at DESC, rid DESC');
    expect(orderBy({ ...words, sort: 'deadline' }, 'none')).to.equal('deadline IS NULL, deadline, published_at DESC, rid DESC');
    // Now and openSince first (the candidates' is_open), the local area and Sweden last (the order).
    const { params } = searchSql(planQuery(emptyQuery(), AT), emptyQuery(), AT);
    expect(params).to.deep.equal([SINCE, NOW, '1441', '1402', 'SE']);
    expect(searchSql(planQuery(emptyQuery({ sort: 'newest' }), AT), emptyQuery({ sort: 'newest' }), AT).params).to.deep.equal([SINCE, NOW]);
  });

  it('exclusions subtract; alone they subtract from every notice', () => {
    expect(planQuery(emptyQuery({ q: 'skola -bygg' }), AT).match).to.equal(
      '({title description buyer codes labels broader} : ("skol")) NOT {title description buyer codes labels broader} : ("bygg")',
    );
    expect(planQuery(emptyQuery({ q: '-bygg' }), AT).match).to.equal(
      '(tags : ("a0" OR "a1")) NOT {title description buyer codes labels broader} : ("bygg")',
    );
    expect(planQuery(emptyQuery(), AT)).to.deep.include({ match: null, text: null, where: [], params: [] });
  });

  it('no injection through q: FTS5 operators, quotes, column filters and SQL stay words', () => {
    const q = `städ" OR tags : a1 NEAR("x" y) {title} : * '; DROP TABLE search_notices; -- ^a "`;
    const plan = planQuery(emptyQuery({ q }), AT);
    // Every token is letters or digits inside quotes; the structure is only ours.
    for (const token of tokensOf(plan.match!)) expect(token).to.match(/^[\p{L}\p{N} ]+$/u);
    expect(plan.match!.replace(/"[^"]*"/g, 'T').replace(/\(T( OR T)*\)/g, 'T')).to.match(/^\{title description buyer codes labels broader\} : \(T( AND T)*\)$/);
    const { sql, params } = searchSql(plan, emptyQuery({ q }), AT);
    expect(sql).not.to.include('DROP');
    expect(params[2]).to.equal(plan.match);
  });

  it('no injection through filters: values are hex tokens or bound parameters, never SQL', () => {
    const evil = `open" OR 1=1 --`;
    const plan = planQuery(emptyQuery({ procedure: [evil], buyer: [`x') OR ('1'='1`], deadlineFrom: `2026' OR '1'='1` }), AT);
    for (const token of tokensOf(plan.match!)) expect(token).to.match(/^[a-z0-9]+$/);
    expect(tokensOf(plan.match!)).to.include(tags.procedure(evil));
    expect(plan.where.join(' ')).not.to.include('OR 1');
    expect(plan.params).to.include(`2026' OR '1'='1`);
    expect(quote('a"b')).to.equal('"a""b"');
  });

  it('ranks by bm25 when the words are rare enough, else title matches first; without words by neither', () => {
    const rare: TokenDocs = new Map([['snöröj', 40]]);
    const common: TokenDocs = new Map([['snöröj', BM25_BUDGET + 1]]);
    const q = emptyQuery({ q: 'snöröjning' });
    expect(rankingMode(planQuery(q, AT, rare), q)).to.equal('bm25');
    expect(rankingMode(planQuery(q, AT, common), q)).to.equal('title-first');
    expect(rankingMode(planQuery(q, AT, rare), { ...q, sort: 'newest' })).to.equal('none');
    expect(rankingMode(planQuery(emptyQuery(), AT), emptyQuery())).to.equal('none');
    const bm25 = searchSql(planQuery(q, AT, rare), q, AT);
    expect(bm25.sql).to.include('bm25(search_fts, 10, 2, 1, 1, 3, 0.5, 0)');
    const words = '{title description buyer codes labels broader} : (("snöröj" OR ("snö" AND "röjning")))';
    expect(bm25.params).to.deep.equal([SINCE, NOW, words, words, '1441', '1402', 'SE']);
    // Very common words alone: one walk of the title's matches over the candidates' rowids, any word in the title.
    const titleFirst = searchSql(planQuery(q, AT, common), q, AT);
    expect(titleFirst.sql).not.to.include('highlight(');
    expect(titleFirst.params).to.deep.equal([SINCE, NOW, words, '{title} : (("snöröj" OR ("snö" AND "röjning")))', '1441', '1402', 'SE']);
    const two = emptyQuery({ q: 'snöröjning "parker och"' });
    expect(searchSql(planQuery(two, AT, common), two, AT).params[3]).to.equal('{title} : (("snöröj" OR ("snö" AND "röjning")) OR "parker och")');
    // With filters the candidates lie far apart: highlight() of each candidate's title.
    const filtered = { ...q, cpv: ['90'] };
    expect(searchSql(planQuery(filtered, AT, common), filtered, AT).sql).to.include('highlight(search_fts, 0');
  });
});
