// Holds the subscription index in memory and applies the match rules to
// stored notices (the match worker) and to drafts (the officers' reach preview).
// The index follows the subscriptions revision: the changes since the revision
// it holds are applied one by one (index_changes, src/matching/live-match-index.ts);
// at start, after a gap in the feed, or after FOLD_AFTER changes it is rebuilt.
import type { Db } from '../../db/database.ts';
import { capabilitiesInForce, isRequirement, requirementLabel, EFORMS_CRITERIA, RESERVED_ELIGIBLE, satisfies, type Label } from '../domain/csr.ts';
import { parseKeywords, Words } from '../domain/keywords.ts';
import { stockholmDate } from '../domain/dates.ts';
import { alertKind, subscriptionTakes, type AlertKind } from '../domain/alerts.ts';
import { bestPerCompany, cpvCandidates, evaluate, hasCsrCriteria, type StoredFilters, type MatchCompany, type MatchNotice, type MatchResult, type MatchSubscription } from '../domain/match.ts';
import { inTransaction } from '../../db/database.ts';
import type { NoticeRow } from '../notices/notices.repo.ts';
import { noticeCodes, type NoticeInput } from '../notices/notice.schema.ts';
import * as notices from '../notices/notices.repo.ts';
import { explainExpired } from './expired.ts';
import type { MatchResults } from './match-index.ts';
import { FOLD_AFTER, LiveMatchIndex } from './live-match-index.ts';
import * as feed from './index-changes.repo.ts';
import { normaliseLegalName } from '../domain/names.ts';
import { rescore, type FirmRecord } from '../domain/relevance.ts';
import { loadFirmRecords, loadWinHistory } from './firm-records.service.ts';
import { awardsMark } from './history.repo.ts';
import type { WinHistory } from '../domain/win-history.ts';
import { standingResults, type Rescoring } from './relevance.ts';
import * as repo from './matching.repo.ts';
import { PlaceResolver } from '../regions/notice-place.ts';

export type MatchOutcome = {
  matched: string[];
  /** Firms to alert now: an instant subscription that takes this kind of notice matched, and the notice invites firms now. */
  instant: string[];
};

/** What the engine keeps of each active subscription besides the index. */
type SubscriptionInfo = { companyId: string; frequency: string; kinds: string[]; rule: MatchSubscription };

export type Reach = { total: number; local: number };

const ALL = { words: true, place: true };
const NO_WORDS = new Words([]);
const NO_PLACE: MatchNotice['place'] = { municipalities: [], nuts: [] };
/** Notices matched between turns of the event loop, and matches written per transaction, in a backfill. */
const TURN = 250;
const WRITE_BATCH = 100;
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

export type ReachPreview = {
  firms: Reach;
  criteria: { criterion: string; label: Label; meeting: Reach; withoutIt: Reach }[];
  lots: { lotId: string; title: string | null; firms: Reach }[];
};


/** What the rules need of a notice, given its words and place when they are asked about. */
export function matchNotice(id: string, notice: NoticeInput, words: Words = NO_WORDS, place: MatchNotice['place'] = NO_PLACE): MatchNotice {
  return {
    id,
    kind: notice.kind,
    codes: noticeCodes(notice),
    words,
    place,
    value: notice.estimatedValue,
    procedure: notice.procedure,
    criteria: notice.criteria,
    buyer: notice.buyer.orgNumber ?? normaliseLegalName(notice.buyer.name),
    title: notice.title,
  };
}

/** Told how long the index took to rebuild or to follow changes (and its size) and to match a notice, for the metrics. */
export type MatchObserver = {
  rebuilt(seconds: number, rules: number): void;
  followed?(seconds: number, changes: number, rules: number): void;
  applied(seconds: number): void;
};

export class MatchEngine {
  private index = new LiveMatchIndex();
  private revision = -1;
  /** The refresh under way: each waits for the one before, so changes are applied once and in order. */
  private refreshing: Promise<void> = Promise.resolve();
  private subscriptions = new Map<string, SubscriptionInfo>();
  private companies = new Map<string, MatchCompany>();
  /** Each firm's award history and "inte relevant" (src/domain/relevance.ts), reloaded with the subscriptions. */
  private records = new Map<string, FirmRecord>();
  /** The award history the records were built from, and the awards it was read at (history.repo.ts awardsMark). */
  private history: { wins: WinHistory; mark: string } | null = null;
  private anyMinScore = false;
  readonly places: PlaceResolver;

