// A subscription's filters (keyword query, regions, value range, kinds,
// procedures, onlyCsr) as one number: the id of their combination, interned.
// Per notice each combination is decided once, and each distinct part of it
// (a region list, a keyword query…) once, as `evaluate` applies them.
import { matchesKeywords, type KeywordQuery } from '../../domain/keywords.ts';
import { hasCsrCriteria, type MatchNotice, type MatchSubscription } from '../../domain/match.ts';
import { inRegion } from '../../domain/regions.ts';
import { Interned } from './interned.ts';
import { FloatList, grow, IntList } from './typed-lists.ts';

// What a filter combination holds.
const KEYWORDS = 1;
const REGIONS = 2;
const MIN_VALUE = 4;
const MAX_VALUE = 8;
const KINDS = 16;
const PROCEDURES = 32;
const ONLY_CSR = 64;

export class Filters {
  private readonly ids = new Map<string | number, number>();
  // By combination: its flags and its parts.
  private readonly flags = new IntList();
  private readonly keywords = new IntList();
  private readonly regions = new IntList();
  private readonly kinds = new IntList();
  private readonly procedures = new IntList();
  private readonly min = new FloatList();
  private readonly max = new FloatList();
  private readonly keywordQueries = new Interned<KeywordQuery>();
  private readonly regionLists = new Interned<string[]>();
  private readonly kindLists = new Interned<string[]>();
  private readonly procedureLists = new Interned<string[]>();

  /** By combination: `pass[f]` (1 or 0) is decided for the current notice where `stamp[f]` is its stamp. The match loop reads both inline. */
  stamp = new Uint32Array(0);
  pass = new Uint8Array(0);

  // --- the current notice ---
  private current = 0;
  private notice!: MatchNotice;
  private keywordHits!: Map<number, string[]>;
  private hasCsr = false;
  private valueChecked = false;
  private amount = 0;

  constructor() {
    this.ids.set('', 0); // combination 0: none
    for (const list of [this.flags, this.regions, this.kinds, this.procedures]) list.push(0);
    this.keywords.push(-1);
    this.min.push(0);
    this.max.push(0);
  }

  /** How many combinations (with 0, none). */
  get size(): number {
    return this.ids.size;
  }

  /** The keyword query of a combination (-1: none). */
  keywordQuery(filter: number): number {
    return this.keywords.data[filter];
  }

