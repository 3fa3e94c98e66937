// Brygga's search filters translated for SQLite FTS5: one MATCH expression
// (the words of `q` plus filter tokens) and exact SQL conditions on the
// search table. Pure code; user input reaches SQL only as bound parameters,
// and reaches the MATCH expression only as quoted letters and digits.
//
// Words: every term must match, by one of its analysed tokens or, for a
// compound, by all of its parts ("skolmåltid" → "skolmåltid" OR ("skol" AND
// "måltid")); the indexed text carries every token of its words (see
// indexedText in text.ts), so these are exact tokens, never prefixes. Phrases
// word for word, in the text as written; exclusions with NOT.
//
// Filters are indexed as tokens of a `tags` column (kind, CPV closure,
// regions, buyer, procedure, CSR flags, awarded, may-invite, and coarse date
// and value buckets), so FTS5 intersects them with the words in its own
// doclists instead of checking every matching row. Ranges (dates, value,
// open/closed) are narrowed by bucket tokens and then checked exactly in SQL.
import { openSince, regionCodes, type SearchDocument, type SearchQuery, type SearchRules, type SearchStatus } from './search.types.ts';
import { hasPositive, parseTextQuery, titlePhraseWords, type QueryTerm, type TextQuery } from './text.ts';

export const TEXT_COLUMNS = '{title description buyer codes labels broader}';
/**
 * bm25 weights per column: title, description, buyer, codes, the CPV codes'
 * labels (below a word in the title, above one in the description), their
 * ancestors' labels (least), tags.
 */
export const BM25_WEIGHTS = [10, 2, 1, 1, 3, 0.5, 0] as const;

const MIN_YEAR = 1900;
const MAX_YEAR = 2199;
const MAX_VALUE_BUCKET = 48;

/** A token that is only ever letters and digits, quoted for FTS5. */
export function quote(token: string): string {
  return `"${token.replaceAll('"', '""')}"`;
}

const hex = (value: string) => Buffer.from(value, 'utf8').toString('hex');

/** Filter tokens. Free-form values are hex-encoded, so any value is one token. */
export const tags = {
  kind: (kind: string) => `k${kind}`,
  procedure: (procedure: string) => `p${hex(procedure)}`,
  buyerId: (id: string) => `b${hex(id)}`,
  orgNumber: (digits: string) => `o${digits}`,
  cpv: (code8: string) => `c${code8}`,
  region: (region: string) => `r${region.toLowerCase()}`,
  csr: (flag: string) => `f${flag}`,
  awarded: (awarded: boolean) => (awarded ? 'a1' : 'a0'),
  invites: (invites: boolean) => (invites ? 'i1' : 'i0'),
  value: (bucket: number) => `v${bucket}`,
  noValue: 'vnone',
  noDeadline: 'dnone',
};

type YearMonth = { y: number; m: number };

function yearMonth(iso: string): YearMonth {
  const d = new Date(iso);
  const y = d.getUTCFullYear();
  if (y < MIN_YEAR) return { y: MIN_YEAR, m: 1 };
  if (y > MAX_YEAR) return { y: MAX_YEAR, m: 12 };
  return { y, m: d.getUTCMonth() + 1 };
}

const pad2 = (m: number) => String(m).padStart(2, '0');

/** The month, year and decade tokens of a date (prefix `d` deadline, `u` published). */
export function dateTags(prefix: 'd' | 'u', iso: string): string[] {
  const { y, m } = yearMonth(iso);
  return [`${prefix}d${Math.floor(y / 10)}`, `${prefix}y${y}`, `${prefix}m${y}${pad2(m)}`];
}

/**
 * The fewest decade, year and month tokens that cover the months from `from`
 * to `to` (inclusive; open ends run to 1900 and 2199). Empty when from > to.
 */