  constructor(
    private readonly db: Db,
    private readonly localArea: string[],
    private readonly alertMaxAgeDays = 30,
    private readonly observer: MatchObserver | null = null,
  ) {
    this.places = new PlaceResolver(db);
  }

  /** Brings the index up to the subscriptions revision as it is when called. */
  refresh(): Promise<void> {
    const next = this.refreshing.then(() => this.catchUp());
    this.refreshing = next.catch(() => undefined);
    return next;
  }

  /** Applies the changes since the revision held, or rebuilds when they cannot be followed (see the header). */
  private async catchUp(): Promise<void> {
    const revision = await repo.subscriptionsRevision(this.db);
    if (revision === this.revision) return;
    const changes = this.revision < 0 ? null : await feed.changesSince(this.db, this.revision, revision);
    if (changes && this.index.changes + changes.length <= FOLD_AFTER) {
      const started = performance.now();
      const firms = new Set<string>();
      for (const change of changes) {
        if (change.kind === 'company') await this.applyFirm(change.ref!);
        else await this.applySubscription(change.ref!);
        const firm = change.kind === 'company' ? change.ref! : this.subscriptions.get(change.ref!)?.companyId;
        if (firm) firms.add(firm);
      }
      this.index.settle();
      await this.followRecords([...firms]);
      this.observer?.followed?.((performance.now() - started) / 1000, changes.length, this.subscriptions.size);
      this.revision = revision;
      return;
    }
    await this.rebuild(revision);
  }

  /** Reloads every subscription and firm, and lays the index out anew. */
  private async rebuild(revision: number): Promise<void> {
    const started = performance.now();
    const { subscriptions: subs, codes, capabilities, companies } = await repo.loadMatchData(this.db);
    this.companies = new Map(companies.map((c) => [c.id, { id: c.id, municipalityCode: c.municipality_code, capabilities: [] }]));
    for (const c of capabilities) this.companies.get(c.company_id)?.capabilities.push({ capability: c.capability, validUntil: c.valid_until });
    const cpvBySub = new Map<string, string[]>();
    for (const c of codes) cpvBySub.set(c.subscription_id, [...(cpvBySub.get(c.subscription_id) ?? []), c.code]);
    this.subscriptions = new Map(subs.map((s) => {
      const filters = JSON.parse(s.filters) as StoredFilters;
      const rule = this.subscription(s.id, this.companies.get(s.company_id)!, cpvBySub.get(s.id) ?? [], filters);
      return [s.id, { companyId: s.company_id, frequency: s.frequency, kinds: filters.kinds ?? [], rule }];
    }));
    this.index = new LiveMatchIndex([...this.subscriptions.values()].map((s) => s.rule));
    await this.readRecords();
    this.anyMinScore = [...this.subscriptions.values()].some((s) => s.rule.minScore !== null);
    this.revision = revision;
    this.observer?.rebuilt((performance.now() - started) / 1000, this.subscriptions.size);
  }

  /** Every firm's record (award history, "inte relevant"), from the award history as it is now. */
  private async readRecords(): Promise<void> {
    const mark = await awardsMark(this.db);
    const wins = await loadWinHistory(this.db);
    this.records = await loadFirmRecords(this.db, wins);
    this.history = { wins, mark };
  }

  /**
   * The records of the firms whose changes were just applied (a new firm finds
   * its history, a firm's "inte relevant" counts at once); all of them when
   * awards were added or removed since the history was read.
   */
  private async followRecords(firms: string[]): Promise<void> {
    if (!this.history || this.history.mark !== (await awardsMark(this.db))) return this.readRecords();
    const fresh = await loadFirmRecords(this.db, this.history.wins, firms);
    for (const id of firms) {
      const record = fresh.get(id);
      if (record) this.records.set(id, record);
      else this.records.delete(id);
    }
  }

  /** A firm's profile changed: the firm as stored now, and each of its subscriptions with it. */
  private async applyFirm(companyId: string): Promise<void> {
    const firm = await this.loadFirm(companyId);
    if (!firm) this.companies.delete(companyId);
    for (const id of await feed.subscriptionIdsOf(this.db, companyId)) await this.applySubscription(id);
  }

  /** A subscription added, changed, paused or removed: the index holds its rule as stored now, or forgets it. */
  private async applySubscription(id: string): Promise<void> {
    const row = await feed.loadSubscription(this.db, id);
    const company = row?.active ? this.companies.get(row.company_id) ?? (await this.loadFirm(row.company_id)) : undefined;
    if (!row || !company) {
      this.subscriptions.delete(id);
      this.index.remove(id);
      return;
    }
    const filters = JSON.parse(row.filters) as StoredFilters;
    const rule = this.subscription(id, company, row.codes, filters);
    this.subscriptions.set(id, { companyId: row.company_id, frequency: row.frequency, kinds: filters.kinds ?? [], rule });
    this.index.put(rule);
    if (rule.minScore !== null) this.anyMinScore = true; // left on when it goes: only the cheap path is lost until the next rebuild
  }

