// An in-memory index of subscriptions by CPV code, so a notice is evaluated
// only against the subscriptions its codes can touch, never against all.
//
// Layout. A subscription is a number and a few integers in typed arrays, not
// an object; the index keeps no MatchSubscription alive. A "bucket" is one
// category code, with or without includeParent: how a notice meets a bucket
// (the CPV hit: kind, distance, score, reason) is the same for every
// subscription in it, so it is worked out once per bucket and notice.
// Subscriptions are numbered bucket by bucket (buckets in code order, so a
// broadly coded notice reads one stretch of memory), each bucket's own in
// three runs: plain (no filter beyond CPV), filtered, and those with further
// categories (their best hit over all their buckets wins, as in bestCpvHit).
// A subscription with several categories is decided once: in its first
// category's bucket when the notice touches it, else in the first touched of
// the others, which carry a copy of what is needed (no per-search state per
// subscription, no random access).
//
// What a subscription needs in the hot loop is two integers side by side:
// its firm's capability profile and its filters (the combination of keyword
// query, regions, value range, kinds, procedures, onlyCsr, interned, with the
// strict bit). Per notice each filter combination is decided once, and the
// firm's profile once per distinct set of capabilities in force: a plain
// subscription costs one or two typed-array reads.
//
// Results come back compact (MatchResults); MatchResult objects with their
// reasons are built only when asked for, or only each firm's best.
//
// `evaluate` (src/domain/match.ts) stays the reference: matchBruteForce runs
// it over every subscription, and the property test holds the two together.
import { cpvParent, cpvPrefix } from '../domain/cpv.ts';
import { matchesKeywords, type KeywordQuery } from '../domain/keywords.ts';
import {
  asksProfile, candidateCategories, cpvHit, cpvHitRank, cpvHitReason, evaluate, hasCsrCriteria, keywordReason, profileCapabilities, profileOutcome,
  scoreCpvHit, type CpvHit, type MatchCompany, type MatchNotice, type MatchResult, type MatchSubscription, type ProfileOutcome, type Reason,
} from '../domain/match.ts';
import { inRegion } from '../domain/regions.ts';

// What a filter combination holds.
const KEYWORDS = 1;
const REGIONS = 2;
const MIN_VALUE = 4;
const MAX_VALUE = 8;
const KINDS = 16;
const PROCEDURES = 32;
const ONLY_CSR = 64;

/** Per notice, a subscription with several categories keeps its best bucket by this key: (rank, notice code, category position). */
const CODE_SPAN = 2 ** 20;
const POSITION_SPAN = 2 ** 16;

/** Leading digits a further category shares with the first: 0 to 8. */
const SHARED_LEVELS = 9;

/** A profile outcome rejects a subscription when its `reject` plus the strict bit reaches 2. */
const INELIGIBLE = 2;
const HAS_MISSING = 1;

/**
 * Subscriptions in columns. `hot[2s]` is the firm's capability profile,
 * `hot[2s + 1]` the filter combination << 1 | strict. `cats` lists each
 * subscription's buckets (distinct, in the order of its categories).
 */
type Columns = {
  n: number;
  id: string[];
  /** The firm, by company id. */
  company: Int32Array;
  hot: Int32Array;
  catStart: Int32Array;
  cats: Int32Array;
};

/** The columns in bucket order, and where each bucket's subscriptions are. */
type Layout = Columns & {
  /** By bucket: its own subscriptions are start…plainEnd (plain), …singleEnd (filtered), …end (more categories). */
  start: Int32Array;
  plainEnd: Int32Array;
  singleEnd: Int32Array;
  end: Int32Array;
  /**
   * By bucket, a stream of records for the subscriptions whose further
   * category it is: [s, position of the category, hot[2s], hot[2s + 1],
   * number of categories, …their buckets], so they are read in sequence.
   * Each bucket's records come in SHARED_LEVELS groups, by how many leading
   * digits the category shares with the subscription's first, most first:
   * `extraStart[b * SHARED_LEVELS + 8 - shared]` is where a group starts.
   */
  extraStart: Int32Array;
  extras: Int32Array;
  /** Distinct category codes, sorted (a prefix is a range), with their buckets [without, with includeParent], -1 where none. */
  sortedCodes: string[];
  codeBuckets: Int32Array;
};

/** A growable Int32Array. */
class IntList {
  data = new Int32Array(64);
  length = 0;
  push(value: number): void {
    if (this.length === this.data.length) this.data = grow(this.data, this.length + 1);
    this.data[this.length++] = value;
  }
}

/** A growable Float64Array. */
class FloatList {
  data = new Float64Array(64);
  length = 0;
  push(value: number): void {
    if (this.length === this.data.length) this.data = grow(this.data, this.length + 1);
    this.data[this.length++] = value;
  }
}

type TypedArray = Int32Array | Uint32Array | Uint16Array | Uint8Array | Float64Array;

function grow<A extends TypedArray>(array: A, size: number): A {
  if (array.length >= size) return array;
  const grown = new (array.constructor as new (n: number) => A)(Math.max(size, 2 * array.length));
  grown.set(array);
  return grown;
}

/** Distinct filter values (a kind list, a keyword query…), each decided once per notice. */
class Interned<T> {
  private readonly ids = new Map<string, number>();
  readonly values: T[] = [];
  stamp = new Uint32Array(0);
  pass = new Uint8Array(0);

