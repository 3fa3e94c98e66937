// Brygga's search translated for PostgreSQL full-text search: the vector a
// notice is indexed as, the tsquery of the words, and the statement. User
// input reaches SQL only as bound parameters and a tsquery only as quoted
// letters and digits.
import { expect } from 'chai';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { queryContext } from '../../src/search/fts5.query.ts';
import {
  documentVector, exclusionQuery, lexeme, orderBy, planQuery, searchStatement, titlePhraseQuery, wordsQuery, yearsOf,
} from '../../src/search/postgres.query.ts';
import { emptyQuery, type SearchQuery } from '../../src/search/search.types.ts';
import { parseTextQuery } from '../../src/search/text.ts';

const AT = queryContext(new Date('2026-06-01T10:00:00.000Z'), { localArea: ['1441', '1402'], alertMaxAgeDays: 30 });

/** A tsvector literal as lexeme → its positions with weights ("3A"). */
function parseVector(literal: string): Map<string, string[]> {
  return new Map([...literal.matchAll(/'((?:[^']|'')*)':([0-9A-D,]+)/g)].map((m) => [m[1].replaceAll("''", "'"), m[2].split(',')]));
}

const fields = { title: '', labels: '', description: '', buyerName: '', codes: [] as string[], broaderLabels: '' };

/** Compiled for PostgreSQL without connecting (Kysely connects only to run a query). */
const db = new Kysely<Record<string, never>>({ dialect: new PostgresDialect({ pool: new pg.Pool({ max: 1 }) }) });
const compile = (query: Partial<SearchQuery>, related: string[] = []) => {
  const q = emptyQuery(query);
  return searchStatement(planQuery(q, AT, related), q, AT, 0, 20).compile(db);
};

