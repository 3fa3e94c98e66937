// npm run bench:match [-- --subscriptions 1000000] [--notices 2000] [--sample 20] [--seed 1] [--changes 1000] [--json]
// Builds synthetic subscriptions in memory (realistic CPV spread, Zipf-like
// skew towards popular divisions), indexes them as the match engine does
// (LiveMatchIndex: with no changes held, exactly MatchIndex) and times
// index.match per notice (compact results) against matchBruteForce, the
// every-subscription baseline, on a sample of the same notices: the index's
// results, materialised as MatchResult objects, and its best per firm must
// equal brute force's. Also times materialising (best per firm, every result).
// With --changes, applies that many random changes one by one (edits,
// inserts, deletes, firms' profiles) as the engine does — put or remove, then
// settle — timing each, then times every notice again with the changes held
// and checks the sample against brute force over the changed subscriptions.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { PerformanceObserver } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parse } from 'csv-parse/sync';
import { CPV_DIVISIONS, cpvPrefix } from '../../src/domain/cpv.ts';
import { CAPABILITIES, EFORMS_CRITERIA, REQUIREMENTS, type HeldCapability } from '../../src/domain/csr.ts';
import { parseKeywords, Words } from '../../src/domain/keywords.ts';
import { bestPerCompany, type MatchCompany, type MatchNotice, type MatchResult, type MatchSubscription, type NoticeCode } from '../../src/domain/match.ts';
import { matchBruteForce, type MatchResults } from '../../src/matching/match-index.ts';
import { FOLD_AFTER, LiveMatchIndex } from '../../src/matching/live-match-index.ts';
import { mulberry32 } from './random.ts';

const { values } = parseArgs({
  options: {
    subscriptions: { type: 'string', default: '1000000' },
    notices: { type: 'string', default: '2000' },
    sample: { type: 'string', default: '20' },
    seed: { type: 'string', default: '1' },
    changes: { type: 'string', default: '0' },
    json: { type: 'boolean', default: false },
  },
});
const SUBSCRIPTIONS = Number(values.subscriptions);
const NOTICES = Number(values.notices);
const SAMPLE = Math.min(Number(values.sample), NOTICES);
const CHANGES = Number(values.changes);
const TODAY = '2026-11-27';
const TARGETS = { p99Ms: 10, evaluatedPct: 5, speedup: 100, changeApplyP99Ms: 5 };

const random = mulberry32(Number(values.seed));
const chance = (p: number) => random() < p;
const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
/** Picks by weight; `cumulative` is the running sum of the weights. */
const pickWeighted = <T>(list: readonly T[], cumulative: number[]): T => {
  const x = random() * cumulative[cumulative.length - 1];
  let i = 0;
  while (cumulative[i] <= x) i++;
  return list[i];
};
const cumulate = (weights: number[]) => weights.reduce<number[]>((acc, w) => [...acc, (acc.at(-1) ?? 0) + w], []);

// --- CPV codes: the real list when the shared data is there -------------------

const CPV_CSV = new URL('../../../shared/data/cpv/cpv_2008_sv_en.csv', import.meta.url);
let cpvSource: string;
let cpv: { code: string; label: string }[];
if (existsSync(CPV_CSV)) {
  cpv = (parse(readFileSync(CPV_CSV), { columns: true }) as { code: string; label_sv: string }[]).map((r) => ({ code: r.code, label: r.label_sv }));
  cpvSource = `CPV 2008, ${cpv.length} codes from ${fileURLToPath(CPV_CSV)}`;
} else {
  // Structurally valid codes under every division, about as many as the real list.
  cpv = [];
  for (const [division, label] of Object.entries(CPV_DIVISIONS)) {
    const add = (prefix: string) => cpv.push({ code: prefix.padEnd(8, '0'), label: label.sv });
    add(division);
    for (let g = 1; g <= 5; g++) {
      add(`${division}${g}`);
      for (let c = 1; c <= 4; c++) {
        add(`${division}${g}${c}`);
        for (let k = 1; k <= 3; k++) {
          add(`${division}${g}${c}${k}`);
          for (let s = 1; s <= 2; s++) add(`${division}${g}${c}${k}${s}00`);
        }
      }
    }
  }
  cpvSource = `GENERATED ${cpv.length} codes from CPV_DIVISIONS (shared CPV list not found at ${fileURLToPath(CPV_CSV)})`;
}