  /** The filter combination of a subscription (0: none). */
  id(sub: MatchSubscription): number {
    let flags = 0;
    let keywords = -1; // none
    let regions = 0;
    let kinds = 0;
    let procedures = 0;
    if (sub.keywords) {
      flags |= KEYWORDS;
      keywords = this.keywordQueries.id(sub.keywords);
    }
    if (sub.regions.length) {
      flags |= REGIONS;
      regions = this.regionLists.id(sub.regions);
    }
    if (sub.minValue !== null) flags |= MIN_VALUE;
    if (sub.maxValue !== null) flags |= MAX_VALUE;
    if (sub.kinds.length) {
      flags |= KINDS;
      kinds = this.kindLists.id(sub.kinds);
    }
    if (sub.procedures.length) {
      flags |= PROCEDURES;
      procedures = this.procedureLists.id(sub.procedures);
    }
    if (sub.onlyCsr) flags |= ONLY_CSR;
    if (!flags) return 0;
    // Stored as evaluate compares them (a Float64Array holds what `>=` would coerce to).
    const min = flags & MIN_VALUE ? Number(sub.minValue) : 0;
    const max = flags & MAX_VALUE ? Number(sub.maxValue) : 0;
    // A numeric key while the parts are small (as they are): strings only past that.
    const small = keywords < 1023 && regions < 1023 && kinds < 1023 && procedures < 1023 && !(flags & (MIN_VALUE | MAX_VALUE));
    const key = small
      ? flags + 128 * (keywords + 1 + 1024 * (regions + 1024 * (kinds + 1024 * procedures)))
      : `${flags},${keywords},${regions},${kinds},${procedures},${min},${max}`;
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.ids.size;
      this.ids.set(key, id);
      this.flags.push(flags);
      this.keywords.push(keywords);
      this.regions.push(regions);
      this.kinds.push(kinds);
      this.procedures.push(procedures);
      this.min.push(min);
      this.max.push(max);
    }
    return id;
  }

  /** Sizes the per-search arrays to the combinations and parts held. */
  fit(): void {
    this.stamp = grow(this.stamp, this.ids.size);
    this.pass = grow(this.pass, this.ids.size);
    for (const f of [this.keywordQueries, this.regionLists, this.kindLists, this.procedureLists]) f.fit();
  }

  /** Forgets every stamp (the stamp counter wrapped around). */
  forget(): void {
    this.stamp.fill(0);
    for (const f of [this.keywordQueries, this.regionLists, this.kindLists, this.procedureLists]) f.stamp.fill(0);
  }

  /** Starts a notice; the hits of keyword queries that pass go to `keywordHits` (query id → hits). */
  prepare(notice: MatchNotice, stamp: number, keywordHits: Map<number, string[]>): void {
    this.notice = notice;
    this.current = stamp;
    this.keywordHits = keywordHits;
    const value = notice.value;
    this.hasCsr = hasCsrCriteria(notice.criteria);
    this.valueChecked = !!value && value.currency === 'SEK';
    this.amount = this.valueChecked ? value!.amount : 0;
  }

  /** A filter combination, as evaluate applies it, for the current notice: 1 passes, 0 not. Each part decided once per notice. */
  decide(filter: number): number {
    const flags = this.flags.data[filter];
    let pass = true;
    if (flags & ONLY_CSR && !this.hasCsr) pass = false;
    else if (flags & KINDS && !this.kindsPass(this.kinds.data[filter])) pass = false;
    else if (flags & PROCEDURES && !this.proceduresPass(this.procedures.data[filter])) pass = false;
    else if (this.valueChecked && flags & MIN_VALUE && !(this.amount >= this.min.data[filter])) pass = false;
    else if (this.valueChecked && flags & MAX_VALUE && !(this.amount <= this.max.data[filter])) pass = false;
    else if (flags & REGIONS && !this.regionsPass(this.regions.data[filter])) pass = false;
    else if (flags & KEYWORDS && !this.keywordsPass(this.keywords.data[filter])) pass = false;
    this.stamp[filter] = this.current;
    return (this.pass[filter] = pass ? 1 : 0);
  }

  private kindsPass(id: number): boolean {
    const f = this.kindLists;
    if (f.stamp[id] !== this.current) {
      f.stamp[id] = this.current;
      f.pass[id] = f.values[id].includes(this.notice.kind) ? 1 : 0;
    }
    return f.pass[id] === 1;
  }

  private proceduresPass(id: number): boolean {
    const f = this.procedureLists;
    if (f.stamp[id] !== this.current) {
      f.stamp[id] = this.current;
      const procedure = this.notice.procedure;
      f.pass[id] = procedure && f.values[id].includes(procedure) ? 1 : 0;
    }
    return f.pass[id] === 1;
  }

  private regionsPass(id: number): boolean {
    const f = this.regionLists;
    if (f.stamp[id] !== this.current) {
      f.stamp[id] = this.current;
      const place = this.notice.place;
      f.pass[id] = f.values[id].some((r) => inRegion(r, place)) ? 1 : 0;
    }
    return f.pass[id] === 1;
  }

  private keywordsPass(id: number): boolean {
    const f = this.keywordQueries;
    if (f.stamp[id] !== this.current) {
      f.stamp[id] = this.current;
      const k = matchesKeywords(f.values[id], this.notice.words);
      f.pass[id] = k.ok ? 1 : 0;
      if (k.ok && k.hits.length) this.keywordHits.set(id, k.hits);
    }
    return f.pass[id] === 1;
  }
}
