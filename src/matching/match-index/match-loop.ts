// The hot loop: for one notice, the buckets it touches, each bucket's CPV hit
// (once, whatever its number of subscriptions), then the subscriptions.
//
// What a subscription needs here is two integers side by side: its firm's
// capability profile and its filters (the combination of keyword query,
// regions, value range, kinds, procedures, onlyCsr, interned, with the strict
// bit). Per notice each filter combination is decided once, and the firm's
// profile once per distinct set of capabilities in force: a plain
// subscription costs one or two typed-array reads.
import { cpvPrefix } from '../../domain/cpv.ts';
import { cpvHit, cpvHitRank, scoreCpvHit, type CpvHit, type MatchNotice } from '../../domain/match.ts';
import type { Buckets } from './buckets.ts';
import type { Filters } from './filters.ts';
import { SHARED_LEVELS, POSITION_SPAN, type Layout } from './layout.ts';
import { INELIGIBLE, type ProfileOutcomes } from './profile-outcomes.ts';
import type { Found, Snapshot } from './results.ts';
import { grow } from './typed-lists.ts';

/** Per notice, a subscription with several categories keeps its best bucket by this key: (rank, notice code, category position). */
const CODE_SPAN = 2 ** 20;

const clamp = (score: number): number => Math.min(100, Math.max(1, score));

export class MatchLoop {
  private hitScore = new Int32Array(1024);
  /** By bucket, for the current notice (valid where the bucket's stamp is current): its hit and rank key. */
  private bucketHit = new Int32Array(0);
  private bucketKey = new Float64Array(0);
  /** By bucket: the shortest prefix of a notice code the category lies under (9: none). */
  private bucketCover = new Int32Array(0);
  private outSub = new Int32Array(1024);
  private outHit = new Int32Array(1024);
  private outScore = new Uint8Array(1024);
  private outOutcome = new Int32Array(1024);

  constructor(
    private readonly buckets: Buckets,
    private readonly filters: Filters,
    private readonly outcomes: ProfileOutcomes,
  ) {}

  /** Sizes the per-search arrays to the buckets held. */
  fit(): void {
    const count = this.buckets.count;
    this.bucketHit = grow(this.bucketHit, count);
    this.bucketKey = grow(this.bucketKey, count);
    this.bucketCover = grow(this.bucketCover, count);
  }

  /**
   * The subscriptions of `L` a notice matches, with filters and outcomes
   * prepared for it under `stamp`; `profile`: whether it asks anything of a
   * firm's profile. CPV hits go to `snapshot.hits`.
   */
  run(notice: MatchNotice, L: Layout, stamp: number, profile: boolean, snapshot: Snapshot): Found & { evaluated: number } {
    const buckets = this.buckets;
    const touchedCount = buckets.touch(notice, stamp, L.sortedCodes, L.codeBuckets);
    const touched = buckets.touched;
    const { stamp: bucketStamp, code: bucketCode, includeParent: bucketParent } = buckets;
    const { bucketHit, bucketKey, bucketCover } = this;
    this.hitScore = grow(this.hitScore, touchedCount);
    const hitScores = this.hitScore;

    // Each bucket's CPV hit, as bestCpvHit(notice.codes, [category], includeParent) finds it, with its rank key
    // (rank, then notice code): a subscription with several categories takes its best bucket, as bestCpvHit does.
    const codes = notice.codes;
    const prefixes = codes.map((c) => cpvPrefix(c.code));
    for (let t = 0; t < touchedCount; t++) {
      const b = touched[t];
      const category = bucketCode[b];
      const includeParent = bucketParent[b];
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
    const filters = this.filters;
    const { stamp: fStamp, pass: fPass } = filters;
    const outcomes = this.outcomes;
    const { heldOf, heldStamp, heldOutcome, reject: oReject, delta: oDelta } = outcomes;
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
          if (filter !== 0 && (fStamp[filter] === stamp ? fPass[filter] : filters.decide(filter)) === 0) continue;
          outSub[count] = s;
          outHit[count] = h;
          outScore[count++] = score;
        }
      } else {
        for (let s = from; s < singleTo; s++) {
          const f = hot[2 * s + 1];
          if (f > 1 && (fStamp[f >> 1] === stamp ? fPass[f >> 1] : filters.decide(f >> 1)) === 0) continue;
          const held = heldOf[hot[2 * s]];
          const o = heldStamp[held] === stamp ? heldOutcome[held] : outcomes.decide(held);
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
        if (f > 1 && (fStamp[f >> 1] === stamp ? fPass[f >> 1] : filters.decide(f >> 1)) === 0) continue;
        if (profile) {
          const held = heldOf[hot[2 * s]];
          o = heldStamp[held] === stamp ? heldOutcome[held] : outcomes.decide(held);
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
        if (f > 1 && (fStamp[f >> 1] === stamp ? fPass[f >> 1] : filters.decide(f >> 1)) === 0) continue;
        if (profile) {
          const held = heldOf[extras[first - 3]];
          o = heldStamp[held] === stamp ? heldOutcome[held] : outcomes.decide(held);
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
    return {
      evaluated, size: count,
      subs: outSub.slice(0, count), hits: outHit.slice(0, count), scores: outScore.slice(0, count), outcomes: profile ? outOutcome.slice(0, count) : null,
    };
  }

  private reserve(size: number): void {
    if (this.outSub.length >= size) return;
    this.outSub = grow(this.outSub, size);
    this.outHit = grow(this.outHit, size);
    this.outOutcome = grow(this.outOutcome, size);
    this.outScore = grow(this.outScore, size);
  }
}