// Levels by significant digits: 2 division, 3 group, 4 class, 5 category, 6+ subcategory.
const LEVELS = [2, 3, 4, 5, 6] as const;
const levelOf = (code: string) => Math.min(cpvPrefix(code).length, 6);
const byDivisionLevel = new Map<string, { code: string; label: string }[]>();
for (const entry of cpv) {
  const key = `${entry.code.slice(0, 2)}:${levelOf(entry.code)}`;
  const list = byDivisionLevel.get(key);
  if (list) list.push(entry);
  else byDivisionLevel.set(key, [entry]);
}

// Zipf-like (s = 1) over divisions, the ones local firms register most first.
const POPULAR = ['45', '90', '72', '79', '50', '33', '34', '71', '55', '15', '30', '39', '77', '80', '85', '60', '44', '48', '92', '98', '31', '42', '09', '18', '22', '24', '32', '35', '37', '38', '43', '51', '63', '64', '65', '66', '70', '73', '75', '76', '03', '14', '16', '19', '41'];
const divisions = [...POPULAR.filter((d) => Object.hasOwn(CPV_DIVISIONS, d)), ...Object.keys(CPV_DIVISIONS).filter((d) => !POPULAR.includes(d))];
const divisionWeights = cumulate(divisions.map((_, rank) => 1 / (rank + 1)));

/** A code in the division at the level, or the nearest level the division has. */
function codeAt(division: string, level: number): { code: string; label: string } {
  for (const l of [level, ...LEVELS.filter((x) => x !== level).sort((a, b) => Math.abs(a - level) - Math.abs(b - level))]) {
    const list = byDivisionLevel.get(`${division}:${l}`);
    if (list?.length) return pick(list);
  }
  throw new Error(`no CPV code in division ${division}`);
}

// Firms register groups and classes more than whole divisions or single products.
const SUB_LEVELS = cumulate([5, 20, 35, 30, 10]);
// Buyers code notices finely; about 5 % use a division-level ("broad") code.
const NOTICE_LEVELS = cumulate([5, 5, 15, 45, 30]);

// --- subscriptions -------------------------------------------------------------

const LOCAL = ['1441', '1402', '1480', '1401'];
const REGION_CHOICES = [['1441'], ['1441', '1402', '1480', '1401'], ['1480'], ['SE232'], ['SE2'], ['1441', 'SE232']];
const KEYWORDS = ['städning', 'skola', 'förskola', 'snöröjning', 'catering', 'ventilation', 'tak', 'målning', 'asfalt', 'konsult', 'drift', 'support', 'mejeri', 'fönster', 'el', 'transport', 'underhåll', 'reparation'];
const PROCEDURES = ['open', 'restricted', 'neg-w-call', 'comp-dial', 'innovation'];
const CAPABILITY_CODES = Object.keys(CAPABILITIES);

function company(id: number): MatchCompany {
  const capabilities: HeldCapability[] = [];
  for (let i = int(0, 3); i > 0; i--) {
    const validUntil = chance(0.5) ? null : pick(['2025-12-31', '2026-06-30', '2027-06-30', '2028-12-31']);
    capabilities.push({ capability: pick(CAPABILITY_CODES), validUntil });
  }
  return { id: `c${id}`, municipalityCode: pick([...LOCAL, '0180', '1280', '1490']), capabilities };
}

function subscription(id: number, firm: MatchCompany): MatchSubscription {
  const division = pickWeighted(divisions, divisionWeights);
  const codes = [codeAt(division, pickWeighted(LEVELS, SUB_LEVELS)).code];
  // A second or third category, mostly in the same division.
  for (let i = chance(0.4) ? int(1, 2) : 0; i > 0; i--) {
    codes.push(codeAt(chance(0.7) ? division : pickWeighted(divisions, divisionWeights), pickWeighted(LEVELS, SUB_LEVELS)).code);
  }
  const ranged = chance(0.1);
  const keywords = chance(0.1) ? [pick(KEYWORDS), ...(chance(0.3) ? [`-${pick(KEYWORDS)}`] : [])].join(' ') : null;
  return {
    id: `s${id}`,
    company: firm,
    cpv: codes,
    includeParent: chance(0.2),
    keywords: keywords ? parseKeywords(keywords) : null,
    regions: chance(0.3) ? [...pick(REGION_CHOICES)] : [],
    minValue: ranged ? pick([0, 100_000, 500_000, 2_000_000]) : null,
    maxValue: ranged && chance(0.7) ? pick([1_000_000, 5_000_000, 25_000_000]) : null,
    kinds: chance(0.05) ? ['tender'] : [],
    procedures: chance(0.05) ? ['open'] : [],
    onlyCsr: chance(0.05),
    strict: chance(0.05),
  };
}

