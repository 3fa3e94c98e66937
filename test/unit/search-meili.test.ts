// The pure parts of the Meilisearch backend: settings, documents, filter
// expressions, query text and result mapping. No server needed.
import { expect } from 'chai';
import { MeilisearchApiError, MeilisearchRequestError, type SearchResponse } from 'meilisearch';
import {
  MeiliTaskError, PRIMARY_KEY, filterString, isUnavailable, meiliFilter, meiliPageQueries, meiliQueryText, meiliSearchQueries, meiliSettings,
  orderSegments, presentMeiliResult, segmentSlices, toMeiliDocument,
} from '../../src/search/meilisearch.ts';
import { RESULT_CAP, emptyQuery, type SearchDocument, type SearchRules } from '../../src/search/search.types.ts';
import { MARK_END, MARK_START, parseTextQuery } from '../../src/search/text.ts';

const NOW = new Date('2026-06-01T10:00:00.000Z');
const T = NOW.getTime();
/** Open since 30 days before NOW. */
const S = T - 30 * 24 * 3600 * 1000;
const RULES: SearchRules = { localArea: ['1441', '1402'], alertMaxAgeDays: 30 };
const OPEN = `(invites = true AND (deadlineTs > ${T} OR (deadlineTs NOT EXISTS AND publishedTs >= ${S})))`;

const doc: SearchDocument = {
  id: '01J0000000000000000000000A', revision: 3, title: 'Städtjänster', description: 'Lokalvård', buyerName: 'Lerums kommun', codes: ['90911200', 'LK-2026-1'], labels: 'Städning av byggnader', broaderLabels: '',
  buyerId: '01JBUYER', buyerOrgNumber: null, kind: 'tender', procedure: null, mainCpv: '90911200',
  cpv: ['90000000', '90900000', '90910000', '90911000', '90911200'], cpvDivisions: ['90000000'], regions: ['1441', 'SE', 'SE2', 'SE23', 'SE232'],
  awarded: false, invites: true, deadline: null, publishedAt: '2026-05-20T08:00:00.000Z', estimatedValue: { amount: 10, currency: 'EUR' }, valueSek: null, csr: ['social'],
};

