// Keyword filters in Swedish: case and foreign diacritics folded, å/ä/ö kept
// distinct (they are letters of their own), light suffix stemming and prefix
// matching, so "städning" finds "städtjänster" and "snöröjning" finds "snöröjningen".
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

// Longest first. Only suffixes that leave a stem of three letters or more are cut.
const SUFFIXES = ['ningarna', 'ningar', 'ningen', 'arnas', 'ernas', 'ornas', 'arna', 'erna', 'orna', 'ning', 'heten', 'het', 'ande', 'ende', 'are', 'ar', 'er', 'or', 'en', 'et', 'na', 'a', 'e', 's'];

export function stem(token: string): string {
  for (const suffix of SUFFIXES) {
    if (token.length - suffix.length >= 3 && token.endsWith(suffix)) return token.slice(0, -suffix.length);
  }
  return token;
}

export type QueryTerm = { word: string; stem: string };
/** Words, "quoted phrases" and -exclusions: the one reading of what a user types, for search and for keyword subscriptions. */
export type TextQuery = { terms: QueryTerm[]; phrases: string[][]; exclude: QueryTerm[]; excludePhrases: string[][] };

/**
 * `städning "fönster puts" -bygg -"nya skolan"` → terms, phrases and
 * exclusions, folded. Only letters and digits survive, so no query syntax of
 * any backend can be smuggled in.
 */
export function parseTextQuery(query: string): TextQuery {
  const result: TextQuery = { terms: [], phrases: [], exclude: [], excludePhrases: [] };
  for (const [, minus, phrase, word] of query.matchAll(/(-?)(?:"([^"]*)"|(\S+))/g)) {
    const tokens = tokenize(phrase ?? word);
    if (tokens.length === 0) continue;
    const isPhrase = phrase !== undefined && tokens.length > 1;
    const terms = () => tokens.map((t) => ({ word: t, stem: stem(t) }));
    if (minus) {
      if (isPhrase) result.excludePhrases.push(tokens);
      else result.exclude.push(...terms());
    } else if (isPhrase) result.phrases.push(tokens);
    else result.terms.push(...terms());
  }
  return result;
}

/** A keyword filter: the parsed query with the terms as stems, which the match rules compare. */
export type KeywordQuery = { terms: string[]; phrases: string[][]; exclude: string[]; excludePhrases: string[][] };

export function parseKeywords(query: string): KeywordQuery {
  const q = parseTextQuery(query);
  return { terms: q.terms.map((t) => t.stem), phrases: q.phrases, exclude: q.exclude.map((t) => t.stem), excludePhrases: q.excludePhrases };
}

export function isEmptyQuery(q: KeywordQuery): boolean {
  return !q.terms.length && !q.phrases.length && !q.exclude.length && !q.excludePhrases.length;
}

/** A notice's words, prepared once and checked against many subscriptions. */
export class Words {
  private readonly sorted: string[];

  constructor(readonly tokens: string[]) {
    this.sorted = [...new Set(tokens)].sort();
  }

  static of(text: string): Words {
    return new Words(tokenize(text));
  }

  /** Some word starts with the stem. */
  hasPrefix(prefix: string): boolean {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.sorted[mid] < prefix) lo = mid + 1;
      else hi = mid;
    }
    return lo < this.sorted.length && this.sorted[lo].startsWith(prefix);
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
  if (q.exclude.some((t) => words.hasPrefix(t)) || q.excludePhrases.some((p) => words.hasPhrase(p))) return { ok: false, hits: [] };
  const hits = [...q.terms.filter((t) => words.hasPrefix(t)), ...q.phrases.filter((p) => words.hasPhrase(p)).map((p) => p.join(' '))];
  return { ok: hits.length > 0 || (!q.terms.length && !q.phrases.length), hits };
}