  /** A firm as stored now, held as the engine's (undefined: gone). */
  private async loadFirm(companyId: string): Promise<MatchCompany | undefined> {
    const firm = await feed.loadFirm(this.db, companyId);
    if (!firm) return undefined;
    const company = { id: firm.id, municipalityCode: firm.municipality_code, capabilities: firm.capabilities.map((c) => ({ capability: c.capability, validUntil: c.valid_until })) };
    this.companies.set(company.id, company);
    return company;
  }

  private subscription(id: string, company: MatchCompany, cpv: string[], f: StoredFilters): MatchSubscription {
    return {
      id,
      company,
      cpv,
      includeParent: f.includeParent ?? false,
      keywords: f.keywords ? parseKeywords(f.keywords) : null,
      regions: (f.regions ?? []).flatMap((r) => (r === 'local' ? this.localArea : [r])),
      minValue: f.minValue ?? null,
      maxValue: f.maxValue ?? null,
      kinds: f.kinds ?? [],
      procedures: f.procedures ?? [],
      onlyCsr: f.onlyCsr ?? false,
      strict: f.strict ?? false,
      minScore: f.minScore ?? null,
    };
  }

  /**
   * What the rules need of a notice. `need`: one subscription's rule asks about
   * words only with keywords and about the place only with regions, so the
   * text analysis and the place (a postcode lookup) may be left out.
   */
  async prepare(id: string, notice: NoticeInput, need: { words: boolean; place: boolean } = ALL): Promise<MatchNotice> {
    const text = () => [notice.title, notice.description ?? '', ...notice.lots.map((l) => l.title ?? '')].join(' ');
    return matchNotice(id, notice, need.words ? Words.of(text()) : NO_WORDS, need.place ? await this.places.place(notice) : NO_PLACE);
  }

  private async run(notice: MatchNotice, now: Date): Promise<MatchResults> {
    await this.refresh();
    const started = performance.now();
    const { results } = this.index.match(notice, stockholmDate(now));
    this.observer?.applied((performance.now() - started) / 1000);
    return results;
  }

  private rescoring(): Rescoring {
    return { records: this.records, rule: (id) => this.subscriptions.get(id)?.rule, anyMinScore: this.anyMinScore };
  }

  /** Whether a stored notice invites firms now, and as what (see domain/alerts.ts). */
  alertKind(row: NoticeRow, now: Date): AlertKind | null {
    return alertKind(notices.alertFacts(row), now, this.alertMaxAgeDays);
  }

  /** Whether this subscription should hear about a notice alerted as `alert`. */
  takes(subscriptionId: string, alert: AlertKind): boolean {
    const sub = this.subscriptions.get(subscriptionId);
    return !!sub && subscriptionTakes(sub.kinds, alert);
  }

  /** Matches a stored notice and records one match per firm. Idempotent. */
  async matchStored(noticeId: string, now = new Date()): Promise<MatchOutcome> {
    const row = await notices.findById(this.db, noticeId);
    if (!row || row.status !== 'active') return { matched: [], instant: [] };
    const alert = this.alertKind(row, now);
    const notice = await this.prepare(row.id, notices.storedDocument(row));
    const results = await this.run(notice, now);
    const today = stockholmDate(now);
    const rescoring = this.rescoring();
    // Without records or minimum scores the compact results stand as they are (the common case, kept cheap).
    const rescored = rescoring.records.size || rescoring.anyMinScore;
    const standing = rescored ? standingResults(results, notice, rescoring) : null;
    const best = (standing ? bestPerCompany(standing) : results.bestPerCompany()).map((r) => explainExpired(r, this.companies.get(r.companyId)!.capabilities, today));
    // Each firm's matching subscriptions, and the firms with an instant one, in one pass over the results that stand.
    const subscriptionIds = new Map<string, string[]>();
    const instantCompanies = new Set<string>();
    const count = standing ? standing.length : results.size;
    for (let i = 0; i < count; i++) {
      const companyId = standing ? standing[i].companyId : results.companyId(i);
      const subscriptionId = standing ? standing[i].subscriptionId : results.subscriptionId(i);
      const ids = subscriptionIds.get(companyId);
      if (ids) ids.push(subscriptionId);
      else subscriptionIds.set(companyId, [subscriptionId]);
      if (alert && this.subscriptions.get(subscriptionId)?.frequency === 'instant' && this.takes(subscriptionId, alert)) instantCompanies.add(companyId);
    }
    await inTransaction(this.db, async (trx) => {
      await repo.deleteMatchesExcept(trx, noticeId, best.map((r) => r.companyId));
      for (const r of best) await repo.saveMatch(trx, noticeId, { ...r, subscriptionIds: subscriptionIds.get(r.companyId)! });
    });
    const matched = best.map((r) => r.companyId);
    return { matched, instant: matched.filter((id) => instantCompanies.has(id)) };
  }

