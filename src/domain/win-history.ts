// What a firm's award history says about a notice: how strongly the contracts
// it has won (and the firms like it) point at the notice's category and buyer.
// Pure: built from wins and from how many procurements each category had over
// the same time, by the suggestions service, the match engine and eval:matching alike.
//
// The strength of a notice for a firm, the estimate the whole method rests on:
//   code    max over the CPV prefixes p the notice shares with the firm's wins
//           (2 to 8 digits, while the firm has wins under p) of
//           wins(p) / √(quarters · (procurements(p) + 1)): many wins among few
//           procurements count most; a deep, rare category beats a crowded
//           division; `quarters`, the history's length, keeps a long history
//           and a short one on the same scale.
//   related for a CPV group (3 digits) the firm has not won in:
//           Σ wins(a) · cooccurrence(a, group) / √(quarters · (procurements(group) + 1)).
//   buyer   × (1 + 3 · nearness): 1 for a buyer it has won from, the
//           co-occurrence weight for a buyer where the same firms win.
//   title   × (1 + 3 · share): the share of the notice's title words that
//           are words of the titles of the contracts the firm has won (the
//           CPV code says "staffing", the title "sjuksköterskor").
// One threshold for everyone (STRENGTH_AT_DEFAULT), so a firm with many wins
// hears of more, in proportion to what it wins, and a firm with one of less.
import { cooccurrence } from './cooccurrence.ts';
import { tokenize } from './keywords.ts';

export type Win = { firm: string; procurement: string; code: string; buyer: string | null; year: number | null; title?: string | null };

/** Words of a title as the evidence and "inte relevant" compare them: folded as keywords are, three letters or more. */
export function titleWords(title: string): Set<string> {
  return new Set(tokenize(title).filter((w) => w.length > 2));
}

/** Digits of the CPV prefixes weighed, division to full code. */
const DEPTHS = [2, 3, 4, 5, 6, 7, 8] as const;
const GROUP = 3;
/** How much a known buyer multiplies the evidence (× 4 for one the firm has won from). */
const BUYER_WEIGHT = 3;
/** How much a title made of words from the titles won multiplies the evidence (× 4 when every word is one). */
const TITLE_WEIGHT = 3;
/** Related groups suggested as categories, at most. */
const RELATED_SUGGESTED = 5;

/**
 * The strength at which a notice scores the default minimum score (50),
 * about one win a quarter among 80 procurements of a kind: chosen on one
 * split of the 2021 statistics (Jan–Jun → Jul–Sep) as the one with the most
 * recall at a median of 30 alerts a quarter (docs/matching.md#measured).
 */
export const STRENGTH_AT_DEFAULT = 0.115;
export const DEFAULT_MIN_SCORE = 50;

/** 50 at STRENGTH_AT_DEFAULT, 15 points for each doubling, within 1–100. */
export function evidencePoints(strength: number): number {
  if (strength <= 0) return 1;
  return Math.max(1, Math.min(100, Math.round(DEFAULT_MIN_SCORE + 15 * Math.log2(strength / STRENGTH_AT_DEFAULT))));
}

type FirmWins = { wins: number; byPrefix: Map<string, number>; buyers: Set<string>; codes: Map<string, { count: number; years: Set<number> }>; words: Set<string> };

/** Why a notice scored as it did for a firm, for the reasons. */
export type Assessment = {
  strength: number;
  /** The category evidence: the deepest shared prefix's wins, or the related group. */
  category: { kind: 'won'; prefix: string; wins: number } | { kind: 'related'; group: string } | null;
  buyer: 'won' | 'near' | null;
  /** The share of the notice's title words found in the titles won (0 without titles). */
  title: number;
};

export class WinHistory {
  private readonly firms = new Map<string, FirmWins>();
  private readonly relatedGroups: Map<string, Map<string, number>>;
  private readonly nearBuyers: Map<string, Map<string, number>>;

  /**
   * `wins`: one per firm and procurement (repeats are counted once);
   * `volume`: procurements per CPV prefix over the same time (`countPrefixes`),
   * which is `quarters` long.
   */
  constructor(wins: Iterable<Win>, private readonly volume: Map<string, number>, private readonly quarters = 1) {
    const seen = new Set<string>();
    for (const w of wins) {
      const key = `${w.firm}\u0000${w.procurement}`;
      if (seen.has(key)) continue;
      seen.add(key);
      let f = this.firms.get(w.firm);
      if (!f) this.firms.set(w.firm, (f = { wins: 0, byPrefix: new Map(), buyers: new Set(), codes: new Map(), words: new Set() }));
      f.wins++;
      for (const d of DEPTHS) {
        const p = w.code.slice(0, d);
        f.byPrefix.set(p, (f.byPrefix.get(p) ?? 0) + 1);
      }
      if (w.buyer) f.buyers.add(w.buyer);
      if (w.title) for (const word of titleWords(w.title)) f.words.add(word);
      let c = f.codes.get(w.code);
      if (!c) f.codes.set(w.code, (c = { count: 0, years: new Set() }));
      c.count++;
      if (w.year !== null) c.years.add(w.year);
    }
    const groupsOf = (f: FirmWins) => [...f.byPrefix.keys()].filter((p) => p.length === GROUP);
    this.relatedGroups = cooccurrence([...this.firms.values()].map(groupsOf));
    this.nearBuyers = cooccurrence([...this.firms.values()].map((f) => f.buyers));
  }

  has(firm: string): boolean {
    return this.firms.has(firm);
  }

  get firmKeys(): IterableIterator<string> {
    return this.firms.keys();
  }