  id(value: T): number {
    // Lists of strings (the common case) keyed without JSON: each item's length, then the item.
    const key = Array.isArray(value) && value.every((v) => typeof v === 'string') ? value.map((v: string) => `${v.length}:${v}`).join('') : JSON.stringify(value);
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.values.push(value) - 1;
      this.ids.set(key, id);
    }
    return id;
  }

  fit(): void {
    this.stamp = grow(this.stamp, this.values.length);
    this.pass = grow(this.pass, this.values.length);
  }
}

/** What a search keeps for building MatchResult objects later. */
type Snapshot = {
  hits: CpvHit[];
  /** The reasons of each (hit, profile outcome, keyword query) met, once built: shared and frozen. */
  reasons: Map<number, Map<number, readonly Reason[]>>;
  outcomes: ProfileOutcome[];
  /** Keyword query id → its hits in this notice (queries that passed with hits). */
  keywordHits: Map<number, string[]>;
};

export class MatchIndex {
  // --- firms: grouped by company id; capability profiles by content ---
  /** @internal */ readonly companyIds: string[] = [];
  /** Company id → number; only while reading a batch of subscriptions (rebuilt from companyIds for a later one). */
  private companyNumbers: Map<string, number> | null = null;
  /** While reading one batch of subscriptions: by company number, the object read and its profile. */
  private batchCompany: (MatchCompany | undefined)[] = [];
  private batchProfile: number[] = [];
  private firmProfile = 0;
  private readonly profileIds = new Map<string | number, number>();
  private readonly profileStart = new IntList();
  private readonly profileCap = new IntList();
  private readonly profileUntil = new IntList();
  private readonly capabilityIds = new Map<unknown, number>();
  private readonly capabilityNames: unknown[] = [];
  private readonly untilIds = new Map<unknown, number>();
  private readonly untilValues: unknown[] = [];
  /** Per day: profile → the set of capabilities it holds in force (few distinct). */
  private heldToday: string | null = null;
  private heldOf = new Int32Array(0);
  private heldSets: number[][] = [];
  /** @internal best-per-company scratch */ groupStamp = new Uint32Array(0);
  /** @internal */ groupBest = new Int32Array(0);

  // --- filters: distinct combinations, and their distinct parts ---
  private readonly filterIds = new Map<string | number, number>();
  private readonly fFlags = new IntList();
  /** @internal */ readonly fKeywords = new IntList();
  private readonly fRegions = new IntList();
  private readonly fKinds = new IntList();
  private readonly fProcedures = new IntList();
  private readonly fMin = new FloatList();
  private readonly fMax = new FloatList();
  private fStamp = new Uint32Array(0);
  private fPass = new Uint8Array(0);
  private readonly keywordQueries = new Interned<KeywordQuery>();
  private readonly regionLists = new Interned<string[]>();
  private readonly kindLists = new Interned<string[]>();
  private readonly procedureLists = new Interned<string[]>();

  // --- buckets ---
  private readonly bucketCode: string[] = [];
  private readonly bucketParent: boolean[] = [];
  private readonly bucketIds = [new Map<string, number>(), new Map<string, number>()];
  /** Category code → its buckets; parent of a category → the includeParent buckets below it. */
  private readonly byCode = new Map<string, number[]>();
  private readonly byParent = new Map<string, number[]>();
  private bucketStamp = new Uint32Array(0);

  // --- subscriptions ---
  private layout: Layout | null = null;
  private pending: MatchSubscription[] = [];

  // --- one search ---
  private stamp = 0;
  private notice!: MatchNotice;
  private snapshot!: Snapshot;
  private hasCsr = false;
  private valueChecked = false;
  private amount = 0;
  private touched = new Int32Array(1024);
  private hitScore = new Int32Array(1024);
  /** By bucket, for the current notice (valid where bucketStamp is current): its hit and rank key. */
  private bucketHit = new Int32Array(0);
  private bucketKey = new Float64Array(0);
  /** By bucket: the shortest prefix of a notice code the category lies under (9: none). */
  private bucketCover = new Int32Array(0);
  private outSub = new Int32Array(1024);
  private outHit = new Int32Array(1024);
  private outScore = new Uint8Array(1024);
  private outOutcome = new Int32Array(1024);
  private heldStamp = new Uint32Array(0);
  private heldOutcome = new Int32Array(0);
  private maskStamp = new Uint32Array(1 << 16);
  private maskOutcome = new Int32Array(1 << 16);
  private outcomeByMask = new Map<number, number>();
  private relevantBit = new Int32Array(0);
  private relevantCaps: number[] = [];
  private oReject: number[] = [];
  private oDelta: number[] = [];

  constructor(subscriptions: Iterable<MatchSubscription> = []) {
    this.profileStart.push(0);
    this.profileIds.set('', 0); // profile 0: no capabilities
    this.profileStart.push(0);
    this.filterIds.set('', 0); // filter 0: none
    for (const list of [this.fFlags, this.fRegions, this.fKinds, this.fProcedures]) list.push(0);
    this.fKeywords.push(-1);
    this.fMin.push(0);
    this.fMax.push(0);
    for (const sub of subscriptions) this.pending.push(sub);
    this.relayout();
  }

  get size(): number {
    return (this.layout?.n ?? 0) + this.pending.length;
  }