describe('search: Meilisearch translation', () => {
  it('settings: searchable in relevance order, filterable and sortable attributes, Swedish, no typos in codes, the result cap', () => {
    const s = meiliSettings();
    expect(s.searchableAttributes).to.deep.equal(['title', 'tokens', 'labels', 'description', 'buyerName', 'codes', 'broaderLabels']);
    expect(s.filterableAttributes).to.include.members(['cpv', 'buyerId', 'buyerOrgNumber', 'regions', 'procedure', 'kind', 'awarded', 'invites', 'deadlineTs', 'publishedTs', 'valueSek', 'csr']);
    expect(s.sortableAttributes).to.deep.equal(['publishedTs', 'deadlineTs']);
    expect(s.rankingRules?.[0]).to.equal('sort');
    expect(s.rankingRules?.slice(-2)).to.deep.equal(['nearness:desc', 'publishedTs:desc']);
    expect(s.localizedAttributes).to.deep.equal([{ attributePatterns: ['title', 'description', 'buyerName'], locales: ['swe'] }]);
    expect(s.typoTolerance).to.deep.include({ disableOnAttributes: ['codes'], disableOnNumbers: true });
    expect(s.pagination).to.deep.equal({ maxTotalHits: RESULT_CAP });
    expect(PRIMARY_KEY).to.equal('id');
  });

  it('documents: dates as timestamps; what is missing is absent (sorts last, NOT EXISTS finds it)', () => {
    const d = toMeiliDocument(doc);
    // Nearness, by the local area given: Lerum's notice is local, then Swedish elsewhere, abroad last.
    expect([toMeiliDocument(doc).nearness, toMeiliDocument(doc, ['0180']).nearness, toMeiliDocument({ ...doc, regions: ['DE'] }).nearness]).to.deep.equal([2, 1, 0]);
    expect(d).to.include({ id: doc.id, revision: 3, publishedTs: Date.parse(doc.publishedAt), awarded: false, deadline: null });
    expect(d).not.to.have.any.keys('deadlineTs', 'valueSek', 'buyerOrgNumber', 'procedure');
    const full = toMeiliDocument({ ...doc, deadline: '2027-01-01T00:00:00.000Z', valueSek: 5, buyerOrgNumber: '2120001447', procedure: 'open' });
    expect(full).to.include({ deadlineTs: Date.parse('2027-01-01T00:00:00.000Z'), valueSek: 5, buyerOrgNumber: '2120001447', procedure: 'open' });
  });

  it('filters: OR within a filter, AND between, numbers for dates and values', () => {
    const filter = meiliFilter(emptyQuery({
      kind: ['tender', 'planning'], procedure: ['open'], buyer: ['2120001447', '01JBUYER'], cpv: ['45000000'], region: ['SE232', '1441'],
      csr: ['social', 'sme'], valueMin: 1_000_000, valueMax: 5_000_000, deadlineFrom: '2026-06-01T00:00:00.000Z', publishedTo: '2026-05-31T23:59:59.999Z',
    }), NOW, RULES);
    expect(filter).to.equal([
      'kind IN ["tender", "planning"]',
      'procedure = "open"',
      '(buyerId = "01JBUYER" OR buyerOrgNumber = "2120001447")',
      'cpv = "45000000"',
      'regions IN ["SE232", "1441"]',
      'csr = "social"',
      'csr = "sme"',
      `deadlineTs >= ${Date.parse('2026-06-01T00:00:00.000Z')}`,
      `publishedTs <= ${Date.parse('2026-05-31T23:59:59.999Z')}`,
      'valueSek >= 1000000',
      'valueSek <= 5000000',
    ].join(' AND '));
    expect(meiliFilter(emptyQuery(), NOW, RULES)).to.equal(undefined);
  });

  it('status: awarded; open as alerts mean it (may invite, deadline ahead or recently published); closed the rest', () => {
    expect(meiliFilter(emptyQuery({ status: ['awarded'] }), NOW, RULES)).to.equal('awarded = true');
    expect(meiliFilter(emptyQuery({ status: ['open'] }), NOW, RULES)).to.equal(OPEN);
    expect(meiliFilter(emptyQuery({ status: ['closed'] }), NOW, RULES)).to.equal(`(awarded = false AND NOT ${OPEN})`);
    expect(meiliFilter(emptyQuery({ status: ['open', 'awarded'] }), NOW, RULES)).to.equal(`(${OPEN} OR awarded = true)`);
    expect(meiliFilter(emptyQuery({ status: ['open', 'closed', 'awarded'] }), NOW, RULES)).to.equal(undefined);
    const longer = meiliFilter(emptyQuery({ status: ['open'] }), NOW, { ...RULES, alertMaxAgeDays: 90 });
    expect(longer).to.include(`publishedTs >= ${T - 90 * 24 * 3600 * 1000}`);
  });

  it('region=local is the local area\'s kommunkoder', () => {
    expect(meiliFilter(emptyQuery({ region: ['local'] }), NOW, RULES)).to.equal('regions IN ["1441", "1402"]');
    expect(meiliFilter(emptyQuery({ region: ['SE332', 'local'] }), NOW, RULES)).to.equal('regions IN ["SE332", "1441", "1402"]');
  });

  it('no injection through filters: quotes and backslashes are escaped inside string literals', () => {
    expect(filterString('a"b\\c')).to.equal('"a\\"b\\\\c"');
    const filter = meiliFilter(emptyQuery({ procedure: ['open" OR kind = "award'], region: ['x\\" OR awarded = true OR "'] }), NOW, RULES)!;
    expect(filter).to.equal('procedure = "open\\" OR kind = \\"award" AND regions = "x\\\\\\" OR awarded = true OR \\""');
    // Outside the literals only our own syntax remains.
    const outside = filter.replace(/"(?:[^"\\]|\\.)*"/g, 'S');
    expect(outside).to.equal('procedure = S AND regions = S');
    expect(() => meiliFilter(emptyQuery({ valueMin: Number.NaN }), NOW, RULES)).to.throw(RangeError);
  });

  it('query text: words from letters and digits only, each as its own token; phrases quoted, exclusions with minus', () => {
    expect(meiliQueryText(parseTextQuery('Skolskjuts Lerums'))).to.equal('skolskjut lerum');
    expect(meiliQueryText(parseTextQuery('"parker och grönytor" -snö -"nya skolan" städning'))).to.equal('"parker och grönytor" -snö -"nya skolan" städ');
    const hostile = meiliQueryText(parseTextQuery('städ" -"x OR "\\ y" AND filter=1'));
    expect(hostile.replace(/"[^"]*"/g, '')).not.to.match(/["\\=]/);
    expect(meiliQueryText(parseTextQuery('el'))).to.equal('el');
  });

  it('search queries: the page with facets and highlights, and one count per status', () => {
    const [main, open, closed, awarded, ...rest] = meiliSearchQueries('brygga-notices', emptyQuery({ q: 'städning', kind: ['tender'], page: 3, pageSize: 10 }), NOW, RULES);
    expect(main).to.deep.include({
      indexUid: 'brygga-notices', q: 'städ', filter: 'kind = "tender"', matchingStrategy: 'all', page: 3, hitsPerPage: 10,
      highlightPreTag: MARK_START, highlightPostTag: MARK_END, attributesToCrop: ['description'],
    });
    expect(main.sort).to.equal(undefined);
    expect(main.facets).to.have.members(['kind', 'procedure', 'cpvDivisions', 'buyerId', 'regions', 'csr']);
    expect(open).to.deep.include({ hitsPerPage: 0, filter: `(kind = "tender") AND ${OPEN}` });
    expect(closed.filter).to.equal(`(kind = "tender") AND (awarded = false AND NOT ${OPEN})`);
    expect(awarded.filter).to.equal('(kind = "tender") AND awarded = true');
    expect(rest).to.deep.equal([]);
    expect(meiliSearchQueries('i', emptyQuery({ sort: 'deadline' }), NOW, RULES)[0].sort).to.deep.equal(['deadlineTs:asc', 'publishedTs:desc']);
    expect(meiliSearchQueries('i', emptyQuery({ sort: 'newest' }), NOW, RULES)[0].sort).to.deep.equal(['publishedTs:desc']);
  });

  it('without words the order is built from segments: open first; local area, Sweden (or unknown), abroad; newest first in each', () => {
    const local = 'regions IN ["1441", "1402"]';
    const sweden = '(regions = "SE" OR regions IS EMPTY)';
    const places = [local, `NOT ${local} AND ${sweden}`, `NOT ${local} AND NOT ${sweden}`];
    const segments = orderSegments(emptyQuery(), NOW, RULES);
    expect(segments).to.deep.equal([...places.map((p) => `${OPEN} AND ${p}`), ...places.map((p) => `NOT ${OPEN} AND ${p}`)]);
    expect(orderSegments(emptyQuery({ q: 'skola' }), NOW, RULES)).to.equal(null);
    expect(orderSegments(emptyQuery({ sort: 'newest' }), NOW, RULES)).to.equal(null);
    expect(orderSegments(emptyQuery({ q: '-bygg' }), NOW, RULES)).to.have.length(6);

    // The first round counts the page's segments; the main query only counts and facets.
    const query = emptyQuery({ kind: ['tender'], q: '-bygg', page: 2, pageSize: 10 });
    const first = meiliSearchQueries('i', query, NOW, RULES);
    expect(first).to.have.length(4 + 6);
    expect(first[0]).to.deep.include({ page: 1, hitsPerPage: 0, filter: 'kind = "tender"', sort: undefined });
    expect(first.slice(4).map((q) => q.filter)).to.deep.equal(segments!.map((seg) => `(kind = "tender") AND ${seg}`));

    // Then the page: items 10–19 of segments of 4, 0, 12, 3, 0 and 5 are the third's last 6, the fourth's 3 and the sixth's first.
    expect(segmentSlices([4, 0, 12, 3, 0, 5], 10, 10)).to.deep.equal([{ segment: 2, offset: 6, limit: 6 }, { segment: 3, offset: 0, limit: 3 }, { segment: 5, offset: 0, limit: 1 }]);
    expect(segmentSlices([25, 3], 0, 20)).to.deep.equal([{ segment: 0, offset: 0, limit: 20 }]);
    expect(segmentSlices([2, 1], 20, 20)).to.deep.equal([]);
    const page = meiliPageQueries('i', query, NOW, RULES, [4, 0, 12, 3, 0, 5]);
    expect(page.map(({ filter, offset, limit }) => ({ filter, offset, limit }))).to.deep.equal([
      { filter: `(kind = "tender") AND ${segments![2]}`, offset: 6, limit: 6 },
      { filter: `(kind = "tender") AND ${segments![3]}`, offset: 0, limit: 3 },
      { filter: `(kind = "tender") AND ${segments![5]}`, offset: 0, limit: 1 },
    ]);
    expect(page[0]).to.deep.include({ q: '-bygg', sort: ['publishedTs:desc'], attributesToCrop: ['description'] });
  });

  it('results: hits with escaped, marked title and snippet; facets named as Brygga names them', () => {
    const response = (extra: Partial<SearchResponse>): SearchResponse => ({ hits: [], processingTimeMs: 1, query: '', ...extra });
    const result = presentMeiliResult(emptyQuery({ q: 'städ' }), [
      response({
        hits: [{ ...toMeiliDocument({ ...doc, title: 'Städ <b>' }), _formatted: { title: `${MARK_START}Städ${MARK_END} <b>`, description: 'Lokalvård' } }],
        totalHits: 1,
        facetDistribution: { kind: { tender: 1 }, cpvDivisions: { '90000000': 1 }, regions: { SE232: 1, '1441': 1 }, buyerId: { '01JBUYER': 1 }, csr: { social: 1 } },
      }),
      response({ totalHits: 1 }), response({ totalHits: 0 }), response({ totalHits: 0 }),
    ], NOW, RULES);
    expect(result.hits[0]).to.deep.include({ id: doc.id, titleHtml: '<mark>Städ</mark> &#60;b&#62;', snippet: 'Lokalvård', status: 'open', procedure: null });
    expect(result.hits[0].buyer).to.deep.equal({ id: '01JBUYER', name: 'Lerums kommun', orgNumber: null });
    expect(result.facets.cpv).to.deep.equal([{ value: '90000000', count: 1 }]);
    expect(result.facets.region.map((f) => f.value)).to.deep.equal(['1441', 'SE232']);
    expect(result.facets.status).to.deep.equal([{ value: 'open', count: 1 }]);
    expect(result).to.deep.include({ total: 1, totalExact: true, backend: 'meilisearch' });
  });

  it('unreachable: connection failures and gateways count, answers of Meilisearch itself do not', () => {
    expect(isUnavailable(new MeilisearchRequestError('http://x', new TypeError('fetch failed')))).to.equal(true);
    expect(isUnavailable(new MeilisearchApiError(new Response(null, { status: 503 })))).to.equal(true);
    expect(isUnavailable(new MeilisearchApiError(new Response(null, { status: 400 })))).to.equal(false);
    expect(isUnavailable(new Error('x'))).to.equal(false);
    const failed = new MeiliTaskError('add', { uid: 7, status: 'failed', type: 'documentAdditionOrUpdate', error: { code: 'invalid_document_id', message: 'bad id', type: 'invalid_request', link: '' } });
    expect(failed.message).to.equal('Meilisearch task 7 (add) failed: invalid_document_id: bad id');
  });
});
