// The analysis Brygga searched with before issue 15, kept only as the
// baseline `npm run eval:search` measures against: folded words, a light
// suffix stemmer, and a term of three letters or more matching every word
// that starts with its stem ("städning" → städ*, so "mat" finds
// "materialinventering"); every term must match. Ranked by bm25 with the
// column weights FTS5 used (title 10, description 2, buyer 1, codes 1), the
// newest first on ties. In memory: it answers the same questions over the
// same documents as the index under test.
import { tokenize } from '../../src/domain/keywords.ts';
import type { SearchDocument } from '../../src/search/search.types.ts';

const SUFFIXES = ['ningarna', 'ningar', 'ningen', 'arnas', 'ernas', 'ornas', 'arna', 'erna', 'orna', 'ning', 'heten', 'het', 'ande', 'ende', 'are', 'ar', 'er', 'or', 'en', 'et', 'na', 'a', 'e', 's'];

export function lightStem(token: string): string {
  for (const suffix of SUFFIXES) if (token.length - suffix.length >= 3 && token.endsWith(suffix)) return token.slice(0, -suffix.length);
  return token;
}

const WEIGHTS = [10, 2, 1, 1];
const K1 = 1.2;
const B = 0.75;

type Indexed = { id: string; published: string; columns: Map<string, number>[]; lengths: number[] };

export class PrefixBaseline {
  private readonly docs: Indexed[];
  private readonly words: string[];
  private readonly averages: number[];

  constructor(documents: readonly SearchDocument[]) {
    const vocabulary = new Set<string>();
    this.docs = documents.map((d) => {
      const columns = [d.title, d.description, d.buyerName, d.codes.join(' ')].map((text) => {
        const counts = new Map<string, number>();
        for (const w of tokenize(text)) {
          counts.set(w, (counts.get(w) ?? 0) + 1);
          vocabulary.add(w);
        }
        return counts;
      });
      return { id: d.id, published: d.publishedAt, columns, lengths: columns.map((c) => [...c.values()].reduce((a, b) => a + b, 0)) };
    });
    this.words = [...vocabulary].sort();
    this.averages = WEIGHTS.map((_, c) => this.docs.reduce((sum, d) => sum + d.lengths[c], 0) / Math.max(1, this.docs.length));
  }

  /** The words a term stands for: those starting with its stem, or the word itself when the stem is short. */
  private expand(word: string): Set<string> {
    const stem = lightStem(word);
    if (stem.length < 3) return new Set([word]);
    let lo = 0;
    let hi = this.words.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.words[mid] < stem) lo = mid + 1;
      else hi = mid;
    }
    const out = new Set<string>();
    for (let i = lo; i < this.words.length && this.words[i].startsWith(stem); i++) out.add(this.words[i]);
    return out;
  }

  /** Ids of the documents with every word of `q`, best first. */
  search(q: string, limit = 100): string[] {
    const terms = tokenize(q.replaceAll('"', ' ')).map((w) => this.expand(w));
    if (terms.length === 0) return [];
    const n = this.docs.length;
    const scored: { id: string; published: string; score: number }[] = [];
    const idf = terms.map((words) => {
      const df = this.docs.filter((d) => d.columns.some((c) => [...words].some((w) => c.has(w)))).length;
      return Math.log((n - df + 0.5) / (df + 0.5) + 1);
    });
    for (const d of this.docs) {
      let score = 0;
      let all = true;
      terms.forEach((words, t) => {
        let found = false;
        d.columns.forEach((column, c) => {
          let tf = 0;
          for (const w of words) tf += column.get(w) ?? 0;
          if (tf === 0) return;
          found = true;
          score += WEIGHTS[c] * idf[t] * ((tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * d.lengths[c]) / (this.averages[c] || 1))));
        });
        if (!found) all = false;
      });
      if (all) scored.push({ id: d.id, published: d.published, score });
    }
    scored.sort((a, b) => b.score - a.score || (a.published < b.published ? 1 : a.published > b.published ? -1 : 0));
    return scored.slice(0, limit).map((s) => s.id);
  }
}