// --- notices -------------------------------------------------------------------

const someOf = (list: string[], p: number) => list.filter(() => chance(p));

function notice(id: number): MatchNotice {
  const division = pickWeighted(divisions, divisionWeights);
  const main = codeAt(division, pickWeighted(LEVELS, NOTICE_LEVELS));
  const codes: NoticeCode[] = [{ code: main.code, lotId: null, isMain: true }];
  for (let i = chance(0.3) ? int(1, 2) : 0; i > 0; i--) codes.push({ code: codeAt(division, int(4, 6)).code, lotId: null, isMain: false });
  const titles = [main.label];
  for (let lot = 1, lots = chance(0.2) ? int(2, 4) : 0; lot <= lots; lot++) {
    const code = codeAt(chance(0.8) ? division : pickWeighted(divisions, divisionWeights), int(4, 6));
    codes.push({ code: code.code, lotId: `LOT-000${lot}`, isMain: true });
    titles.push(code.label);
  }
  const local = chance(0.6);
  const withCriteria = chance(0.4);
  return {
    id: `n${id}`,
    kind: pick(['tender', 'tender', 'tender', 'planning', 'award', 'change']),
    codes,
    words: Words.of(`${titles.join(', ')} ${local ? 'Lerums kommun' : 'Region'}`),
    place: local ? { municipalities: [pick(LOCAL)], nuts: ['SE232'] } : { municipalities: [], nuts: [pick(['SE110', 'SE224', 'SE123', 'SE331'])] },
    value: chance(0.3) ? null : { amount: Math.round(10 ** (5 + 3 * random())), currency: chance(0.05) ? 'EUR' : 'SEK' },
    procedure: chance(0.1) ? null : pick(PROCEDURES),
    criteria: {
      strategic: withCriteria ? someOf(Object.keys(EFORMS_CRITERIA.strategic), 0.4) : [],
      social: withCriteria ? someOf(Object.keys(EFORMS_CRITERIA.social), 0.15) : [],
      green: withCriteria ? someOf(Object.keys(EFORMS_CRITERIA.green), 0.15) : [],
      gpp: withCriteria && chance(0.2) ? ['eu'] : [],
      reserved: chance(0.02) ? ['res-ws'] : [],
      smeSuitable: pick([true, false, null]),
      requirements: withCriteria ? someOf(Object.keys(REQUIREMENTS), 0.12) : [],
    },
  };
}

// --- run -----------------------------------------------------------------------

const log = (line = '') => console.log(line);
const fmt = (n: number, digits = 2) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];

log(`CPV source: ${cpvSource}`);
let started = performance.now();
const firms = Array.from({ length: Math.ceil(SUBSCRIPTIONS / 1.5) }, (_, i) => company(i));
const subscriptions = Array.from({ length: SUBSCRIPTIONS }, (_, i) => subscription(i, pick(firms)));
const notices = Array.from({ length: NOTICES }, (_, i) => notice(i));
log(`generated ${SUBSCRIPTIONS.toLocaleString('en-US')} subscriptions (${firms.length.toLocaleString('en-US')} firms) and ${NOTICES} notices in ${fmt((performance.now() - started) / 1000)} s`);

// A real gc() for the memory figures, with or without --expose-gc.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
// Collected twice, a moment apart, so freed array buffers are released; `external` includes them.
const footprint = async () => {
  gc();
  await new Promise((resolve) => setTimeout(resolve, 100));
  gc();
  const m = process.memoryUsage();
  return { heap: m.heapUsed, external: m.external };
};

