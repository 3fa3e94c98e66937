// Keyword filters and search words in Swedish: case and foreign diacritics
// folded, å/ä/ö kept distinct (they are letters of their own), and every word
// analysed into the tokens it is found by (its dictionary form, a compound's
// parts: src/domain/analysis/analyser.ts), so "kök" finds "Ombyggnad av
// storkök" and "snöröjning" finds "snöröjningen", while "mat" does not find
// "materialinventering".
import { analyseTerm, wordTokens, type AnalysedTerm } from './analysis/analyser.ts';

const KEEP = new Set(['å', 'ä', 'ö']);
const NORDIC: Record<string, string> = { æ: 'ä', ø: 'ö' };

export function normalize(text: string): string {
  let out = '';
  for (const ch of text.toLowerCase().normalize('NFC')) {
    if (KEEP.has(ch)) out += ch;
    else out += NORDIC[ch] ?? ch.normalize('NFD').replace(/\p{M}/gu, '');
  }
  return out;
}

export function tokenize(text: string): string[] {
  return normalize(text).match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** A word of a query, analysed: see src/domain/analysis/analyser.ts. */
export type QueryTerm = AnalysedTerm;
/** Words, "quoted phrases" and -exclusions: the one reading of what a user types, for search and for keyword subscriptions. */
export type TextQuery = { terms: QueryTerm[]; phrases: string[][]; exclude: QueryTerm[]; excludePhrases: string[][] };

/**
 * Words that join others and name nothing: a query's terms leave them out
 * ("drift och underhåll av gator" asks for drift, underhåll and gator),
 * unless the query has nothing else; phrases keep them.
 */
const STOP_WORDS = new Set([
  'och', 'av', 'i', 'på', 'för', 'till', 'med', 'som', 'en', 'ett', 'det', 'den', 'de', 'att', 'om', 'är', 'från', 'vid', 'samt',
  'inom', 'eller', 'mot', 'per', 'hos', 'the', 'of', 'and', 'for', 'in', 'to', 'a', 'an', 'on', 'at',
]);

/**
 * `städning "fönster puts" -bygg -"nya skolan"` → terms, phrases and
 * exclusions, folded and analysed. Only letters and digits survive, so no
 * query syntax of any backend can be smuggled in.
 */
export function parseTextQuery(query: string): TextQuery {
  const result: TextQuery = { terms: [], phrases: [], exclude: [], excludePhrases: [] };
  for (const [, minus, phrase, word] of query.matchAll(/(-?)(?:"([^"]*)"|(\S+))/g)) {
    const tokens = tokenize(phrase ?? word);
    if (tokens.length === 0) continue;
    const isPhrase = phrase !== undefined && tokens.length > 1;
    if (minus) {
      if (isPhrase) result.excludePhrases.push(tokens);
      else result.exclude.push(...tokens.map(analyseTerm));
    } else if (isPhrase) result.phrases.push(tokens);
    else result.terms.push(...tokens.map(analyseTerm));
  }
  const named = result.terms.filter((t) => !STOP_WORDS.has(t.word));
  if (named.length) result.terms = named;
  return result;
}

/** A keyword filter is a query like the search's. */
export type KeywordQuery = TextQuery;
export const parseKeywords = parseTextQuery;

export function isEmptyQuery(q: KeywordQuery): boolean {
  return !q.terms.length && !q.phrases.length && !q.exclude.length && !q.excludePhrases.length;
}

/** A notice's words, analysed once and checked against many subscriptions. */
export class Words {
  private readonly found: Set<string>;

  constructor(readonly tokens: string[]) {
    this.found = new Set();
    for (const word of new Set(tokens)) for (const t of wordTokens(word)) this.found.add(t);
  }

  static of(text: string): Words {
    return new Words(tokenize(text));
  }

  /** The text has a word with this token (src/domain/analysis/analyser.ts). */
  has(token: string): boolean {
    return this.found.has(token);
  }

  /** A word with one of the term's tokens, or all of a compound term's parts. */
  hasTerm(term: QueryTerm): boolean {
    return term.tokens.some((t) => this.found.has(t)) || (term.parts.length > 0 && term.parts.every((t) => this.found.has(t)));
  }

  hasPhrase(phrase: string[]): boolean {
    outer: for (let i = 0; i + phrase.length <= this.tokens.length; i++) {
      for (let j = 0; j < phrase.length; j++) if (this.tokens[i + j] !== phrase[j]) continue outer;
      return true;
    }
    return false;
  }
}

/** Any wanted word or phrase (when there are some), and no excluded one. */
export function matchesKeywords(q: KeywordQuery, words: Words): { ok: boolean; hits: string[] } {
  if (q.exclude.some((t) => words.hasTerm(t)) || q.excludePhrases.some((p) => words.hasPhrase(p))) return { ok: false, hits: [] };
  const hits = [...q.terms.filter((t) => words.hasTerm(t)).map((t) => t.word), ...q.phrases.filter((p) => words.hasPhrase(p)).map((p) => p.join(' '))];
  return { ok: hits.length > 0 || (!q.terms.length && !q.phrases.length), hits };
}