  /** Takes effect at the next search, which lays the columns out again; the object is held until then, not after. */
  add(sub: MatchSubscription): void {
    this.pending.push(sub);
  }

  match(notice: MatchNotice, today: string): { results: MatchResults; evaluated: number } {
    if (this.pending.length || !this.layout) this.relayout();
    const L = this.layout!;
    const stamp = this.nextStamp();
    this.prepare(notice, today, stamp);
    const profile = asksProfile(notice.criteria);
    const snapshot = this.snapshot;
    const touchedCount = this.touch(notice, L, stamp);
    const touched = this.touched;
    const { bucketStamp, bucketHit, bucketKey, bucketCover } = this;
    this.hitScore = grow(this.hitScore, touchedCount);
    const hitScores = this.hitScore;

    // Each bucket's CPV hit, as bestCpvHit(notice.codes, [category], includeParent) finds it, with its rank key
    // (rank, then notice code): a subscription with several categories takes its best bucket, as bestCpvHit does.
    const codes = notice.codes;
    const prefixes = codes.map((c) => cpvPrefix(c.code));
    for (let t = 0; t < touchedCount; t++) {
      const b = touched[t];
      const category = this.bucketCode[b];
      const includeParent = this.bucketParent[b];
      let hit: CpvHit | null = null;
      let rank = Infinity;
      let code = -1;
      let cover = SHARED_LEVELS;
      for (let i = 0; i < codes.length; i++) {
        if (prefixes[i].length < cover && category.startsWith(prefixes[i])) cover = prefixes[i].length;
        const h = cpvHit(codes[i].code, category, includeParent, codes[i].lotId, codes[i].lotTitle);
        if (!h) continue;
        const r = cpvHitRank(h, codes[i].isMain);
        if (r < rank) {
          hit = h;
          rank = r;
          code = i;
        }
      }
      // Every bucket touched has a hit (that is how it was found); were one not to, that is a bug.
      if (!hit) throw new Error(`no CPV hit for category ${category} in a bucket the notice touched`);
      const h = snapshot.hits.push(hit) - 1;
      hitScores[h] = scoreCpvHit(hit);
      bucketHit[b] = h;
      bucketKey[b] = (rank * CODE_SPAN + code) * POSITION_SPAN;
      bucketCover[b] = cover;
    }

    const { hot, catStart, cats, start, plainEnd, singleEnd, end, extraStart, extras } = L;
    const { fStamp, fPass, heldOf, heldStamp, heldOutcome, oReject, oDelta } = this;
    let count = 0;
    let evaluated = 0;
    for (let t = 0; t < touchedCount; t++) {
      const b = touched[t];
      const h = bucketHit[b];
      const hitScore = hitScores[h];
      const from = start[b];
      const plainTo = plainEnd[b];
      const singleTo = singleEnd[b];
      const to = end[b];
      // Records whose first category shares the notice code's prefix with this one: that bucket is touched too, they are decided there.
      const extraFrom = extraStart[b * SHARED_LEVELS + (bucketCover[b] < SHARED_LEVELS ? SHARED_LEVELS - bucketCover[b] : 0)];
      const extraTo = extraStart[(b + 1) * SHARED_LEVELS];
      // At most one result per subscription, and per record of the stream (each at least 7 long).
      this.reserve(count + (to - from) + Math.ceil((extraTo - extraFrom) / 7));
      const { outSub, outHit, outScore, outOutcome } = this;

      // Subscriptions with this one category.
      evaluated += singleTo - from;
      if (!profile) {
        // Nothing asked of the firm: eligible, nothing missing (strict passes), the bucket's score.
        const score = clamp(hitScore);
        for (let s = from; s < plainTo; s++) {
          outSub[count] = s;
          outHit[count] = h;
          outScore[count++] = score;
        }
        for (let s = plainTo; s < singleTo; s++) {
          const filter = hot[2 * s + 1] >> 1;
          if (filter !== 0 && (fStamp[filter] === stamp ? fPass[filter] : this.decideFilter(filter)) === 0) continue;
          outSub[count] = s;
          outHit[count] = h;
          outScore[count++] = score;
        }
      } else {
        for (let s = from; s < singleTo; s++) {
          const f = hot[2 * s + 1];
          if (f > 1 && (fStamp[f >> 1] === stamp ? fPass[f >> 1] : this.decideFilter(f >> 1)) === 0) continue;
          const held = heldOf[hot[2 * s]];
          const o = heldStamp[held] === stamp ? heldOutcome[held] : this.decideHeld(held);
          if (oReject[o] + (f & 1) >= INELIGIBLE) continue;
          outSub[count] = s;
          outHit[count] = h;
          outScore[count] = clamp(hitScore + oDelta[o]);
          outOutcome[count++] = o;
        }
      }

      // Subscriptions with several categories, this the first: decided here, with their best bucket.
      evaluated += to - singleTo;
      for (let s = singleTo; s < to; s++) {
        const f = hot[2 * s + 1];
        let o = 0;
        if (f > 1 && (fStamp[f >> 1] === stamp ? fPass[f >> 1] : this.decideFilter(f >> 1)) === 0) continue;
        if (profile) {
          const held = heldOf[hot[2 * s]];
          o = heldStamp[held] === stamp ? heldOutcome[held] : this.decideHeld(held);
          if (oReject[o] + (f & 1) >= INELIGIBLE) continue;
        }
        let best = bucketKey[b];
        let bestHit = h;
        for (let k = catStart[s] + 1, last = catStart[s + 1]; k < last; k++) {
          const c = cats[k];
          if (bucketStamp[c] !== stamp) continue;
          const key = bucketKey[c] + (k - catStart[s]);
          if (key < best) {
            best = key;
            bestHit = bucketHit[c];
          }
        }
        outSub[count] = s;
        outHit[count] = bestHit;
        outScore[count] = clamp(hitScores[bestHit] + oDelta[o]);
        outOutcome[count++] = o;
      }

      // Subscriptions whose further category this is: decided at the first of their buckets the notice touches.
      for (let e = extraFrom; e < extraTo; ) {
        const s = extras[e];
        const position = extras[e + 1];
        const f = extras[e + 3];
        const first = e + 5;
        const last = first + extras[e + 4];
        e = last;
        let earlier = false;
        for (let k = first; k < first + position && !earlier; k++) earlier = bucketStamp[extras[k]] === stamp;
        if (earlier) continue;
        evaluated++;
        let o = 0;
        if (f > 1 && (fStamp[f >> 1] === stamp ? fPass[f >> 1] : this.decideFilter(f >> 1)) === 0) continue;
        if (profile) {
          const held = heldOf[extras[first - 3]];
          o = heldStamp[held] === stamp ? heldOutcome[held] : this.decideHeld(held);
          if (oReject[o] + (f & 1) >= INELIGIBLE) continue;
        }
        let best = bucketKey[b] + position;
        let bestHit = h;
        for (let k = first + position + 1; k < last; k++) {
          const c = extras[k];
          if (bucketStamp[c] !== stamp) continue;
          const key = bucketKey[c] + (k - first);
          if (key < best) {
            best = key;
            bestHit = bucketHit[c];
          }
        }
        outSub[count] = s;
        outHit[count] = bestHit;
        outScore[count] = clamp(hitScores[bestHit] + oDelta[o]);
        outOutcome[count++] = o;
      }
    }

    const { outSub, outHit, outScore, outOutcome } = this;
    const results = new MatchResults(
      this, L, count, outSub.slice(0, count), outHit.slice(0, count), outScore.slice(0, count), profile ? outOutcome.slice(0, count) : null, snapshot,
    );
    return { results, evaluated };
  }