describe('search: PostgreSQL translation', () => {
  after(() => db.destroy());

  it('a document\'s vector holds the folded words as written, then their analysed tokens, with each field\'s weight', () => {
    const v = parseVector(documentVector({ ...fields, title: 'Skolmåltider i Floda', labels: 'Golvläggning', description: 'Café', codes: ['90911200', 'SRC-Ab'], broaderLabels: 'Byggarbete' }));
    // Words first (1–3), a gap, the title's other tokens; then the next field after another gap.
    expect(v.get('skolmåltider')).to.deep.equal(['1A']);
    expect(v.get('floda')).to.deep.equal(['3A']);
    for (const token of ['skol', 'måltid']) expect(v.get(token)?.[0], token).to.match(/^\d+A$/);
    expect(Number(v.get('skol')![0].slice(0, -1))).to.be.greaterThan(4);
    expect(v.get('golvläggning')?.[0]).to.match(/B$/);
    expect(v.get('cafe')?.[0]).to.match(/C$/); // accents folded as subscriptions fold them
    expect(v.get('90911200')?.[0]).to.match(/C$/);
    expect(v.get('src')).to.have.length(1);
    expect(v.get('byggarbete')?.[0]).to.match(/D$/);
    // Codes are folded, not analysed: only their words.
    expect([...v.keys()].filter((k) => k.startsWith('9'))).to.deep.equal(['90911200']);
  });

  it('a phrase never runs from one field into the next: a position is left empty between them', () => {
    const v = parseVector(documentVector({ ...fields, title: 'Floda', description: 'skola' }));
    const at = (token: string) => Number(v.get(token)![0].slice(0, -1));
    expect(at('skola') - at('floda')).to.be.greaterThan(1);
  });

  it('stays inside PostgreSQL\'s bounds: no over-long lexeme, at most 256 positions each, positions up to 16383', () => {
    const v = parseVector(documentVector({ ...fields, title: `${'a'.repeat(3000)} kort`, description: Array(20_000).fill('ord').join(' ') }));
    expect([...v.keys()].some((k) => k.length > 2046)).to.equal(false);
    expect(v.get('kort')).to.deep.equal(['2A']);
    expect(v.get('ord')).to.have.length(256);
    expect(Math.max(...[...v.values()].flat().map((p) => Number(p.slice(0, -1))))).to.be.at.most(16_383);
  });

  it('quotes lexemes: a quote or a backslash cannot leave the quotes', () => {
    expect(lexeme("a'b\\c")).to.equal("'a''b\\\\c'");
    expect(lexeme('skol', 'A')).to.equal("'skol':A");
  });

  it('words: every term by any of its tokens or all its parts; phrases word for word; in the title with :A', () => {
    const text = parseTextQuery('skolmåltider "parker och grönytor"');
    expect(wordsQuery(text)).to.equal("('skolmåltid' | ('skol' & 'måltid')) & ('parker' <-> 'och' <-> 'grönytor')");
    expect(wordsQuery(text, { title: true })).to.equal("('skolmåltid':A | ('skol':A & 'måltid':A)) & ('parker':A <-> 'och':A <-> 'grönytor':A)");
    expect(exclusionQuery(parseTextQuery('skol -skolskjuts -"nya skolan"'))).to.equal("('skolskjut' | ('skol' & 'skjut')) | ('nya' <-> 'skolan')");
    expect(wordsQuery(parseTextQuery('-bygg'))).to.equal(null);
    expect(titlePhraseQuery('Snöröjning Floda')).to.equal("('snöröjning':A <-> 'floda':A)");
    expect(titlePhraseQuery('snöröjning -floda')).to.equal(null);
  });

  it('hostile words become quoted letters and digits, never tsquery operators', () => {
    for (const q of ['städ" OR title:*', "'; DROP TABLE x; --", 'a:* & !b', 'x <-> y', '\\\'', '(((', 'kök:A|bygg']) {
      const text = parseTextQuery(q);
      for (const query of [wordsQuery(text), wordsQuery(text, { title: true }), exclusionQuery(text), titlePhraseQuery(q)]) {
        if (query === null) continue;
        const lexemes = [...query.matchAll(/'((?:[^']|'')*)'/g)].map((m) => m[1]);
        for (const l of lexemes) expect(l, q).to.match(/^[\p{L}\p{N}]+$/u);
        expect(query.replace(/'(?:[^']|'')*'/g, ''), q).to.match(/^[\s()&|<\->:A]*$/);
      }
    }
  });

  it('the statement binds every value: words, filters, the local area and the page are parameters', () => {
    const { sql, parameters } = compile({
      q: "städ'; DROP TABLE search_documents; --", cpv: ['90000000'], buyer: ['2120001447', "B'X"], region: ['local', 'se232'],
      procedure: ['open'], kind: ['tender'], status: ['open'], csr: ['social'], valueMin: 1, deadlineFrom: '2026-06-01T00:00:00.000Z',
    }, ['90911000']);
    expect(sql).not.to.include('DROP').and.not.to.include("B'X").and.not.to.include('1441');
    expect(parameters).to.deep.include(['90000000']).and.deep.include(['2120001447']).and.deep.include(["B'X"]);
    // local becomes the local area's kommunkoder; NUTS codes compare in upper case, as regionClosure writes them.
    expect(parameters).to.deep.include(['1441', '1402', 'SE232']);
    expect(parameters).to.deep.include(['90911000']);
  });

  it('orders as FTS5: title phrase, then boosted relevance, open, local, newest, first indexed', () => {
    expect(orderBy(emptyQuery({ sort: 'deadline' }), false)).to.equal('deadline IS NULL, deadline, published_at DESC, rid DESC');
    expect(orderBy(emptyQuery(), false)).to.equal('is_open DESC, locality, published_at DESC, rid DESC');
    expect(orderBy(emptyQuery({ q: 'x' }), true)).to.match(/^title_phrase DESC, score \* .* DESC, is_open DESC, locality, published_at DESC, rid DESC$/s);
    expect(compile({ q: 'skola', sort: 'newest' }).sql).not.to.include('ts_rank_cd');
    expect(compile({ q: 'skola' }).sql).to.include('ts_rank_cd');
  });

  it('newness is counted in years from a fixed day', () => {
    expect(yearsOf('2000-01-01T00:00:00.000Z')).to.equal(0);
    expect(yearsOf('2026-05-01T08:00:00.000Z')).to.be.closeTo(26.33, 0.01);
    expect(yearsOf('not a date')).to.equal(0);
  });
});
