// Brygga's search translated for PostgreSQL full-text search: the weighted
// vector (tsvector) a notice is indexed as, the tsquery of `q`, exact SQL
// conditions for the filters, and the one statement that answers a search.
// Pure code: user input reaches SQL only as bound parameters, and a tsquery
// only as quoted lexemes of letters and digits (parseTextQuery keeps nothing
// else), so no tsquery operator can be typed in.
//
// The vector holds what FTS5 indexes (indexedText in text.ts): each folded
// word as written, then every other token its words are found by (dictionary
// forms, compound parts, verbs), each with its field's weight. It is written
// as a tsvector literal rather than with to_tsvector: PostgreSQL's parser
// cuts text its own way ("www.lerum.se", "2.1" and "2026/123" are one token
// to it, two or three words to Brygga), and its `swedish` stemmer knows
// neither the lemmas nor the compounds, so a query analysed by Brygga would
// miss words to_tsvector had kept whole and find words FTS5 does not. The
// literal is what the `simple` configuration gives for Brygga's own tokens:
// lexemes as they are, with positions and weights.
import { sql, type RawBuilder } from 'kysely';
import { BOOSTS } from './fts5.ts';
import type { QueryContext } from './fts5.query.ts';
import { RESULT_CAP, regionCodes, type SearchDocument, type SearchQuery, type SearchStatus } from './search.types.ts';
import { analysedTokens, fold, foldedWords, parseTextQuery, titlePhraseWords, type QueryTerm, type TextQuery } from './text.ts';

type Weight = 'A' | 'B' | 'C' | 'D';

/** Each field's weight: the title; the CPV codes' names; description (with lot titles), buyer and codes; the ancestors' names. */
export const FIELD_WEIGHTS = { title: 'A', labels: 'B', description: 'C', buyer: 'C', codes: 'C', broader: 'D' } as const satisfies Record<string, Weight>;

/**
 * ts_rank_cd's weights for D, C, B, A: FTS5's bm25 column weights (title 10,
 * names 3, description 2, buyer and codes 1, ancestors' names 0.5) divided by
 * ten; buyer and codes share the description's class (four classes for six fields).
 */
export const RANK_WEIGHTS = [0.05, 0.2, 0.3, 1] as const;

/** PostgreSQL's bounds: the last position, positions kept per lexeme, a lexeme's bytes, all lexemes' bytes (with room to spare). */
const MAX_POSITION = 16_383;
const MAX_POSITIONS = 256;
const MAX_LEXEME_BYTES = 2_046;
const MAX_VECTOR_BYTES = 1_000_000;

/** The day newness is counted from (BOOSTS.perYear): fixed, so two notices' order never changes with the clock. */
const NEWNESS_FROM = Date.parse('2000-01-01T00:00:00.000Z');
const YEAR_MS = 365.25 * 24 * 3600 * 1000;

/** A lexeme quoted for tsvector and tsquery input (`:A` in a tsquery: in the title only). */
export function lexeme(token: string, weight: Weight | '' = ''): string {
  return `'${token.replaceAll('\\', '\\\\').replaceAll("'", "''")}'${weight ? `:${weight}` : ''}`;
}

/**
 * A tsvector being written: fields one after the other, each token at the
 * next position; one position is left empty after a field's words and after
 * their analysed tokens, so a phrase never runs from one into the next.
 */
class VectorBuilder {
  private readonly positions = new Map<string, string[]>();
  private position = 0;
  private bytes = 0;

  field(text: string, weight: Weight, analysed = true): this {
    const folded = fold(text);
    this.run(foldedWords(folded), weight);
    if (analysed) this.run(analysedTokens(folded), weight);
    return this;
  }

  private run(tokens: string[], weight: Weight): void {
    if (tokens.length === 0) return;
    for (const token of tokens) this.add(token, weight);
    this.position++;
  }

  private add(token: string, weight: Weight): void {
    this.position++;
    let list = this.positions.get(token);
    if (!list) {
      // Longer than PostgreSQL takes (a pasted string): left out, as to_tsvector leaves it out; it could not be asked for anyway.
      const size = Buffer.byteLength(token);
      if (size > MAX_LEXEME_BYTES || this.bytes + size > MAX_VECTOR_BYTES) return;
      this.bytes += size;
      list = [];
      this.positions.set(token, list);
    }
    // Past the last position PostgreSQL counts every word as at the last one (phrases there may match loosely, as in to_tsvector).
    const at = `${Math.min(this.position, MAX_POSITION)}`;
    if (list.length < MAX_POSITIONS && list.at(-1)?.slice(0, -1) !== at) list.push(`${at}${weight}`);
  }

  toString(): string {
    return [...this.positions].map(([token, at]) => `${lexeme(token)}:${at.join(',')}`).join(' ');
  }
}