  // --- one search, step by step ---

  private nextStamp(): number {
    this.stamp = (this.stamp + 1) >>> 0;
    if (this.stamp === 0) {
      // Wrapped around: forget every old stamp.
      for (const array of [this.bucketStamp, this.fStamp, this.heldStamp, this.maskStamp, this.groupStamp]) array.fill(0);
      for (const f of [this.keywordQueries, this.regionLists, this.kindLists, this.procedureLists]) f.stamp.fill(0);
      this.stamp = 1;
    }
    return this.stamp;
  }

  private prepare(notice: MatchNotice, today: string, stamp: number): void {
    this.notice = notice;
    this.snapshot = { hits: [], reasons: new Map(), outcomes: [], keywordHits: new Map() };
    const value = notice.value;
    this.hasCsr = hasCsrCriteria(notice.criteria);
    this.valueChecked = !!value && value.currency === 'SEK';
    this.amount = this.valueChecked ? value!.amount : 0;
    if (this.heldToday !== today || this.heldOf.length < this.profileIds.size) this.holdToday(today);

    // Outcome 0: what a profile adds when nothing relevant is held (or nothing is asked).
    this.oReject.length = 0;
    this.oDelta.length = 0;
    this.outcomeByMask.clear();
    this.pushOutcome(profileOutcome(notice.criteria, new Set()));
    this.maskStamp[0] = stamp;
    this.maskOutcome[0] = 0;
    // The capabilities the criteria ask about, as bits.
    for (const cap of this.relevantCaps) this.relevantBit[cap] = 0;
    this.relevantCaps = [];
    for (const name of profileCapabilities(notice.criteria)) {
      const cap = this.capabilityIds.get(name);
      if (cap === undefined) continue; // no firm holds it
      this.relevantCaps.push(cap);
      // Past 30 the bits run out: decideHeld then builds the set (never seen in practice).
      this.relevantBit[cap] = this.relevantCaps.length <= 30 ? 1 << (this.relevantCaps.length - 1) : 0;
    }
  }

  /** Capabilities in force on a day, as capabilitiesInForce decides (validUntil compared as evaluate does), per profile. */
  private holdToday(today: string): void {
    // Up to 31 capabilities (the taxonomy has 16) a set is a bit mask; past that, a list.
    const asMask = this.capabilityNames.length <= 31;
    const sets = new Map<string | number, number>([[asMask ? 0 : '', 0]]);
    this.heldSets = [[]];
    this.heldOf = new Int32Array(this.profileIds.size);
    const { profileStart, profileCap, profileUntil } = this;
    const untilOk = this.untilValues.map((until) => (until as string) >= today);
    for (let p = 1; p < this.profileIds.size; p++) {
      let mask = 0;
      const held: number[] = [];
      for (let e = profileStart.data[p]; e < profileStart.data[p + 1]; e++) {
        const until = profileUntil.data[e];
        if (until >= 0 && !untilOk[until]) continue;
        if (asMask) mask |= 1 << profileCap.data[e];
        else if (!held.includes(profileCap.data[e])) held.push(profileCap.data[e]);
      }
      const key = asMask ? mask : held.sort((x, y) => x - y).join();
      let id = sets.get(key);
      if (id === undefined) {
        id = this.heldSets.push(asMask ? this.capabilityNames.map((_, cap) => cap).filter((cap) => mask & (1 << cap)) : held) - 1;
        sets.set(key, id);
      }
      this.heldOf[p] = id;
    }
    this.heldStamp = new Uint32Array(this.heldSets.length);
    this.heldOutcome = new Int32Array(this.heldSets.length);
    this.heldToday = today;
  }

