// eval:matching: does Brygga alert firms to the tenders they go on to win?
// From files in the UHM statistics format (src/ingest/uhm.ts reads them):
//  1. every supplier of `history` gets the subscription Brygga suggests from
//     that history alone (src/domain/win-history.ts);
//  2. every procurement of `procurements` published within the period of
//     `actual` is matched by the match index and the firms' records
//     (src/matching/relevance.ts), as the worker does; no region filter;
//  3. per supplier in both files (by normalised name): which of its actual
//     wins were alerted, and how many alerts it had;
//  4. the same for three baselines: exactCodes (a procurement's code equals a
//     code won), currentRules (the codes won as subscriptions under the
//     rules alone), divisions (the divisions won as subscriptions).
import fs from 'node:fs';
import { normaliseLegalName } from '../domain/names.ts';
import type { MatchCompany, MatchNotice, MatchSubscription } from '../domain/match.ts';
import type { FirmRecord } from '../domain/relevance.ts';
import { countPrefixes, DEFAULT_MIN_SCORE, WinHistory, type Win } from '../domain/win-history.ts';
import { parseUhm } from '../ingest/uhm.ts';
import { noticeInputSchema, type NoticeInput } from '../notices/notice.schema.ts';
import { MatchIndex } from './match-index.ts';
import { matchNotice } from './match-engine.ts';
import { relevantMatches } from './relevance.ts';

export type StrategyFigures = { recall: number; alertsPerFirmMedian: number; alertsPerFirmP90: number; alerts: number };
export type EvaluationReport = {
  firms: number;
  wins: number;
  recall: number;
  alertsPerFirmMedian: number;
  alertsPerFirmP90: number;
  baselines: { exactCodes: StrategyFigures; currentRules: StrategyFigures; divisions: StrategyFigures };
  periods: { history: Period; actual: Period };
  candidates: number;
  minScore: number;
};
export type Period = { from: string; to: string };

type Procurement = { id: string; notice: NoticeInput; day: string };

/** The notices of a UHM file (unusable rows skipped, as ingest skips them), one per Upphandlings-ID. */
export async function readUhm(file: string): Promise<Procurement[]> {
  const byId = new Map<string, Procurement>();
  for await (const item of parseUhm(fs.createReadStream(file))) {
    if (!('notice' in item)) continue;
    const parsed = noticeInputSchema.safeParse(item.notice);
    if (!parsed.success || !parsed.data.publishedAt || !parsed.data.sourceId) continue;
    const notice = parsed.data;
    byId.set(parsed.data.sourceId, { id: parsed.data.sourceId, notice, day: parsed.data.publishedAt.slice(0, 10) });
  }
  return [...byId.values()];
}

function periodOf(list: Procurement[]): Period {
  if (!list.length) throw new Error('no dated rows');
  let from = list[0].day;
  let to = from;
  for (const p of list) {
    if (p.day < from) from = p.day;
    if (p.day > to) to = p.day;
  }
  return { from, to };
}

const within = (day: string, p: Period) => day >= p.from && day <= p.to;
const buyerKey = (n: NoticeInput) => n.buyer.orgNumber ?? normaliseLegalName(n.buyer.name);

/** One win per supplier (normalised name) and procurement. */
function winsOf(list: Procurement[]): Win[] {
  const wins: Win[] = [];
  for (const { id, notice } of list) {
    const firms = new Set(notice.awards.map((a) => normaliseLegalName(a.winner.name)).filter(Boolean));
    for (const firm of firms) wins.push({ firm, procurement: id, code: notice.cpv.main, buyer: buyerKey(notice), year: Number(notice.publishedAt!.slice(0, 4)), title: notice.title });
  }
  return wins;
}

const RULE_DEFAULTS = { includeParent: false, keywords: null, regions: [], minValue: null, maxValue: null, kinds: [], procedures: [], onlyCsr: false, strict: false };

function subscription(firm: string, cpv: string[], minScore: number | null = null): MatchSubscription {
  const company: MatchCompany = { id: firm, municipalityCode: '', capabilities: [] };
  return { id: firm, company, cpv, ...RULE_DEFAULTS, minScore };
}

/** The median, and the 90th percentile by nearest rank. */
function spread(counts: number[]): { median: number; p90: number } {
  const s = [...counts].sort((a, b) => a - b);
  if (!s.length) return { median: 0, p90: 0 };
  const mid = s.length >> 1;
  return { median: s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2, p90: s[Math.ceil(0.9 * s.length) - 1] };
}

/** Quarters between two days, inclusive (91.3 days each). */
export function quartersOf(p: Period): number {
  return (Date.parse(p.to) - Date.parse(p.from) + 86_400_000) / (91.3125 * 86_400_000);
}

/** The day three months after `day`, less one: the quarter from `day`. */
export function quarterEnd(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + 3);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

/**
 * The files to read: history and actual winners in files of their own, or one
 * winners file split at a day (`split`): history before it (from `from`, when
 * given), actual from it to `to` (the quarter from the split day by default).
 */
export type EvaluationFiles =
  | { history: string; procurements: string; actual: string }
  | { winners: string; procurements: string; split: string; from?: string; to?: string };