/** The tsvector literal of a document (see the top of this file). Codes are folded, not analysed, as FTS5 indexes them. */
export function documentVector(doc: Pick<SearchDocument, 'title' | 'labels' | 'description' | 'buyerName' | 'codes' | 'broaderLabels'>): string {
  return new VectorBuilder()
    .field(doc.title, FIELD_WEIGHTS.title)
    .field(doc.labels, FIELD_WEIGHTS.labels)
    .field(doc.description, FIELD_WEIGHTS.description)
    .field(doc.buyerName, FIELD_WEIGHTS.buyer)
    .field(doc.codes.join(' '), FIELD_WEIGHTS.codes, false)
    .field(doc.broaderLabels, FIELD_WEIGHTS.broader)
    .toString();
}

/** Years from NEWNESS_FROM to the publication: what BOOSTS.perYear is raised to. */
export function yearsOf(publishedAt: string): number {
  const years = (Date.parse(publishedAt) - NEWNESS_FROM) / YEAR_MS;
  return Number.isFinite(years) ? years : 0;
}

/** The columns of search_documents a document fills, in the order of documentRow's values. */
export const DOCUMENT_COLUMNS = [
  'notice_id', 'revision', 'title', 'description', 'buyer', 'codes', 'labels', 'broader', 'kind', 'procedure', 'buyer_id',
  'buyer_org_number', 'main_cpv', 'awarded', 'invites', 'deadline', 'published_at', 'years', 'value_amount', 'value_currency', 'value_sek',
  'cpv', 'cpv_divisions', 'regions', 'flags', 'document',
] as const;

/** A document as a row of values for `INSERT … VALUES`, after its number (rid, from the sequence of its range; a replaced row keeps its own). */
export function documentRow(doc: SearchDocument): RawBuilder<unknown> {
  const rid = sql.raw(`nextval('${doc.invites ? 'search_rids_invite' : 'search_rids_history'}')`);
  const values: unknown[] = [
    doc.id, doc.revision, doc.title, doc.description, doc.buyerName, doc.codes.join(' '), doc.labels, doc.broaderLabels, doc.kind,
    doc.procedure, doc.buyerId, doc.buyerOrgNumber, doc.mainCpv, doc.awarded, doc.invites, doc.deadline, doc.publishedAt,
    yearsOf(doc.publishedAt), doc.estimatedValue?.amount ?? null, doc.estimatedValue?.currency ?? null, doc.valueSek,
  ];
  const arrays = [doc.cpv, doc.cpvDivisions, doc.regions, doc.csr];
  return sql`(${rid}, ${sql.join(values)}, ${sql.join(arrays.map((a) => sql`${a}::text[]`))}, ${documentVector(doc)}::tsvector)`;
}

/** One term: any of its tokens, or every part of a compound ("skolmåltid" → skolmåltid | (skol & måltid)). */
function termQuery(t: QueryTerm, weight: Weight | ''): string {
  const parts = t.parts.length ? [`(${t.parts.map((p) => lexeme(p, weight)).join(' & ')})`] : [];
  const any = [...t.tokens.map((token) => lexeme(token, weight)), ...parts];
  return any.length === 1 ? any[0] : `(${any.join(' | ')})`;
}

/** The words in a row, as written (the vector's folded words). */
const phraseQuery = (words: string[], weight: Weight | '') => `(${words.map((w) => lexeme(w, weight)).join(' <-> ')})`;

/**
 * The positive words as a tsquery: every term and phrase (`|`: any of
 * them), anywhere or (`title`) in the title only; null without any.
 */
export function wordsQuery(text: TextQuery, { title = false, join = '&' }: { title?: boolean; join?: '&' | '|' } = {}): string | null {
  const weight = title ? FIELD_WEIGHTS.title : '';
  const parts = [...text.terms.map((t) => termQuery(t, weight)), ...text.phrases.map((p) => phraseQuery(p, weight))];
  return parts.length ? parts.join(` ${join} `) : null;
}

/** What the query excludes: a notice with any of it is left out; null when nothing is. */
export function exclusionQuery(text: TextQuery): string | null {
  const parts = [...text.exclude.map((t) => termQuery(t, '')), ...text.excludePhrases.map((p) => phraseQuery(p, ''))];
  return parts.length ? parts.join(' | ') : null;
}

/** The query's words as typed, as a phrase in the title (see titlePhraseWords): such a title ranks first. */
export function titlePhraseQuery(q: string): string | null {
  const words = titlePhraseWords(q);
  return words === null ? null : phraseQuery(words, FIELD_WEIGHTS.title);
}

