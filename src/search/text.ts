// Swedish-aware text handling shared by the search backends: the folding and
// analysis of indexed text, the parsing of `q`, and highlighted HTML. The
// rules are those of keyword subscriptions (src/domain/keywords.ts): case and
// foreign diacritics folded, å/ä/ö kept as letters of their own, every word
// found by its analysed tokens (src/domain/analysis/analyser.ts).
import { wordTokens } from '../domain/analysis/analyser.ts';
import { normalize, tokenize, type QueryTerm, type TextQuery } from '../domain/keywords.ts';
import { escapeHtml } from '../domain/text.ts';

/** Markers the backends put around matched words; turned into <mark> after escaping. */
export const MARK_START = '\uE000';
export const MARK_END = '\uE001';
export const ELLIPSIS = '…';
/** Words in a description snippet. */
export const SNIPPET_WORDS = 24;
/** Words and phrases a query may have. */
export const MAX_QUERY_WORDS = 12;

const folded = new Map<string, string>();

/**
 * The same result as `normalize` of src/domain/keywords.ts, quicker on long
 * text (indexing a million notices): plain ASCII and å/ä/ö pass through and
 * every other character is folded once and remembered.
 */
export function fold(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFC')
    .replace(/[^ -~åäö]/gu, (ch) => {
      let out = folded.get(ch);
      if (out === undefined) {
        out = normalize(ch);
        if (folded.size < 10_000) folded.set(ch, out);
      }
      return out;
    });
}

/** Removes the highlight markers (and other control characters) from text a notice brings. */
export function clean(text: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what is removed
  return text.replace(/[\uE000\uE001\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
}

// One query parser for search and keyword subscriptions (src/domain/keywords.ts).
export { parseTextQuery, type QueryTerm, type TextQuery } from '../domain/keywords.ts';

export function queryWords(q: TextQuery): number {
  return q.terms.length + q.phrases.length + q.exclude.length + q.excludePhrases.length;
}

export function hasPositive(q: TextQuery): boolean {
  return q.terms.length > 0 || q.phrases.length > 0;
}

/** Words as FTS5 indexes them (letters, digits, marks, private use), with where they are in the text. */
const WORD = /[\p{L}\p{N}\p{M}\p{Co}]+/gu;

/** The words of a folded text as the indexes take them (FTS5's tokenizer; the PostgreSQL vector is built from the same). */
export function foldedWords(folded: string): string[] {
  return folded.match(WORD) ?? [];
}

/**
 * The query's words as typed, for the title phrase that ranks first: two or
 * more words, and no quotes or exclusions (the user then said what a phrase is).
 */
export function titlePhraseWords(q: string): string[] | null {
  if (/["]|(^|\s)-/.test(q)) return null;
  const words = tokenize(q);
  return words.length < 2 ? null : words;
}

/** Whether a word with these tokens is one the term finds (as a word, or as one of a compound term's parts, for marking). */
export function termFinds(term: QueryTerm, tokens: readonly string[]): boolean {
  return tokens.some((t) => term.tokens.includes(t) || term.parts.includes(t));
}

/**
 * What a text is indexed as: the folded text as written (phrases match it
 * word for word), then every other token its words are found by, once.
 */
export function indexedText(text: string): string {
  const folded = fold(text);
  const extra = analysedTokens(folded);
  return extra.length ? `${folded} ${extra.join(' ')}` : folded;
}

/** The tokens of a folded text's words other than the words themselves, once each. */
export function analysedTokens(folded: string): string[] {
  const extra = new Set<string>();
  for (const [word] of folded.matchAll(WORD)) for (const t of wordTokens(word)) if (t !== word) extra.add(t);
  return [...extra];
}

/** Escapes text carrying highlight markers and turns the markers into <mark>…</mark>. */
export function markedToHtml(text: string): string {
  return escapeHtml(text).replaceAll(MARK_START, '<mark>').replaceAll(MARK_END, '</mark>');
}

/** The first SNIPPET_WORDS words of a text, for hits without matched words in it. */
export function leadingWords(text: string, words = SNIPPET_WORDS): string {
  const parts = text.trim().split(/\s+/);
  if (parts.length <= words) return text.trim();
  return `${parts.slice(0, words).join(' ')}${ELLIPSIS}`;
}


/**
 * Marks the words of a text that the query's terms and phrases match, with the
 * same rules as the search (a term matches a word starting with its stem; a
 * short word, the word itself; a phrase, its words in a row).
 */
export class Highlighter {
  constructor(private readonly text: TextQuery) {}

  get empty(): boolean {
    return !hasPositive(this.text);
  }

  private matches(content: string): Matches {
    const words = [...content.matchAll(WORD)].map((m) => ({ start: m.index, end: m.index + m[0].length, folded: fold(m[0]) }));
    const marked = new Set<number>();
    words.forEach((w, i) => {
      const tokens = wordTokens(w.folded);
      if (this.text.terms.some((t) => termFinds(t, tokens))) marked.add(i);
      for (const phrase of this.text.phrases) {
        if (phrase.every((p, k) => words[i + k]?.folded === p)) for (let k = 0; k < phrase.length; k++) marked.add(i + k);
      }
    });
    return { words, marked };
  }

  /** The whole text with its matched words between MARK_START and MARK_END. */
  mark(content: string): string {
    return cut(content, this.matches(content), 0, Infinity);
  }

  /**
   * The `size` words with the most matched words among them (starting a few
   * words before the first), marked, with an ellipsis where text is left
   * out; the leading words when nothing matches.
   */
  snippet(content: string, size = SNIPPET_WORDS): string {
    const m = this.matches(content);
    const n = m.words.length;
    if (n <= size) return cut(content, m, 0, Infinity);
    let best = 0;
    let bestCount = 0;
    let count = 0;
    for (let i = 0; i < n; i++) {
      if (m.marked.has(i)) count++;
      if (i >= size && m.marked.has(i - size)) count--;
      if (i >= size - 1 && count > bestCount) [best, bestCount] = [i - size + 1, count];
    }
    if (bestCount) {
      // Start three words before the first match, when the last one still fits.
      const inWindow = [...m.marked].filter((i) => i >= best && i < best + size);
      const start = Math.min(Math.max(0, Math.min(...inWindow) - 3), n - size);
      if (Math.max(...inWindow) < start + size) best = start;
    }
    return cut(content, m, best, best + size - 1);
  }
}

type Matches = { words: { start: number; end: number }[]; marked: Set<number> };

/** The text from word `first` to word `last` (inclusive), matched words marked, ellipses where text is left out. */
function cut(content: string, { words, marked }: Matches, first: number, last: number): string {
  if (words.length === 0) return content;
  const to = Math.min(last, words.length - 1);
  const start = first === 0 ? 0 : words[first].start;
  const end = to === words.length - 1 ? content.length : words[to].end;
  let out = first > 0 ? ELLIPSIS : '';
  let at = start;
  for (let i = first; i <= to; i++) {
    if (!marked.has(i)) continue;
    out += `${content.slice(at, words[i].start)}${MARK_START}${content.slice(words[i].start, words[i].end)}${MARK_END}`;
    at = words[i].end;
  }
  out += content.slice(at, end);
  return to < words.length - 1 ? `${out}${ELLIPSIS}` : out;
}