const beforeIndex = await footprint();
started = performance.now();
let index = new LiveMatchIndex(subscriptions);
index.match(notices[0], TODAY);
const buildMs = performance.now() - started;
const afterIndex = await footprint();
const rssMb = process.memoryUsage().rss / 2 ** 20;
const heapMb = (afterIndex.heap - beforeIndex.heap) / 2 ** 20;
const typedMb = (afterIndex.external - beforeIndex.external) / 2 ** 20;
log(`built index in ${fmt(buildMs / 1000)} s; RSS ${fmt(rssMb, 0)} MB, of which ${fmt(beforeIndex.heap / 2 ** 20, 0)} MB is heap the bench holds before indexing (the subscription objects brute force needs, firms, notices); the index adds ${fmt(heapMb, 0)} MB of heap and ${fmt(typedMb, 0)} MB of typed arrays`);

// GC pauses while timing: the tail of a search is mostly the collector's.
const gcPauses: number[] = [];
const gcObserver = new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) gcPauses.push(entry.duration);
});

// Warm the JIT on a few notices, then time every notice.
for (const n of notices.slice(0, 50)) index.match(n, TODAY);
const times: number[] = [];
const indexResults = new Map<string, MatchResults>();
const sampleEvery = Math.max(1, Math.floor(NOTICES / SAMPLE));
const sampled = notices.filter((_, i) => i % sampleEvery === 0).slice(0, SAMPLE);
const sampledIds = new Set(sampled.map((n) => n.id));
let evaluated = 0;
let matched = 0;
const matchCounts: number[] = [];
gcObserver.observe({ entryTypes: ['gc'] });
for (const n of notices) {
  const t = performance.now();
  const r = index.match(n, TODAY);
  times.push(performance.now() - t);
  evaluated += r.evaluated;
  matched += r.results.size;
  matchCounts.push(r.results.size);
  if (sampledIds.has(n.id)) indexResults.set(n.id, r.results);
}
await new Promise((resolve) => setTimeout(resolve, 50)); // let the observer deliver
gcObserver.disconnect();
const sorted = [...times].sort((a, b) => a - b);
// A notice reaches every firm registered below its broadest code: the tail comes from broad codes.
const LEVEL_NAMES = ['division', 'group', 'class', 'category or finer'];
const broadest = (n: MatchNotice) => Math.min(...n.codes.map((c) => Math.min(cpvPrefix(c.code).length, 5))) - 2;
const byLevel = LEVEL_NAMES.map((name, level) => {
  const at = notices.map((n, i) => i).filter((i) => broadest(notices[i]) === level);
  const t = at.map((i) => times[i]).sort((a, b) => a - b);
  return { name, count: at.length, matches: at.reduce((sum, i) => sum + matchCounts[i], 0) / (at.length || 1), p50: quantile(t, 0.5), p99: quantile(t, 0.99) };
});
const indexMean = times.reduce((a, b) => a + b, 0) / times.length;
const slowest = notices[times.indexOf(sorted.at(-1)!)];

// What the match worker stores: one MatchResult (with reasons) per firm. And every result as objects.
const timeOf = (work: (n: MatchNotice) => void) => {
  const t = notices.slice(0, 200).map((n) => {
    const at = performance.now();
    work(n);
    return performance.now() - at;
  });
  return t.sort((a, b) => a - b);
};
const meanOf = (t: number[]) => t.reduce((a, b) => a + b, 0) / t.length;
const withBest = timeOf((n) => index.match(n, TODAY).results.bestPerCompany());
const withAll = timeOf((n) => index.match(n, TODAY).results.toArray());

// Brute force on the sample; results must agree with the index, materialised (every result, and best per firm).
const key = (results: MatchResult[]) => JSON.stringify([...results].sort((a, b) => (a.subscriptionId < b.subscriptionId ? -1 : 1)));
const byCompany = (results: MatchResult[]) => JSON.stringify([...results].sort((a, b) => (a.companyId < b.companyId ? -1 : 1)));
let bruteMs = 0;
for (const n of sampled) {
  const t = performance.now();
  const results = matchBruteForce(subscriptions, n, TODAY);
  bruteMs += performance.now() - t;
  const compact = indexResults.get(n.id)!;
  if (key(results) !== key(compact.toArray()) || byCompany(bestPerCompany(results)) !== byCompany(compact.bestPerCompany())) {
    throw new Error(`index and brute force disagree on notice ${n.id} (${n.codes.map((c) => c.code).join(', ')})`);
  }
}
const bruteMean = bruteMs / sampled.length;