/** statusOf's open, over search_documents aliased `s`. Never NULL (CASE, not OR over a NULL deadline), so NOT is its complement. */
export function openCondition(at: QueryContext): RawBuilder<boolean> {
  return sql<boolean>`(s.invites AND CASE WHEN s.deadline IS NULL THEN s.published_at >= ${at.since} ELSE s.deadline > ${at.now} END)`;
}

function statusCondition(status: SearchStatus, at: QueryContext): RawBuilder<boolean> {
  if (status === 'awarded') return sql<boolean>`s.awarded`;
  if (status === 'closed') return sql<boolean>`(NOT s.awarded AND NOT ${openCondition(at)})`;
  return openCondition(at);
}

export type PgPlan = {
  /** The positive words as a tsquery, for matching and relevance; null without words. */
  words: string | null;
  /** The query's words as a phrase in the title, or null. */
  titlePhrase: string | null;
  /** Conditions on `s` (search_documents), all of which must hold. */
  where: RawBuilder<unknown>[];
};

/**
 * Translates a query; `at` decides open and closed and what `local` means;
 * `related` are the categories the words are mostly found in (see
 * PostgresSearchIndex.relatedCategories): their notices match too, ranked
 * after every notice with the words.
 */
export function planQuery(query: SearchQuery, at: QueryContext, related: readonly string[] = []): PgPlan {
  const text = parseTextQuery(query.q);
  const where: RawBuilder<unknown>[] = [];
  const words = wordsQuery(text);
  if (words !== null) {
    where.push(related.length ? sql`(s.document @@ ${words}::tsquery OR s.cpv && ${[...related]}::text[])` : sql`s.document @@ ${words}::tsquery`);
  }
  const exclusion = exclusionQuery(text);
  if (exclusion !== null) where.push(sql`NOT s.document @@ ${exclusion}::tsquery`);
  if (query.kind.length) where.push(sql`s.kind = ANY(${query.kind}::text[])`);
  if (query.procedure.length) where.push(sql`s.procedure = ANY(${query.procedure}::text[])`);
  if (query.buyer.length) {
    // Ten digits are an organisationsnummer, anything else a buyer's id (as FTS5 reads them).
    const orgNumbers = query.buyer.filter((b) => /^\d{10}$/.test(b));
    const ids = query.buyer.filter((b) => !/^\d{10}$/.test(b));
    where.push(sql`(s.buyer_id = ANY(${ids}::text[]) OR s.buyer_org_number = ANY(${orgNumbers}::text[]))`);
  }
  if (query.cpv.length) where.push(sql`s.cpv && ${query.cpv}::text[]`);
  // A document's regions are upper case (regionClosure); FTS5 compares them without case.
  if (query.region.length) where.push(sql`s.regions && ${regionCodes(query.region, at.localArea).map((r) => r.toUpperCase())}::text[]`);
  if (query.csr.length) where.push(sql`s.flags @> ${query.csr}::text[]`);
  const statuses = [...new Set(query.status)];
  if (statuses.length && statuses.length < 3) where.push(sql`(${sql.join(statuses.map((s) => statusCondition(s, at)), sql` OR `)})`);
  range(where, sql`s.deadline`, query.deadlineFrom, query.deadlineTo);
  range(where, sql`s.published_at`, query.publishedFrom, query.publishedTo);
  range(where, sql`s.value_sek`, query.valueMin, query.valueMax);
  return { words, titlePhrase: titlePhraseQuery(query.q), where };
}

/** Both ends included; dates compare as ISO text (the columns are COLLATE "C"), as FTS5 and statusOf compare them. */
function range(where: RawBuilder<unknown>[], column: RawBuilder<unknown>, from: string | number | null, to: string | number | null): void {
  if (from !== null) where.push(sql`${column} >= ${from}`);
  if (to !== null) where.push(sql`${column} <= ${to}`);
}

/** The boosts that multiply relevance (see BOOSTS in fts5.ts): open, where the notice is, and a year newer. */
const BOOSTED_SCORE = `score * (CASE WHEN is_open THEN ${BOOSTS.open} ELSE 1 END)
    * (CASE locality WHEN 0 THEN ${BOOSTS.local} WHEN 1 THEN ${BOOSTS.sweden} ELSE 1 END)
    * power(${BOOSTS.perYear}, years)`;

/** Whether relevance ranks: words to rank by, and the relevance order asked for. */
export const ranks = (plan: PgPlan, query: SearchQuery): boolean => plan.words !== null && query.sort === 'relevance';

/**
 * The order of FTS5 (orderBy in fts5.ts): the soonest deadline or the
 * newest when asked; else the title phrase first, then ts_rank_cd times the
 * boosts, then open, the local area before the rest of Sweden before
 * abroad, the newest; last the first indexed, so the order is total.
 */