  /**
   * Matches one new or changed subscription against every notice that invites
   * firms now, and records the matches (beside those of the firm's other
   * subscriptions). Returns the notices it should hear about.
   *
   * Only notices with a CPV code that can meet the subscription's categories
   * are read (`cpvCandidates`: no other can match), and of each only what the
   * rule asks about is prepared. The event loop gets a turn every few hundred
   * notices, and matches are written 100 to a transaction, so neither the
   * requests of an inline process nor other writers wait behind a large backfill.
   */
  async matchSubscription(subscriptionId: string, now = new Date()): Promise<string[]> {
    await this.refresh();
    const sub = this.subscriptions.get(subscriptionId);
    if (!sub) return []; // removed or paused since
    const { rule } = sub;
    const today = stockholmDate(now);
    const need = { words: rule.keywords !== null, place: rule.regions.length > 0 };
    const rows = await repo.listOpenNoticesWithCodes(this.db, now, this.alertMaxAgeDays, cpvCandidates(rule.cpv, rule.includeParent));
    const found: { noticeId: string; result: MatchResult }[] = [];
    for (let i = 0; i < rows.length; i++) {
      if (i % TURN === TURN - 1) await nextTurn();
      const row = rows[i];
      const alert = this.alertKind(row, now);
      if (!alert || !subscriptionTakes(sub.kinds, alert)) continue;
      const notice = await this.prepare(row.id, notices.storedDocument(row), need);
      const evaluated = evaluate(notice, rule, today);
      const result = evaluated && rescore(evaluated, notice, rule, this.records.get(sub.companyId));
      if (result) found.push({ noticeId: row.id, result: explainExpired(result, rule.company.capabilities, today) });
    }
    for (let from = 0; from < found.length; from += WRITE_BATCH) {
      if (from > 0) await nextTurn();
      const batch = found.slice(from, from + WRITE_BATCH);
      await inTransaction(this.db, async (trx) => {
        const existing = await repo.findMatches(trx, sub.companyId, batch.map((f) => f.noticeId));
        for (const { noticeId, result } of batch) {
          const current = existing.get(noticeId);
          const ids = [...new Set([...(current ? (JSON.parse(current.subscription_ids) as string[]) : []), subscriptionId])];
          if (current && current.score >= result.score) await repo.setMatchSubscriptions(trx, noticeId, sub.companyId, ids);
          else await repo.saveMatch(trx, noticeId, { ...result, subscriptionIds: ids });
        }
      });
    }
    return found.map((f) => f.noticeId);
  }