// --- changes, applied one at a time as the engine applies the change feed ----------

type Changes = { apply: number[]; kinds: Record<string, number>; folds: number[]; after: number[] };
function applyChanges(count: number): Changes {
  const current = new Map(subscriptions.map((s) => [s.id, s]));
  const byFirm = new Map<string, string[]>();
  for (const s of subscriptions) byFirm.set(s.company.id, [...(byFirm.get(s.company.id) ?? []), s.id]);
  const ids = subscriptions.map((s) => s.id);
  const out: Changes = { apply: [], kinds: { edit: 0, insert: 0, delete: 0, profile: 0 }, folds: [], after: [] };
  let next = SUBSCRIPTIONS;
  for (let k = 0; k < count; k++) {
    const action = random();
    const id = pick(ids);
    const sub = current.get(id);
    const t = performance.now();
    if (action < 0.4 && sub) {
      const edited = { ...subscription(next++, sub.company), id };
      current.set(id, edited);
      index.put(edited);
      out.kinds.edit++;
    } else if (action < 0.7) {
      const added = subscription(next++, pick(firms));
      current.set(added.id, added);
      ids.push(added.id);
      byFirm.set(added.company.id, [...(byFirm.get(added.company.id) ?? []), added.id]);
      index.put(added);
      out.kinds.insert++;
    } else if (action < 0.9 || !sub) {
      current.delete(id);
      index.remove(id);
      out.kinds.delete++;
    } else {
      // A firm's profile: each of its subscriptions again, with the new capabilities.
      const firm = { ...company(0), id: sub.company.id };
      for (const sid of byFirm.get(firm.id) ?? []) {
        const held = current.get(sid);
        if (!held || held.company.id !== firm.id) continue;
        const moved = { ...held, company: firm };
        current.set(sid, moved);
        index.put(moved);
      }
      out.kinds.profile++;
    }
    index.settle();
    out.apply.push(performance.now() - t);
    // The engine rebuilds past FOLD_AFTER changes (from the database; here from memory, so a lower bound).
    if (index.changes > FOLD_AFTER) {
      const f = performance.now();
      index = new LiveMatchIndex(current.values());
      index.match(notices[0], TODAY);
      out.folds.push(performance.now() - f);
    }
  }
  // Every notice again, the changes held; the sample against brute force over the changed subscriptions.
  for (const n of notices.slice(0, 50)) index.match(n, TODAY);
  for (const n of notices) {
    const t = performance.now();
    index.match(n, TODAY);
    out.after.push(performance.now() - t);
  }
  out.after.sort((a, b) => a - b);
  for (const n of sampled) {
    const expected = matchBruteForce(current.values(), n, TODAY);
    const compact = index.match(n, TODAY).results;
    if (key(expected) !== key(compact.toArray()) || byCompany(bestPerCompany(expected)) !== byCompany(compact.bestPerCompany())) {
      throw new Error(`after the changes, index and brute force disagree on notice ${n.id}`);
    }
  }
  out.apply.sort((a, b) => a - b);
  return out;
}
const changes = CHANGES > 0 ? applyChanges(CHANGES) : null;