  private pushOutcome(outcome: ProfileOutcome): number {
    this.oReject.push(!outcome.eligible ? INELIGIBLE : outcome.missing.length ? HAS_MISSING : 0);
    this.oDelta.push(outcome.scoreDelta);
    return this.snapshot.outcomes.push(outcome) - 1;
  }

  /** The outcome of a set of capabilities in force for the current notice; one per relevant subset. */
  private decideHeld(held: number): number {
    const caps = this.heldSets[held];
    let o: number;
    if (this.relevantCaps.length <= 30) {
      let mask = 0;
      for (const cap of caps) mask |= this.relevantBit[cap];
      if (mask < 65536) {
        if (this.maskStamp[mask] === this.stamp) o = this.maskOutcome[mask];
        else {
          o = this.outcomeOfMask(mask);
          this.maskStamp[mask] = this.stamp;
          this.maskOutcome[mask] = o;
        }
      } else {
        o = this.outcomeByMask.get(mask) ?? this.outcomeOfMask(mask);
        this.outcomeByMask.set(mask, o);
      }
    } else {
      const names = caps.filter((cap) => this.relevantCaps.includes(cap)).map((cap) => this.capabilityNames[cap]);
      o = this.pushOutcome(profileOutcome(this.notice.criteria, new Set(names) as Set<string>));
    }
    this.heldStamp[held] = this.stamp;
    this.heldOutcome[held] = o;
    return o;
  }

  private outcomeOfMask(mask: number): number {
    const held = new Set(this.relevantCaps.filter((_, i) => mask & (1 << i)).map((cap) => this.capabilityNames[cap]));
    return this.pushOutcome(profileOutcome(this.notice.criteria, held as Set<string>));
  }

  /** A filter combination, as evaluate applies it, for the current notice: 1 passes, 0 not. Each part decided once per notice. */
  private decideFilter(filter: number): number {
    const flags = this.fFlags.data[filter];
    let pass = true;
    if (flags & ONLY_CSR && !this.hasCsr) pass = false;
    else if (flags & KINDS && !this.kindsPass(this.fKinds.data[filter])) pass = false;
    else if (flags & PROCEDURES && !this.proceduresPass(this.fProcedures.data[filter])) pass = false;
    else if (this.valueChecked && flags & MIN_VALUE && !(this.amount >= this.fMin.data[filter])) pass = false;
    else if (this.valueChecked && flags & MAX_VALUE && !(this.amount <= this.fMax.data[filter])) pass = false;
    else if (flags & REGIONS && !this.regionsPass(this.fRegions.data[filter])) pass = false;
    else if (flags & KEYWORDS && !this.keywordsPass(this.fKeywords.data[filter])) pass = false;
    this.fStamp[filter] = this.stamp;
    return (this.fPass[filter] = pass ? 1 : 0);
  }

  private kindsPass(id: number): boolean {
    const f = this.kindLists;
    if (f.stamp[id] !== this.stamp) {
      f.stamp[id] = this.stamp;
      f.pass[id] = f.values[id].includes(this.notice.kind) ? 1 : 0;
    }
    return f.pass[id] === 1;
  }

  private proceduresPass(id: number): boolean {
    const f = this.procedureLists;
    if (f.stamp[id] !== this.stamp) {
      f.stamp[id] = this.stamp;
      const procedure = this.notice.procedure;
      f.pass[id] = procedure && f.values[id].includes(procedure) ? 1 : 0;
    }
    return f.pass[id] === 1;
  }

  private regionsPass(id: number): boolean {
    const f = this.regionLists;
    if (f.stamp[id] !== this.stamp) {
      f.stamp[id] = this.stamp;
      const place = this.notice.place;
      f.pass[id] = f.values[id].some((r) => inRegion(r, place)) ? 1 : 0;
    }
    return f.pass[id] === 1;
  }

  private keywordsPass(id: number): boolean {
    const f = this.keywordQueries;
    if (f.stamp[id] !== this.stamp) {
      f.stamp[id] = this.stamp;
      const k = matchesKeywords(f.values[id], this.notice.words);
      f.pass[id] = k.ok ? 1 : 0;
      if (k.ok && k.hits.length) this.snapshot.keywordHits.set(id, k.hits);
    }
    return f.pass[id] === 1;
  }

