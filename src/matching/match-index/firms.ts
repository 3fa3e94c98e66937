// Firms, numbered by company id, and their capability profiles, interned by
// content (each capability with its validUntil): a subscription carries its
// firm's profile as one integer, and the index keeps no MatchCompany alive.
import type { MatchCompany } from '../../domain/match.ts';
import { IntList } from './typed-lists.ts';

export class Firms {
  /** Company ids by firm number. */
  readonly companyIds: string[] = [];
  /** Company id → number; only while reading a batch of subscriptions (rebuilt from companyIds for a later one). */
  private companyNumbers: Map<string, number> | null = null;
  /** While reading one batch of subscriptions: by firm number, the object read and its profile. */
  private batchCompany: (MatchCompany | undefined)[] = [];
  private batchProfile: number[] = [];

  // Profiles: by profile p, its entries profileStart[p]…profileStart[p + 1] (capability, validUntil or -1).
  private readonly profileIds = new Map<string | number, number>();
  private readonly profileStart = new IntList();
  private readonly profileCap = new IntList();
  private readonly profileUntil = new IntList();
  private readonly capabilityIds = new Map<string, number>();
  private readonly capabilityNames: string[] = [];
  private readonly untilIds = new Map<string, number>();
  private readonly untilValues: string[] = [];

  constructor() {
    this.profileStart.push(0);
    this.profileIds.set('', 0); // profile 0: no capabilities
    this.profileStart.push(0);
  }

  get profileCount(): number {
    return this.profileIds.size;
  }

  get capabilityCount(): number {
    return this.capabilityNames.length;
  }

  get untilCount(): number {
    return this.untilValues.length;
  }

  /** A capability by number, and the number of a name (undefined: no firm holds it). */
  capabilityName(cap: number): string {
    return this.capabilityNames[cap];
  }

  capabilityId(name: string): number | undefined {
    return this.capabilityIds.get(name);
  }

  /** A firm's number, by company id. */
  number(company: MatchCompany): number {
    this.companyNumbers ??= new Map(this.companyIds.map((id, n) => [id, n]));
    let n = this.companyNumbers.get(company.id);
    if (n === undefined) {
      n = this.companyIds.push(company.id) - 1;
      this.companyNumbers.set(company.id, n);
    }
    return n;
  }

  /** The capability profile of firm `n`, read once per company object and batch (a snapshot); another object with the same id is read for itself. */
  profileOf(company: MatchCompany, n: number): number {
    if (this.batchCompany[n] === company) return this.batchProfile[n];
    const profile = this.profile(company.capabilities);
    this.batchCompany[n] = company;
    this.batchProfile[n] = profile;
    return profile;
  }

  /** Ends a batch: a later one reads its firms afresh. */
  endBatch(): void {
    this.batchCompany = [];
    this.batchProfile = [];
    this.companyNumbers = null;
  }

  /**
   * Capabilities in force on a day, as capabilitiesInForce decides (validUntil
   * compared as evaluate does): by profile, the number of its set in `sets`
   * (few distinct), each set a list of capability numbers.
   */
  inForce(today: string): { heldOf: Int32Array<ArrayBuffer>; sets: number[][] } {
    // Up to 31 capabilities (the taxonomy has 16) a set is a bit mask; past that, a list.
    const asMask = this.capabilityNames.length <= 31;
    const ids = new Map<string | number, number>([[asMask ? 0 : '', 0]]);
    const sets: number[][] = [[]];
    const heldOf = new Int32Array(this.profileIds.size);
    const { profileStart, profileCap, profileUntil } = this;
    const untilOk = this.untilValues.map((until) => until >= today);
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
      let id = ids.get(key);
      if (id === undefined) {
        id = sets.push(asMask ? this.capabilityNames.map((_, cap) => cap).filter((cap) => mask & (1 << cap)) : held) - 1;
        ids.set(key, id);
      }
      heldOf[p] = id;
    }
    return { heldOf, sets };
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
}