export function dateRangeTags(prefix: 'd' | 'u', from: string | null, to: string | null): string[] {
  const start = from ? yearMonth(from) : { y: MIN_YEAR, m: 1 };
  const end = to ? yearMonth(to) : { y: MAX_YEAR, m: 12 };
  const key = (ym: YearMonth) => ym.y * 12 + ym.m;
  const out: string[] = [];
  let { y, m } = start;
  while (key({ y, m }) <= key(end)) {
    const throughYear = (last: number) => last < end.y || (last === end.y && end.m === 12);
    if (m === 1 && y % 10 === 0 && throughYear(y + 9)) {
      out.push(`${prefix}d${y / 10}`);
      y += 10;
    } else if (m === 1 && throughYear(y)) {
      out.push(`${prefix}y${y}`);
      y += 1;
    } else {
      out.push(`${prefix}m${y}${pad2(m)}`);
      if (++m > 12) {
        m = 1;
        y++;
      }
    }
  }
  return out;
}

/** Value buckets in a 1–2–5 series: [1, 2), [2, 5), [5, 10), [10, 20) … SEK. */
export function valueBucket(value: number): number {
  if (!(value >= 1)) return 0;
  let e = Math.floor(Math.log10(value));
  while (10 ** (e + 1) <= value) e++;
  while (10 ** e > value) e--;
  const mantissa = value / 10 ** e;
  return Math.min(MAX_VALUE_BUCKET, 1 + e * 3 + (mantissa < 2 ? 0 : mantissa < 5 ? 1 : 2));
}

export function valueRangeTags(min: number | null, max: number | null): string[] {
  const lo = valueBucket(min ?? 0);
  const hi = max === null ? MAX_VALUE_BUCKET : valueBucket(max);
  const out: string[] = [];
  for (let b = lo; b <= hi; b++) out.push(tags.value(b));
  return out;
}

/** The filter tokens of a document, space-separated: what the `tags` column holds. */
export function documentTags(doc: SearchDocument): string {
  const out = [
    tags.kind(doc.kind),
    tags.awarded(doc.awarded),
    tags.invites(doc.invites),
    tags.buyerId(doc.buyerId),
    ...(doc.buyerOrgNumber ? [tags.orgNumber(doc.buyerOrgNumber)] : []),
    ...(doc.procedure ? [tags.procedure(doc.procedure)] : []),
    ...doc.cpv.map(tags.cpv),
    ...doc.regions.map(tags.region),
    ...doc.csr.map(tags.csr),
    ...(doc.deadline ? dateTags('d', doc.deadline) : [tags.noDeadline]),
    ...dateTags('u', doc.publishedAt),
    doc.valueSek === null ? tags.noValue : tags.value(valueBucket(doc.valueSek)),
  ];
  return out.join(' ');
}

/** How many documents each token of a query is in (from the index's token list): what bm25 costs. */
export type TokenDocs = Map<string, number>;

/** Every token a query's terms, phrases and exclusions look up. */
export function queryTokens(text: TextQuery): string[] {
  return [...new Set([...text.terms, ...text.exclude].flatMap((t) => [...t.tokens, ...t.parts]).concat(text.phrases.flat()))];
}

function term(t: QueryTerm): string {
  const parts = t.parts.length ? [`(${t.parts.map(quote).join(' AND ')})`] : [];
  const any = [...t.tokens.map(quote), ...parts];
  return any.length === 1 ? any[0] : `(${any.join(' OR ')})`;
}

const phrase = (words: string[]) => quote(words.join(' '));

/** The positive part of the words: every term and phrase, in these columns; `OR`: any of them. */
export function textExpression(text: TextQuery, columns = TEXT_COLUMNS, join: 'AND' | 'OR' = 'AND'): string | null {
  if (!hasPositive(text)) return null;
  return `${columns} : (${[...text.terms.map(term), ...text.phrases.map(phrase)].join(` ${join} `)})`;
}

export function exclusionExpression(text: TextQuery): string | null {
  const parts = [...text.exclude.map(term), ...text.excludePhrases.map(phrase)];
  return parts.length ? `${TEXT_COLUMNS} : (${parts.join(' OR ')})` : null;
}

/**
 * The query's words as typed as one phrase in the title, when there are two
 * or more and no quotes or exclusions: a title with them in that order ranks first.
 */