  /** The buckets a notice's codes can touch, each once: into `this.touched`. */
  private touch(notice: MatchNotice, L: Layout, stamp: number): number {
    const seen = this.bucketStamp;
    let count = 0;
    const add = (list: number[] | undefined) => {
      if (!list) return;
      for (const b of list) {
        if (seen[b] === stamp) continue;
        seen[b] = stamp;
        if (count === this.touched.length) this.touched = grow(this.touched, count + 1);
        this.touched[count++] = b;
      }
    };
    // Categories at or above a notice code (direct), and includeParent categories one level below those.
    for (const code of candidateCategories(notice.codes)) {
      add(this.byCode.get(code));
      add(this.byParent.get(code));
    }
    // A notice coded broadly (45000000) concerns firms with finer categories below it.
    const { sortedCodes, codeBuckets } = L;
    for (const { code } of notice.codes) {
      const prefix = cpvPrefix(code);
      for (let k = lowerBound(sortedCodes, prefix); k < sortedCodes.length && sortedCodes[k].startsWith(prefix); k++) {
        for (let j = 2 * k; j < 2 * k + 2; j++) {
          const b = codeBuckets[j];
          if (b < 0 || seen[b] === stamp) continue;
          seen[b] = stamp;
          if (count === this.touched.length) this.touched = grow(this.touched, count + 1);
          this.touched[count++] = b;
        }
      }
    }
    return count;
  }

  private reserve(size: number): void {
    if (this.outSub.length >= size) return;
    this.outSub = grow(this.outSub, size);
    this.outHit = grow(this.outHit, size);
    this.outOutcome = grow(this.outOutcome, size);
    this.outScore = grow(this.outScore, size);
  }


  // --- reading subscriptions ---

  /** A firm's number (by company id); its capability profile goes to `this.firmProfile`. */
  private firm(company: MatchCompany): number {
    this.companyNumbers ??= new Map(this.companyIds.map((id, n) => [id, n]));
    let n = this.companyNumbers.get(company.id);
    if (n === undefined) {
      n = this.companyIds.push(company.id) - 1;
      this.companyNumbers.set(company.id, n);
    }
    // The profile is read once per company object and batch (a snapshot); another object with the same id is read for itself.
    if (this.batchCompany[n] === company) {
      this.firmProfile = this.batchProfile[n];
    } else {
      this.firmProfile = this.profile(company.capabilities);
      this.batchCompany[n] = company;
      this.batchProfile[n] = this.firmProfile;
    }
    return n;
  }

  /** A capability profile by content: each capability with its validUntil, as capabilitiesInForce reads them. */
  private profile(capabilities: MatchCompany['capabilities']): number {
    if (capabilities.length === 0) return 0;
    const entries: number[] = [];
    // One capability (the common case): a numeric key.
    for (const { capability, validUntil } of capabilities) {
      let cap = this.capabilityIds.get(capability);
      if (cap === undefined) {
        cap = this.capabilityNames.push(capability) - 1;
        this.capabilityIds.set(capability, cap);
      }
      let until = -1;
      if (validUntil !== null) {
        until = this.untilIds.get(validUntil) ?? -1;
        if (until < 0) {
          until = this.untilValues.push(validUntil) - 1;
          this.untilIds.set(validUntil, until);
        }
      }
      entries.push(cap * 2 ** 26 + (until + 1)); // exact in a double for any realistic count
    }
    let key: string | number;
    if (entries.length === 1) key = entries[0];
    else {
      entries.sort((a, b) => a - b);
      key = entries.join();
    }
    let profile = this.profileIds.get(key);
    if (profile === undefined) {
      profile = this.profileIds.size;
      this.profileIds.set(key, profile);
      for (const entry of entries) {
        this.profileCap.push(Math.floor(entry / 2 ** 26));
        this.profileUntil.push((entry % 2 ** 26) - 1);
      }
      this.profileStart.push(this.profileCap.length);
    }
    return profile;
  }

  /** The filter combination of a subscription (0: none). */
  private filter(sub: MatchSubscription): number {
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
    let id = this.filterIds.get(key);
    if (id === undefined) {
      id = this.filterIds.size;
      this.filterIds.set(key, id);
      this.fFlags.push(flags);
      this.fKeywords.push(keywords);
      this.fRegions.push(regions);
      this.fKinds.push(kinds);
      this.fProcedures.push(procedures);
      this.fMin.push(min);
      this.fMax.push(max);
    }
    return id;
  }

  private bucket(code: string, includeParent: boolean): number {
    const ids = this.bucketIds[includeParent ? 1 : 0];
    let b = ids.get(code);
    if (b !== undefined) return b;
    b = this.bucketCode.push(code) - 1;
    this.bucketParent.push(includeParent);
    ids.set(code, b);
    push(this.byCode, code, b);
    const parent = includeParent ? cpvParent(code) : null;
    if (parent) push(this.byParent, parent, b);
    return b;
  }

  /** Reads subscriptions into columns (in the given order). */
  private columns(subs: MatchSubscription[]): Columns {
    const n = subs.length;
    const cols: Columns = { n, id: new Array<string>(n), company: new Int32Array(n), hot: new Int32Array(2 * n), catStart: new Int32Array(n + 1), cats: new Int32Array(0) };
    const cats = new IntList();
    for (let i = 0; i < n; i++) {
      const sub = subs[i];
      cols.id[i] = sub.id;
      cols.company[i] = this.firm(sub.company);
      cols.hot[2 * i] = this.firmProfile;
      cols.hot[2 * i + 1] = (this.filter(sub) << 1) | (sub.strict ? 1 : 0);
      const from = cats.length;
      for (const code of sub.cpv) {
        const b = this.bucket(code, !!sub.includeParent);
        let dup = false;
        for (let k = from; k < cats.length; k++) if (cats.data[k] === b) dup = true;
        if (!dup) cats.push(b);
      }
      if (cats.length - from >= POSITION_SPAN) throw new RangeError(`subscription ${sub.id}: more than ${POSITION_SPAN - 1} categories`);
      cols.catStart[i + 1] = cats.length;
    }
    if (this.filterIds.size >= 2 ** 30 || this.capabilityNames.length >= 2 ** 26 || this.untilValues.length >= 2 ** 26) {
      throw new RangeError('too many filters or capabilities');
    }
    cols.cats = cats.data.slice(0, cats.length);
    this.batchCompany = []; // a later batch reads its firms afresh
    this.batchProfile = [];
    this.companyNumbers = null;
    return cols;
  }