const result = {
  subscriptions: SUBSCRIPTIONS,
  p50Ms: Number(quantile(sorted, 0.5).toFixed(3)),
  p99Ms: Number(quantile(sorted, 0.99).toFixed(3)),
  evaluatedPct: Number(((100 * evaluated) / (NOTICES * SUBSCRIPTIONS)).toFixed(3)),
  speedupVsBruteForce: Number((bruteMean / indexMean).toFixed(1)),
  rssMb: Math.round(rssMb),
  ...(changes && {
    changes: CHANGES,
    changeApplyP50Ms: Number(quantile(changes.apply, 0.5).toFixed(3)),
    changeApplyP99Ms: Number(quantile(changes.apply, 0.99).toFixed(3)),
    p99AfterChangesMs: Number(quantile(changes.after, 0.99).toFixed(3)),
    folds: changes.folds.length,
  }),
};
const verdict = (ok: boolean) => (ok ? 'ok' : 'MISSED');
log();
log(`index.match over ${NOTICES} notices (after 50 warm-up searches), ${fmt(matched / NOTICES, 1)} matches per notice, compact results`);
log(`  p50      ${fmt(result.p50Ms, 3).padStart(10)} ms`);
log(`  p99      ${fmt(result.p99Ms, 3).padStart(10)} ms   target ≤ ${TARGETS.p99Ms} ms     ${verdict(result.p99Ms <= TARGETS.p99Ms)}`);
log(`  max      ${fmt(sorted.at(-1)!, 3).padStart(10)} ms   (${slowest.id}: ${slowest.codes.map((c) => c.code).join(', ')})`);
log(`  mean     ${fmt(indexMean, 3).padStart(10)} ms`);
log(`  by the notice's broadest code:`);
for (const l of byLevel.filter((x) => x.count)) {
  log(`    ${l.name.padEnd(18)} ${String(l.count).padStart(5)} notices, ${fmt(l.matches, 0).padStart(9)} matches each, p50 ${fmt(l.p50, 3)} ms, p99 ${fmt(l.p99, 3)} ms`);
}
log(`  per candidate ${fmt((1e6 * times.reduce((a, b) => a + b, 0)) / evaluated, 0)} ns`);
log(`  GC while timing: ${gcPauses.length} pauses, ${fmt(gcPauses.reduce((a, b) => a + b, 0), 1)} ms in all, longest ${fmt(Math.max(0, ...gcPauses), 1)} ms`);
log(`  evaluated ${fmt(result.evaluatedPct, 3).padStart(9)} %    target ≤ ${TARGETS.evaluatedPct} %      ${verdict(result.evaluatedPct <= TARGETS.evaluatedPct)}`);
log(`with MatchResult objects, first 200 notices:`);
log(`  + bestPerCompany() (what the worker stores)  p50 ${fmt(quantile(withBest, 0.5), 3)} ms, p99 ${fmt(quantile(withBest, 0.99), 3)} ms, mean ${fmt(meanOf(withBest), 3)} ms`);
log(`  + toArray() (every result, with reasons)     p50 ${fmt(quantile(withAll, 0.5), 3)} ms, p99 ${fmt(quantile(withAll, 0.99), 3)} ms, mean ${fmt(meanOf(withAll), 3)} ms`);
log(`matchBruteForce on ${sampled.length} of the same notices (same results, same best per firm): mean ${fmt(bruteMean, 1)} ms`);
log(`  speedup  ${fmt(result.speedupVsBruteForce, 1).padStart(10)} ×    target ≥ ${TARGETS.speedup} ×     ${verdict(result.speedupVsBruteForce >= TARGETS.speedup)}`);
log(`  (with MatchResult objects built as brute force builds them: ${fmt(bruteMean / meanOf(withAll), 1)} × every result, ${fmt(bruteMean / meanOf(withBest), 1)} × best per firm)`);
if (changes) {
  const kinds = Object.entries(changes.kinds).map(([kind, n]) => `${n} ${kind}`).join(', ');
  log(`${CHANGES} changes applied one by one (${kinds}; put or remove, then settle), each:`);
  log(`  p50      ${fmt(result.changeApplyP50Ms!, 3).padStart(10)} ms`);
  log(`  p99      ${fmt(result.changeApplyP99Ms!, 3).padStart(10)} ms   target ≤ ${TARGETS.changeApplyP99Ms} ms      ${verdict(result.changeApplyP99Ms! <= TARGETS.changeApplyP99Ms)}`);
  log(`  max      ${fmt(changes.apply.at(-1)!, 3).padStart(10)} ms`);
  if (changes.folds.length) log(`  folded into one index ${changes.folds.length} times (past ${FOLD_AFTER} changes): ${changes.folds.map((f) => fmt(f / 1000)).join(', ')} s (from memory; the engine reads the database too)`);
  log(`index.match over the ${NOTICES} notices again, ${index.changes} changes held (the sample agrees with brute force over the changed subscriptions):`);
  log(`  p50      ${fmt(quantile(changes.after, 0.5), 3).padStart(10)} ms`);
  log(`  p99      ${fmt(result.p99AfterChangesMs!, 3).padStart(10)} ms   target ≤ ${TARGETS.p99Ms} ms     ${verdict(result.p99AfterChangesMs! <= TARGETS.p99Ms)}`);
}
log(`RSS after build ${fmt(rssMb, 0)} MB`);
if (values.json) console.log(JSON.stringify(result));