export function titlePhrase(q: string): string | null {
  const words = titlePhraseWords(q);
  return words === null ? null : `{title} : ${phrase(words)}`;
}

/**
 * Documents bm25 must visit to weigh the words (FTS5 counts every phrase's
 * matches once per query): the sum over the terms' tokens and the phrases'
 * words; a token the index lacks costs nothing.
 */
export function rankingCost(text: TextQuery, docs: TokenDocs): number {
  let cost = 0;
  for (const t of text.terms) for (const token of [...t.tokens, ...t.parts]) cost += docs.get(token) ?? 0;
  for (const p of text.phrases) for (const w of p) cost += docs.get(w) ?? 0;
  return cost;
}

const anyTag = (tokens: string[]) => `tags : (${tokens.length ? tokens.map(quote).join(' OR ') : quote('never')})`;

export type FtsPlan = {
  /** The MATCH expression, or null when nothing narrows by words or tokens. */
  match: string | null;
  /** The words alone, for bm25, highlights and snippets; null without words. */
  text: string | null;
  /** The words in the title alone (the cheaper order for very common words). */
  titleText: string | null;
  /**
   * Any of the words (a term or a phrase) in the title: which candidates
   * have a match in the title, for the cheaper order (what highlight() of the
   * title would mark, found without reading each candidate's title).
   */
  titleAny: string | null;
  /** The query's words as a phrase in the title (see titlePhrase), or null. */
  titlePhrase: string | null;
  /** See rankingCost; 0 without words. */
  cost: number;
  /** Notices with the rarest term (by its tokens): few means the matches lie far apart. Infinity without words. */
  rarest: number;
  /** Exact conditions on `s` (the search table), joined with AND. */
  where: string[];
  params: unknown[];
};

/** When and where a query is asked: now and openSince as ISO instants, and the local area. */
export type QueryContext = { now: string; since: string; localArea: readonly string[] };

export function queryContext(now: Date, rules: SearchRules): QueryContext {
  return { now: now.toISOString(), since: openSince(now, rules.alertMaxAgeDays), localArea: rules.localArea };
}

/**
 * statusOf's open in SQL over the search table aliased `t`; binds `since`,
 * then `now`. It is never NULL (CASE, not OR over a NULL deadline), so NOT
 * is its exact complement.
 */
export const openSql = (t: string) => `(${t}.invites = 1 AND CASE WHEN ${t}.deadline IS NULL THEN ${t}.published_at >= ? ELSE ${t}.deadline > ? END)`;

/** Tokens that every notice of the status has (and some others): SQL decides exactly. */
function statusTags(status: SearchStatus, { now, since }: QueryContext): string {
  if (status === 'awarded') return anyTag([tags.awarded(true)]);
  if (status === 'closed') {
    // Cannot invite, or no deadline (then it may be old), or a deadline passed.
    return `(${anyTag([tags.awarded(false)])} AND ${anyTag([tags.invites(false), tags.noDeadline, ...dateRangeTags('d', null, now)])})`;
  }
  const recent = `(${anyTag([tags.noDeadline])} AND ${anyTag(dateRangeTags('u', since, null))})`;
  return `(${anyTag([tags.invites(true)])} AND (${anyTag(dateRangeTags('d', now, null))} OR ${recent}))`;
}

function statusCondition(status: SearchStatus): string {
  if (status === 'awarded') return 's.awarded = 1';
  if (status === 'closed') return `(s.awarded = 0 AND NOT ${openSql('s')})`;
  return openSql('s');
}

/**
 * A compound's parts apart ("måltider i skolan" for "skolmåltid") are only
 * looked for while each part is in at most this many notices: FTS5 merges
 * the parts' whole doclists, and a part as common as "upp" of "upphandling"
 * would cost more than everything else (every notice with the compound has
 * its parts too, so nothing with the compound itself is lost).
 */
export const PARTS_BUDGET = 50_000;