export function orderBy(query: SearchQuery, ranked: boolean): string {
  if (query.sort === 'deadline') return 'deadline IS NULL, deadline, published_at DESC, rid DESC';
  if (query.sort === 'newest') return 'published_at DESC, rid DESC';
  return `${ranked ? `title_phrase DESC, ${BOOSTED_SCORE} DESC, ` : ''}is_open DESC, locality, published_at DESC, rid DESC`;
}

export type StatementRow = { facet: string; value: string | null; label: string | null; n: number };

/**
 * The search statement: the page's rids with their positions (after `from`,
 * up to `to`), the total and every facet's counts, in one round trip.
 * - c: the candidates: every match when there are at most RESULT_CAP, else
 *   the RESULT_CAP most recently indexed, as FTS5 takes them, with what the
 *   order and the facets need (open decided now);
 * - ranked: ts_rank_cd over the words (candidates only, so its cost is
 *   bounded), where the notice is, and whether the title has the phrase;
 * - g: the candidates grouped by everything the facets count, so the arrays
 *   are unnested once per group rather than once per candidate.
 */
export function searchStatement(plan: PgPlan, query: SearchQuery, at: QueryContext, from: number, to: number): RawBuilder<StatementRow> {
  const ranked = ranks(plan, query);
  const where = plan.where.length ? sql.join(plan.where, sql` AND `) : sql`TRUE`;
  const candidates = sql`SELECT s.rid, ${openCondition(at)} AS is_open, s.kind, s.procedure, s.buyer_id, s.buyer, s.awarded, s.deadline,
      s.published_at, s.years, s.cpv_divisions, s.regions, s.flags${ranked ? sql`, s.document` : sql``}
    FROM search_documents s WHERE ${where} ORDER BY s.rid DESC LIMIT ${sql.raw(String(RESULT_CAP))}`;
  // 0 the local area, 1 elsewhere in Sweden or a place unknown (Brygga's notices are Swedish unless they say otherwise), 2 abroad.
  const locality = query.sort === 'relevance'
    ? sql`CASE WHEN c.regions && ${[...at.localArea]}::text[] THEN 0 WHEN cardinality(c.regions) = 0 OR 'SE' = ANY(c.regions) THEN 1 ELSE 2 END`
    : sql`0`;
  const score = ranked ? sql`ts_rank_cd(${sql.raw(`'{${RANK_WEIGHTS.join(',')}}'`)}::float4[], c.document, ${plan.words}::tsquery)` : sql`0`;
  const titlePhrase = ranked && plan.titlePhrase !== null ? sql`c.document @@ ${plan.titlePhrase}::tsquery` : sql`FALSE`;
  return sql<StatementRow>`WITH c AS MATERIALIZED (${candidates}),
    ranked AS (SELECT c.rid, c.deadline, c.published_at, c.years, c.is_open, ${locality} AS locality, ${score} AS score,
      ${titlePhrase} AS title_phrase FROM c),
    g AS MATERIALIZED (SELECT CASE WHEN awarded THEN 'awarded' WHEN is_open THEN 'open' ELSE 'closed' END AS status,
      kind, procedure, buyer_id, max(buyer) AS buyer, cpv_divisions, regions, flags, count(*) AS n
      FROM c GROUP BY 1, kind, procedure, buyer_id, cpv_divisions, regions, flags)
    SELECT 'hit' AS facet, rid::text AS value, NULL::text AS label, position AS n
      FROM (SELECT rid, row_number() OVER (ORDER BY ${sql.raw(orderBy(query, ranked))}) AS position FROM ranked) p
      WHERE position > ${from} AND position <= ${to}
    UNION ALL SELECT 'total', NULL, NULL, coalesce(sum(n), 0)::bigint FROM g
    UNION ALL SELECT 'status', status, NULL, sum(n)::bigint FROM g GROUP BY status
    UNION ALL SELECT 'kind', kind, NULL, sum(n)::bigint FROM g GROUP BY kind
    UNION ALL SELECT 'procedure', procedure, NULL, sum(n)::bigint FROM g WHERE procedure IS NOT NULL GROUP BY procedure
    UNION ALL SELECT 'buyer', buyer_id, max(buyer), sum(n)::bigint FROM g GROUP BY buyer_id
    UNION ALL SELECT 'cpv', u.v, NULL, sum(n)::bigint FROM g CROSS JOIN LATERAL unnest(g.cpv_divisions) AS u(v) GROUP BY u.v
    UNION ALL SELECT 'region', u.v, NULL, sum(n)::bigint FROM g CROSS JOIN LATERAL unnest(g.regions) AS u(v) GROUP BY u.v
    UNION ALL SELECT 'csr', u.v, NULL, sum(n)::bigint FROM g CROSS JOIN LATERAL unnest(g.flags) AS u(v) GROUP BY u.v`;
}