async function readLists(files: EvaluationFiles): Promise<[Procurement[], Procurement[], Procurement[]]> {
  if ('history' in files) return Promise.all([readUhm(files.history), readUhm(files.procurements), readUhm(files.actual)]);
  const [winners, procurements] = await Promise.all([readUhm(files.winners), readUhm(files.procurements)]);
  const to = files.to ?? quarterEnd(files.split);
  const history = winners.filter((p) => p.day < files.split && (!files.from || p.day >= files.from));
  const actual = winners.filter((p) => p.day >= files.split && p.day <= to);
  return [history, procurements, actual];
}

export async function evaluateMatching(files: EvaluationFiles, minScore = DEFAULT_MIN_SCORE): Promise<EvaluationReport> {
  const [historyList, procurementList, actualList] = await readLists(files);
  const periods = { history: periodOf(historyList), actual: periodOf(actualList) };

  // 1. Suggestions from history alone: the wins, and how many procurements each category had meanwhile.
  const volume = countPrefixes(procurementList.filter((p) => within(p.day, periods.history)).map((p) => p.notice.cpv.main));
  const history = new WinHistory(winsOf(historyList), volume, quartersOf(periods.history));
  const learned: MatchSubscription[] = [];
  const records = new Map<string, FirmRecord>();
  const codesWon = new Map<string, Set<string>>();
  for (const w of winsOf(historyList)) {
    let set = codesWon.get(w.firm);
    if (!set) codesWon.set(w.firm, (set = new Set()));
    set.add(w.code);
  }
  for (const firm of history.firmKeys) {
    const evidence = history.evidence([firm])!;
    learned.push(subscription(firm, evidence.subscriptionCategories(), minScore));
    records.set(firm, { evidence, notRelevant: [] });
  }

  // 3. The truth: each supplier's wins in the actual period; the suppliers in both files.
  const actualWins = new Map<string, Set<string>>();
  for (const w of winsOf(actualList)) {
    let set = actualWins.get(w.firm);
    if (!set) actualWins.set(w.firm, (set = new Set()));
    set.add(w.procurement);
  }
  const firms = [...actualWins.keys()].filter((f) => history.has(f));

  // 2. Every procurement published in the actual period, through each strategy.
  const candidates = procurementList.filter((p) => within(p.day, periods.actual));
  const alerts = { learned: new Map<string, Set<string>>(), exactCodes: new Map<string, Set<string>>(), currentRules: new Map<string, Set<string>>(), divisions: new Map<string, Set<string>>() };
  const alert = (to: Map<string, Set<string>>, firm: string, id: string) => {
    let set = to.get(firm);
    if (!set) to.set(firm, (set = new Set()));
    set.add(id);
  };
  const learnedRules = new Map(learned.map((s) => [s.id, s]));
  const indexes = {
    learned: new MatchIndex(learned),
    currentRules: new MatchIndex([...codesWon].map(([firm, codes]) => subscription(firm, [...codes]))),
    divisions: new MatchIndex([...codesWon].map(([firm, codes]) => subscription(firm, [...new Set([...codes].map((c) => `${c.slice(0, 2)}000000`))]))),
  };
  const firmsByCode = new Map<string, string[]>();
  for (const [firm, codes] of codesWon) for (const c of codes) firmsByCode.set(c, [...(firmsByCode.get(c) ?? []), firm]);
  const today = periods.actual.from;
  const noRecords = { records: new Map<string, FirmRecord>(), rule: () => undefined, anyMinScore: false };
  for (const p of candidates) {
    const notice: MatchNotice = matchNotice(p.id, p.notice);
    for (const r of relevantMatches(indexes.learned.match(notice, today).results, notice, { records, rule: (id) => learnedRules.get(id), anyMinScore: true })) {
      alert(alerts.learned, r.companyId, p.id);
    }
    for (const r of relevantMatches(indexes.currentRules.match(notice, today).results, notice, noRecords)) alert(alerts.currentRules, r.companyId, p.id);
    for (const r of relevantMatches(indexes.divisions.match(notice, today).results, notice, noRecords)) alert(alerts.divisions, r.companyId, p.id);
    for (const firm of firmsByCode.get(p.notice.cpv.main) ?? []) alert(alerts.exactCodes, firm, p.id);
  }

  let wins = 0;
  for (const f of firms) wins += actualWins.get(f)!.size;
  const figures = (to: Map<string, Set<string>>): StrategyFigures => {
    let hit = 0;
    let total = 0;
    const counts: number[] = [];
    for (const f of firms) {
      const got = to.get(f) ?? new Set<string>();
      counts.push(got.size);
      total += got.size;
      for (const id of actualWins.get(f)!) if (got.has(id)) hit++;
    }
    const { median, p90 } = spread(counts);
    return { recall: wins ? hit / wins : 0, alertsPerFirmMedian: median, alertsPerFirmP90: p90, alerts: total };
  };
  const method = figures(alerts.learned);
  return {
    firms: firms.length,
    wins,
    recall: method.recall,
    alertsPerFirmMedian: method.alertsPerFirmMedian,
    alertsPerFirmP90: method.alertsPerFirmP90,
    baselines: { exactCodes: figures(alerts.exactCodes), currentRules: figures(alerts.currentRules), divisions: figures(alerts.divisions) },
    periods,
    candidates: candidates.length,
    minScore,
  };
}