/** The query with the parts of its compound terms left out where they are too common (see PARTS_BUDGET). */
export function affordable(text: TextQuery, docs: TokenDocs): TextQuery {
  const keep = (t: QueryTerm) => (t.parts.every((p) => (docs.get(p) ?? 0) <= PARTS_BUDGET) ? t : { ...t, parts: [] });
  return { ...text, terms: text.terms.map(keep), exclude: text.exclude.map(keep) };
}

/**
 * Translates a query; `at` decides open and closed and what `local` means;
 * `docs` come from the index's token list; `related` are the categories the
 * words are mostly found in (see FtsSearchIndex.relatedCategories): their
 * notices match too, ranked after every notice with the words.
 */
export function planQuery(query: SearchQuery, at: QueryContext, docs: TokenDocs = new Map(), related: readonly string[] = []): FtsPlan {
  const text = affordable(parseTextQuery(query.q), docs);
  const groups: string[] = [];
  const where: string[] = [];
  const params: unknown[] = [];

  const positive = textExpression(text);
  if (positive) groups.push(related.length ? `(${positive} OR ${anyTag(related.map(tags.cpv))})` : positive);
  if (query.kind.length) groups.push(anyTag(query.kind.map(tags.kind)));
  if (query.procedure.length) groups.push(anyTag(query.procedure.map(tags.procedure)));
  if (query.buyer.length) {
    groups.push(anyTag(query.buyer.map((b) => (/^\d{10}$/.test(b) ? tags.orgNumber(b) : tags.buyerId(b)))));
  }
  if (query.cpv.length) groups.push(anyTag(query.cpv.map(tags.cpv)));
  if (query.region.length) groups.push(anyTag(regionCodes(query.region, at.localArea).map(tags.region)));
  for (const flag of query.csr) groups.push(anyTag([tags.csr(flag)]));

  const statuses = [...new Set(query.status)];
  if (statuses.length && statuses.length < 3) {
    groups.push(statuses.length === 1 ? statusTags(statuses[0], at) : `(${statuses.map((s) => statusTags(s, at)).join(' OR ')})`);
    where.push(`(${statuses.map(statusCondition).join(' OR ')})`);
    for (const s of statuses) if (s !== 'awarded') params.push(at.since, at.now);
  }
  if (query.deadlineFrom || query.deadlineTo) {
    groups.push(anyTag(dateRangeTags('d', query.deadlineFrom, query.deadlineTo)));
    range('s.deadline', query.deadlineFrom, query.deadlineTo);
  }
  if (query.publishedFrom || query.publishedTo) {
    groups.push(anyTag(dateRangeTags('u', query.publishedFrom, query.publishedTo)));
    range('s.published_at', query.publishedFrom, query.publishedTo);
  }
  if (query.valueMin !== null || query.valueMax !== null) {
    groups.push(anyTag(valueRangeTags(query.valueMin, query.valueMax)));
    range('s.value_sek', query.valueMin, query.valueMax);
  }

  function range(column: string, from: unknown, to: unknown) {
    if (from !== null) {
      where.push(`${column} >= ?`);
      params.push(from);
    }
    if (to !== null) {
      where.push(`${column} <= ?`);
      params.push(to);
    }
  }

  const exclusion = exclusionExpression(text);
  // FTS5 cannot start from a NOT: exclusions alone subtract from every notice (each has a0 or a1).
  if (exclusion && groups.length === 0) groups.push(anyTag([tags.awarded(false), tags.awarded(true)]));
  let match = groups.length ? groups.join(' AND ') : null;
  if (match && exclusion) match = `(${match}) NOT ${exclusion}`;
  return {
    match,
    text: positive,
    titleText: textExpression(text, '{title}'),
    titleAny: textExpression(text, '{title}', 'OR'),
    titlePhrase: titlePhrase(query.q),
    cost: positive ? rankingCost(text, docs) : 0,
    rarest: Math.min(...text.terms.map((t) => t.tokens.reduce((sum, token) => sum + (docs.get(token) ?? 0), 0))),
    where,
    params,
  };
}