  /**
   * How many firms a draft would reach, local and in all, and how each CSR
   * criterion and each lot changes that: officers see before publishing
   * whether local firms can take part. Nothing is stored.
   *
   * Work is bounded by the draft's size, never by its size times itself: the
   * requirements (a closed list, each once) are all weighed in one match of
   * the draft without them (`withoutRequirements`); the reserved criterion
   * takes one more match and each lot one over its own codes. The event loop
   * is given a turn between matches.
   */
  async preview(draft: NoticeInput, now = new Date()): Promise<ReachPreview> {
    await this.refresh();
    const notice = await this.prepare('preview', draft);
    const today = stockholmDate(now);
    const local = new Set(this.localArea);
    const heldBy = new Map<string, Set<string>>();
    const held = (companyId: string) => {
      let set = heldBy.get(companyId);
      if (!set) heldBy.set(companyId, (set = capabilitiesInForce(this.companies.get(companyId)!.capabilities, today)));
      return set;
    };
    const match = async (n: MatchNotice): Promise<MatchResults> => {
      await new Promise((resolve) => setImmediate(resolve)); // let /healthz and others in between matches
      return this.index.match(n, today).results;
    };
    const firmsOf = (results: MatchResults): Set<string> => {
      const firms = new Set<string>();
      for (let i = 0; i < results.size; i++) firms.add(results.companyId(i));
      return firms;
    };
    const count = (firms: Iterable<string>): Reach => {
      let total = 0;
      let inArea = 0;
      for (const id of firms) {
        total++;
        if (local.has(this.companies.get(id)!.municipalityCode)) inArea++;
      }
      return { total, local: inArea };
    };
    const where = (firms: Set<string>, test: (companyId: string) => boolean) => [...firms].filter(test);

    const firms = firmsOf(await match(notice));
    const criteria: ReachPreview['criteria'] = [];
    const requirements = [...new Set(notice.criteria.requirements)];
    if (requirements.length) {
      const withoutIt = await this.withoutEachRequirement(notice, requirements, match, held);
      for (const requirement of requirements) {
        criteria.push({
          criterion: `requirement:${requirement}`,
          label: isRequirement(requirement) ? requirementLabel(requirement) : { sv: requirement, en: requirement },
          meeting: count(where(firms, (id) => satisfies(requirement, held(id)))),
          withoutIt: count(withoutIt.get(requirement)!),
        });
      }
    }
    if (notice.criteria.reserved.includes('res-ws')) {
      const without = { ...notice, criteria: { ...notice.criteria, reserved: notice.criteria.reserved.filter((r) => r !== 'res-ws') } };
      const open = firmsOf(await match(without));
      criteria.push({
        criterion: 'reserved:res-ws',
        label: EFORMS_CRITERIA.reserved['res-ws'],
        meeting: count(where(open, (id) => RESERVED_ELIGIBLE.some((c) => held(id).has(c)))),
        withoutIt: count(open),
      });
    }
    const lots: ReachPreview['lots'] = [];
    const codesByLot = new Map<string, MatchNotice['codes']>();
    for (const code of notice.codes) {
      if (code.lotId === null) continue;
      const codes = codesByLot.get(code.lotId);
      if (codes) codes.push(code);
      else codesByLot.set(code.lotId, [code]);
    }
    // Lots with the same codes reach the same firms: one match for each set of codes.
    const reachByCodes = new Map<string, Reach>();
    for (const lot of draft.lots) {
      const codes = codesByLot.get(lot.id);
      if (!codes) continue;
      const key = codes.map((c) => `${c.code}${c.isMain ? '*' : ''}`).join(' ');
      let firms = reachByCodes.get(key);
      if (!firms) reachByCodes.set(key, (firms = count(firmsOf(await match({ ...notice, codes })))));
      lots.push({ lotId: lot.id, title: lot.title, firms });
    }
    return { firms: count(firms), criteria, lots };
  }

  /**
   * For each requirement, the firms the draft would reach without it, from one
   * match of the draft without any requirement. Requirements decide only
   * whether a strict subscription takes the notice (every requirement met) —
   * and, through "CSR criteria at all", an onlyCsr one. So a firm is reached
   * without R when one of its subscriptions matches the draft without
   * requirements and is not strict, or is strict and R is all it misses.
   * The draft keeps its "has CSR criteria" when every variant has it: a GPP
   * code stands in (GPP codes decide nothing else in matching).
   */
  private async withoutEachRequirement(
    notice: MatchNotice,
    requirements: string[],
    match: (n: MatchNotice) => Promise<MatchResults>,
    held: (companyId: string) => Set<string>,
  ): Promise<Map<string, Set<string>>> {
    const none = { ...notice.criteria, requirements: [] };
    const csrInEveryVariant = requirements.length > 1 || hasCsrCriteria(none);
    const loose = { ...notice, criteria: csrInEveryVariant && !hasCsrCriteria(none) ? { ...none, gpp: ['other'] } : none };
    const results = await match(loose);
    const missing = new Map<string, string[]>();
    const missingOf = (companyId: string) => {
      let list = missing.get(companyId);
      if (!list) missing.set(companyId, (list = requirements.filter((r) => !satisfies(r, held(companyId)))));
      return list;
    };
    const reached = new Map(requirements.map((r) => [r, new Set<string>()]));
    for (let i = 0; i < results.size; i++) {
      const companyId = results.companyId(i);
      if (!this.subscriptions.get(results.subscriptionId(i))?.rule.strict) {
        for (const firms of reached.values()) firms.add(companyId);
        continue;
      }
      const lacks = missingOf(companyId);
      if (lacks.length === 0) for (const firms of reached.values()) firms.add(companyId);
      else if (lacks.length === 1) reached.get(lacks[0])!.add(companyId);
    }
    return reached;
  }
}