  /** Lays every subscription out again, the pending ones included. */
  private relayout(): void {
    const parts = [this.layout, this.columns(this.pending)].filter((p): p is Columns => p !== null && p.n > 0);
    this.pending = [];
    const n = parts.reduce((sum, p) => sum + p.n, 0);
    const bucketCount = this.bucketCode.length;

    // Buckets in code order (without includeParent first): a prefix is one stretch of subscriptions.
    const sortedCodes = [...this.byCode.keys()].sort();
    const codeBuckets = new Int32Array(2 * sortedCodes.length).fill(-1);
    const rankOf = new Int32Array(bucketCount);
    let rank = 0;
    for (let k = 0; k < sortedCodes.length; k++) {
      for (const parent of [0, 1]) {
        const b = this.bucketIds[parent].get(sortedCodes[k]);
        if (b === undefined) continue;
        codeBuckets[2 * k + parent] = b;
        rankOf[b] = rank++;
      }
    }

    // Sort key: home bucket (the first category), then plain / filtered / more categories. No category: last.
    const keyOf = (p: Columns, i: number): number => {
      const from = p.catStart[i];
      const to = p.catStart[i + 1];
      if (from === to) return 3 * bucketCount;
      const run = to - from > 1 ? 2 : p.hot[2 * i + 1] !== 0 ? 1 : 0;
      return 3 * rankOf[p.cats[from]] + run;
    };
    const offsets = new Int32Array(3 * bucketCount + 2);
    for (const p of parts) for (let i = 0; i < p.n; i++) offsets[keyOf(p, i) + 1]++;
    for (let k = 1; k < offsets.length; k++) offsets[k] += offsets[k - 1];
    const runStart = offsets.slice();

    const L: Layout = {
      n,
      id: new Array<string>(n),
      company: new Int32Array(n),
      hot: new Int32Array(2 * n),
      catStart: new Int32Array(n + 1),
      cats: new Int32Array(parts.reduce((sum, p) => sum + p.cats.length, 0)),
      start: new Int32Array(bucketCount),
      plainEnd: new Int32Array(bucketCount),
      singleEnd: new Int32Array(bucketCount),
      end: new Int32Array(bucketCount),
      extraStart: new Int32Array(bucketCount * SHARED_LEVELS + 1),
      extras: new Int32Array(0),
      sortedCodes,
      codeBuckets,
    };
    // Place each subscription, then copy the categories in the new order.
    const source = new Int32Array(n);
    const sourcePart = new Uint8Array(n);
    parts.forEach((p, part) => {
      for (let i = 0; i < p.n; i++) {
        const s = offsets[keyOf(p, i)]++;
        source[s] = i;
        sourcePart[s] = part;
        L.id[s] = p.id[i];
        L.company[s] = p.company[i];
        L.hot[2 * s] = p.hot[2 * i];
        L.hot[2 * s + 1] = p.hot[2 * i + 1];
      }
    });
    const extraCount = new Int32Array(bucketCount * SHARED_LEVELS + 1);
    const group = (bucket: number, first: number) => bucket * SHARED_LEVELS + 8 - shared(this.bucketCode[bucket], this.bucketCode[first]);
    let c = 0;
    for (let s = 0; s < n; s++) {
      const p = parts[sourcePart[s]];
      const i = source[s];
      for (let k = p.catStart[i]; k < p.catStart[i + 1]; k++) {
        L.cats[c++] = p.cats[k];
        // A record in the stream of each further category: 5 + the number of categories.
        if (k > p.catStart[i]) extraCount[group(p.cats[k], p.cats[p.catStart[i]]) + 1] += 5 + p.catStart[i + 1] - p.catStart[i];
      }
      L.catStart[s + 1] = c;
    }
    for (let b = 0; b < bucketCount; b++) {
      const r = rankOf[b];
      L.start[b] = runStart[3 * r];
      L.plainEnd[b] = runStart[3 * r + 1];
      L.singleEnd[b] = runStart[3 * r + 2];
      L.end[b] = runStart[3 * r + 3];
    }
    for (let g = 0; g < bucketCount * SHARED_LEVELS; g++) L.extraStart[g + 1] = L.extraStart[g] + extraCount[g + 1];
    L.extras = new Int32Array(L.extraStart[bucketCount * SHARED_LEVELS]);
    const fill = L.extraStart.slice();
    for (let s = 0; s < n; s++) {
      const from = L.catStart[s];
      const to = L.catStart[s + 1];
      for (let k = from + 1; k < to; k++) {
        const g = group(L.cats[k], L.cats[from]);
        let e = fill[g];
        L.extras[e++] = s;
        L.extras[e++] = k - from;
        L.extras[e++] = L.hot[2 * s];
        L.extras[e++] = L.hot[2 * s + 1];
        L.extras[e++] = to - from;
        for (let j = from; j < to; j++) L.extras[e++] = L.cats[j];
        fill[g] = e;
      }
    }
    this.layout = L;

    // Per-search scratch sized to what is indexed now.
    this.bucketStamp = grow(this.bucketStamp, bucketCount);
    this.bucketHit = grow(this.bucketHit, bucketCount);
    this.bucketKey = grow(this.bucketKey, bucketCount);
    this.bucketCover = grow(this.bucketCover, bucketCount);
    this.fStamp = grow(this.fStamp, this.filterIds.size);
    this.fPass = grow(this.fPass, this.filterIds.size);
    this.groupStamp = grow(this.groupStamp, this.companyIds.length);
    this.groupBest = grow(this.groupBest, this.companyIds.length);
    this.relevantBit = grow(this.relevantBit, this.capabilityNames.length);
    for (const f of [this.keywordQueries, this.regionLists, this.kindLists, this.procedureLists]) f.fit();
  }