  /** The firm's evidence, or null without wins. Several keys (orgnr, name) are one firm. */
  evidence(keys: string[]): FirmEvidence | null {
    const parts = keys.map((k) => this.firms.get(k)).filter((f): f is FirmWins => !!f);
    if (!parts.length) return null;
    const merged: FirmWins = parts.length === 1 ? parts[0] : mergeFirms(parts);
    const related = new Map<string, number>();
    for (const [a, wins] of merged.byPrefix) {
      if (a.length !== GROUP) continue;
      for (const [b, weight] of this.relatedGroups.get(a) ?? []) {
        if (!merged.byPrefix.has(b)) related.set(b, (related.get(b) ?? 0) + wins * weight);
      }
    }
    const near = new Map<string, number>();
    for (const b of merged.buyers) {
      for (const [other, weight] of this.nearBuyers.get(b) ?? []) near.set(other, Math.max(near.get(other) ?? 0, weight));
    }
    for (const b of merged.buyers) near.set(b, 1);
    return new FirmEvidence(merged, related, near, this.volume, this.quarters);
  }
}

function mergeFirms(parts: FirmWins[]): FirmWins {
  const out: FirmWins = { wins: 0, byPrefix: new Map(), buyers: new Set(), codes: new Map(), words: new Set() };
  for (const f of parts) {
    out.wins += f.wins;
    for (const w of f.words) out.words.add(w);
    for (const [p, n] of f.byPrefix) out.byPrefix.set(p, (out.byPrefix.get(p) ?? 0) + n);
    for (const b of f.buyers) out.buyers.add(b);
    for (const [code, c] of f.codes) {
      const o = out.codes.get(code) ?? { count: 0, years: new Set<number>() };
      o.count += c.count;
      for (const y of c.years) o.years.add(y);
      out.codes.set(code, o);
    }
  }
  return out;
}

/** Procurements per CPV prefix (2 to 8 digits) of these codes, one per procurement: the `volume` of WinHistory. */
export function countPrefixes(codes: Iterable<string>): Map<string, number> {
  const volume = new Map<string, number>();
  for (const code of codes) for (const d of DEPTHS) volume.set(code.slice(0, d), (volume.get(code.slice(0, d)) ?? 0) + 1);
  return volume;
}

export type CategorySuggestion = { code: string; contracts: number; years: number[] };
export type RelatedSuggestion = { code: string; weight: number };

/** One firm's history, ready to weigh notices and to suggest categories. */
export class FirmEvidence {
  constructor(
    private readonly firm: FirmWins,
    private readonly related: Map<string, number>,
    private readonly near: Map<string, number>,
    private readonly volume: Map<string, number>,
    private readonly quarters: number,
  ) {}

  /** How many procurements of a kind one win stands among. */
  private among(prefix: string): number {
    return Math.sqrt(this.quarters * ((this.volume.get(prefix) ?? 0) + 1));
  }

  get wins(): number {
    return this.firm.wins;
  }

  /** How strongly the history points at a notice with these codes (8 digits) from this buyer, with these title words. */
  assess(codes: string[], buyer: string | null, words: Set<string> = new Set()): Assessment {
    let best: Assessment = { strength: 0, category: null, buyer: null, title: 0 };
    for (const code of codes) {
      for (const d of DEPTHS) {
        const p = code.slice(0, d);
        const wins = this.firm.byPrefix.get(p);
        if (!wins) break;
        const s = wins / this.among(p);
        if (s >= best.strength) best = { strength: s, category: { kind: 'won', prefix: p, wins }, buyer: null, title: 0 };
      }
      const group = code.slice(0, GROUP);
      const r = this.related.get(group);
      if (r) {
        const s = r / this.among(group);
        if (s > best.strength) best = { strength: s, category: { kind: 'related', group }, buyer: null, title: 0 };
      }
    }
    const nearness = buyer ? (this.near.get(buyer) ?? 0) : 0;
    if (nearness > 0) best = { ...best, strength: best.strength * (1 + BUYER_WEIGHT * nearness), buyer: nearness === 1 ? 'won' : 'near' };
    if (best.strength > 0 && words.size && this.firm.words.size) {
      let shared = 0;
      for (const w of words) if (this.firm.words.has(w)) shared++;
      const title = shared / words.size;
      best = { ...best, strength: best.strength * (1 + TITLE_WEIGHT * title), title };
    }
    return best;
  }

  /** The codes won, most contracts first. */
  categories(): CategorySuggestion[] {
    return [...this.firm.codes]
      .map(([code, c]) => ({ code, contracts: c.count, years: [...c.years].sort() }))
      .sort((a, b) => b.contracts - a.contracts || a.code.localeCompare(b.code));
  }

  /** CPV groups the firm has not won in where firms that win what it wins also win, strongest first. */
  relatedCategories(limit = RELATED_SUGGESTED): RelatedSuggestion[] {
    return [...this.related]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, limit)
      .map(([group, weight]) => ({ code: group.padEnd(8, '0'), weight }));
  }

  /**
   * The categories of a subscription that lets the evidence decide: every
   * division the firm has won in and the related groups. The subscription's
   * minimum score then picks, by strength, what of them is alerted.
   */
  subscriptionCategories(): string[] {
    const divisions = [...this.firm.byPrefix.keys()].filter((p) => p.length === 2).map((p) => p.padEnd(8, '0'));
    const related = this.relatedCategories().map((r) => r.code).filter((c) => !divisions.includes(`${c.slice(0, 2)}000000`));
    return [...divisions, ...related].sort();
  }
}
