// What a firm's capability profile makes of a notice (profileOutcome:
// eligible, missing requirements, reasons, score), per notice: decided once
// per distinct set of capabilities in force, and that once per subset of the
// capabilities the notice asks about (a bit mask while there are at most 30).
import { profileCapabilities, profileOutcome, type MatchNotice, type ProfileOutcome } from '../../domain/match.ts';
import type { Firms } from './firms.ts';
import { grow } from './typed-lists.ts';

/** An outcome rejects a subscription when its `reject` plus the strict bit reaches INELIGIBLE. */
export const INELIGIBLE = 2;
const HAS_MISSING = 1;

export class ProfileOutcomes {
  /** By profile: its set of capabilities in force on `heldToday` (few distinct). */
  heldOf = new Int32Array(0);
  private heldSets: number[][] = [];
  private heldToday: string | null = null;
  /** By held set: its outcome for the current notice where `heldStamp` is the search's. The match loop reads these inline. */
  heldStamp = new Uint32Array(0);
  heldOutcome = new Int32Array(0);
  /** By outcome, for the current notice: INELIGIBLE, HAS_MISSING or 0; and what it adds to the score. */
  readonly reject: number[] = [];
  readonly delta: number[] = [];

  private maskStamp = new Uint32Array(1 << 16);
  private maskOutcome = new Int32Array(1 << 16);
  private readonly outcomeByMask = new Map<number, number>();
  /** By capability: its bit among those the current notice asks about (0: not asked). */
  private relevantBit = new Int32Array(0);
  private relevantCaps: number[] = [];

  private current = 0;
  private notice!: MatchNotice;
  private outcomes!: ProfileOutcome[];

  constructor(private readonly firms: Firms) {}

  /** Sizes the per-search arrays to the capabilities held. */
  fit(): void {
    this.relevantBit = grow(this.relevantBit, this.firms.capabilityCount);
  }

  /** Forgets every stamp (the stamp counter wrapped around). */
  forget(): void {
    this.heldStamp.fill(0);
    this.maskStamp.fill(0);
  }

  /** Starts a notice; its outcomes are pushed onto `outcomes` (outcome 0: nothing relevant held, or nothing asked). */
  prepare(notice: MatchNotice, today: string, stamp: number, outcomes: ProfileOutcome[]): void {
    this.notice = notice;
    this.current = stamp;
    this.outcomes = outcomes;
    if (this.heldToday !== today || this.heldOf.length < this.firms.profileCount) this.holdToday(today);

    this.reject.length = 0;
    this.delta.length = 0;
    this.outcomeByMask.clear();
    this.push(profileOutcome(notice.criteria, new Set()));
    this.maskStamp[0] = stamp;
    this.maskOutcome[0] = 0;
    // The capabilities the criteria ask about, as bits.
    for (const cap of this.relevantCaps) this.relevantBit[cap] = 0;
    this.relevantCaps = [];
    for (const name of profileCapabilities(notice.criteria)) {
      const cap = this.firms.capabilityId(name);
      if (cap === undefined) continue; // no firm holds it
      this.relevantCaps.push(cap);
      // Past 30 the bits run out: decide then builds the set (never seen in practice).
      this.relevantBit[cap] = this.relevantCaps.length <= 30 ? 1 << (this.relevantCaps.length - 1) : 0;
    }
  }

  /** The outcome of a set of capabilities in force for the current notice; one per relevant subset. */
  decide(held: number): number {
    const caps = this.heldSets[held];
    let o: number;
    if (this.relevantCaps.length <= 30) {
      let mask = 0;
      for (const cap of caps) mask |= this.relevantBit[cap];
      if (mask < 65536) {
        if (this.maskStamp[mask] === this.current) o = this.maskOutcome[mask];
        else {
          o = this.outcomeOfMask(mask);
          this.maskStamp[mask] = this.current;
          this.maskOutcome[mask] = o;
        }
      } else {
        o = this.outcomeByMask.get(mask) ?? this.outcomeOfMask(mask);
        this.outcomeByMask.set(mask, o);
      }
    } else {
      const names = caps.filter((cap) => this.relevantCaps.includes(cap)).map((cap) => this.firms.capabilityName(cap));
      o = this.push(profileOutcome(this.notice.criteria, new Set(names)));
    }
    this.heldStamp[held] = this.current;
    this.heldOutcome[held] = o;
    return o;
  }

  private holdToday(today: string): void {
    const { heldOf, sets } = this.firms.inForce(today);
    this.heldOf = heldOf;
    this.heldSets = sets;
    this.heldStamp = new Uint32Array(sets.length);
    this.heldOutcome = new Int32Array(sets.length);
    this.heldToday = today;
  }

  private push(outcome: ProfileOutcome): number {
    this.reject.push(!outcome.eligible ? INELIGIBLE : outcome.missing.length ? HAS_MISSING : 0);
    this.delta.push(outcome.scoreDelta);
    return this.outcomes.push(outcome) - 1;
  }

  private outcomeOfMask(mask: number): number {
    const held = new Set(this.relevantCaps.filter((_, i) => mask & (1 << i)).map((cap) => this.firms.capabilityName(cap)));
    return this.push(profileOutcome(this.notice.criteria, held));
  }
}