  /** @internal For MatchResults.bestPerCompany. */
  bestStamp(): number {
    return this.nextStamp();
  }
}

const clamp = (score: number): number => Math.min(100, Math.max(1, score));

/**
 * The subscriptions a notice matched, in columns: subscription, score, and
 * what explains it. `toArray()` builds the MatchResult objects (with reasons)
 * that `evaluate` would; `bestPerCompany()` only the best one per firm. Their
 * `reasons` and `missing` arrays are shared between like results and frozen
 * (evaluate's are fresh; the contents are the same).
 */
export class MatchResults implements Iterable<MatchResult> {
  /** @internal */
  constructor(
    private readonly index: MatchIndex,
    private readonly layout: Layout,
    readonly size: number,
    private readonly subs: Int32Array,
    private readonly hits: Int32Array,
    private readonly scores: Uint8Array,
    private readonly outcomes: Int32Array | null,
    private readonly snapshot: Snapshot,
  ) {}

  subscriptionId(i: number): string {
    return this.layout.id[this.subs[i]];
  }

  companyId(i: number): string {
    return this.index.companyIds[this.layout.company[this.subs[i]]];
  }

  score(i: number): number {
    return this.scores[i];
  }

  /** The i-th result as evaluate builds it (its `reasons` and `missing` arrays shared with like results, and frozen). */
  result(i: number): MatchResult {
    const L = this.layout;
    const { hits, outcomes, keywordHits, reasons: known } = this.snapshot;
    const s = this.subs[i];
    const h = this.hits[i];
    const o = this.outcomes ? this.outcomes[i] : 0;
    const keywords = this.index.fKeywords.data[L.hot[2 * s + 1] >> 1];
    let byKeywords = known.get(h * outcomes.length + o);
    if (!byKeywords) known.set(h * outcomes.length + o, (byKeywords = new Map()));
    let reasons = byKeywords.get(keywords);
    if (!reasons) {
      const list = [cpvHitReason(hits[h])];
      const keywordHit = keywords >= 0 ? keywordHits.get(keywords) : undefined;
      if (keywordHit) list.push(keywordReason(keywordHit));
      list.push(...outcomes[o].reasons);
      byKeywords.set(keywords, (reasons = Object.freeze(list)));
      Object.freeze(outcomes[o].missing);
    }
    return {
      subscriptionId: L.id[s], companyId: this.index.companyIds[L.company[s]], score: this.scores[i],
      reasons: reasons as Reason[], missing: outcomes[o].missing,
    };
  }

  toArray(): MatchResult[] {
    const out = new Array<MatchResult>(this.size);
    for (let i = 0; i < this.size; i++) out[i] = this.result(i);
    return out;
  }

  *[Symbol.iterator](): Iterator<MatchResult> {
    for (let i = 0; i < this.size; i++) yield this.result(i);
  }

  /** As bestPerCompany(results.toArray()) (src/domain/match.ts), building only the winners. */
  bestPerCompany(): MatchResult[] {
    const index = this.index;
    const stamp = index.bestStamp();
    const { groupStamp, groupBest } = index;
    const { company, id } = this.layout;
    const { subs, scores } = this;
    const order: number[] = [];
    for (let i = 0; i < this.size; i++) {
      const g = company[subs[i]];
      if (groupStamp[g] !== stamp) {
        groupStamp[g] = stamp;
        groupBest[g] = i;
        order.push(g);
        continue;
      }
      const b = groupBest[g];
      if (scores[i] > scores[b] || (scores[i] === scores[b] && id[subs[i]] < id[subs[b]])) groupBest[g] = i;
    }
    return order.map((g) => this.result(groupBest[g]));
  }
}

/** The reference the index must agree with: every subscription, every rule. */
export function matchBruteForce(subscriptions: Iterable<MatchSubscription>, notice: MatchNotice, today: string): MatchResult[] {
  const results: MatchResult[] = [];
  for (const sub of subscriptions) {
    const result = evaluate(notice, sub, today);
    if (result) results.push(result);
  }
  return results;
}

/** How many leading characters two codes share, at most 8. */
function shared(a: string, b: string): number {
  let n = 0;
  while (n < 8 && n < a.length && a[n] === b[n]) n++;
  return n;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function lowerBound(sorted: string[], value: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
