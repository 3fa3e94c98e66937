// Local-supplier share statistics (issue 14). Figures are counted in SQL over
// two derived tables (one row per procurement, one per contract), which this
// service keeps in step with the notices: before figures are read, the notices
// updated since the last look are derived again (a withdrawn one loses its
// rows), and when anything a supplier's place depends on has changed (firms,
// workplaces, the supplier register, staff's name decisions, postcodes) every
// contract's place is decided again.
import { inTransaction, type Db } from '../../db/database.ts';
import { LOCALITY_LEVELS, LOCALITY_RULES, contractTypeOfCpv, nearest, resolveLocality, type HomeArea, type KnownSupplier, type LocalityLevel, type Lookups, type Winner } from '../domain/locality.ts';
import { normaliseLegalName } from '../domain/names.ts';
import { previousPeriod, share, yearsBefore, youngBy, type Period } from '../domain/periods.ts';
import { stockholmDate } from '../domain/dates.ts';
import { COUNTY_NUTS3 } from '../domain/regions.ts';
import { DEFINITIONS } from './definitions.ts';
import * as repo from './stats.repo.ts';

/**
 * `homeOrg`: the home municipality's organisation (its organisationsnummer), to
 * which an invoice file without a buyer column belongs; by default Lerums
 * kommun's when the home municipality is Lerum (1441), else none (such lines
 * then count only for all buyers).
 */
export type StatsSettings = { homeMunicipality: string; localArea: string[]; homeOrg?: string | null };
export type StatFilter = repo.StatFilter;

/** The home municipality's organisation (organisationsnummer, 10 digits), or null when not known. */
export const homeOrgOf = (s: StatsSettings): string | null => orgKey(s.homeOrg) ?? (s.homeMunicipality === '1441' ? '2120001447' : null);
const areaOf = (s: StatsSettings): HomeArea => ({ home: s.homeMunicipality, localArea: s.localArea });
const homeNuts3 = (s: StatsSettings) => COUNTY_NUTS3[s.homeMunicipality.slice(0, 2)] ?? null;

/** 10 digits of an organisationsnummer (a 12-digit one loses its century), or null. */
export function orgKey(value: string | null | undefined): string | null {
  if (!value) return null;
  const digits = value.replace(/\D/g, '');
  if (digits.length === 10) return digits;
  if (digits.length === 12) return digits.slice(2);
  return null;
}

// ---------------------------------------------------------------------------
// Keeping the derived tables in step

const running = new WeakMap<Db, Promise<RefreshResult>>();
export type RefreshResult = { notices: number; relocated: number };

/** Brings the derived tables up to date; concurrent callers share one run. */
export function refreshStats(db: Db, settings: StatsSettings): Promise<RefreshResult> {
  let run = running.get(db);
  if (!run) {
    run = doRefresh(db, settings).finally(() => running.delete(db));
    running.set(db, run);
  }
  return run;
}

/** Lookups, with postcodes and the sizes firms state in their profiles (by company id). */
type LoadedLookups = Lookups & { postal: Map<string, string>; firmSizes: Map<string, string> };

const SIZE_VALUES = new Set(['micro', 'small', 'medium', 'large']);

/** A contract's size: the award's; where it gives none, the winning firm's own (its profile). */
function sizeOf(awardSize: string | null, companyId: string | null, lookups: LoadedLookups): { size: string | null; size_source: string | null } {
  if (awardSize) return { size: awardSize, size_source: 'award' };
  const own = companyId ? lookups.firmSizes.get(companyId) : undefined;
  return own ? { size: own, size_source: 'firm' } : { size: null, size_source: null };
}

async function loadLookups(db: Db): Promise<LoadedLookups> {
  const [firms, register, decisions, postal] = await Promise.all([repo.firmPlaces(db), repo.registerPlaces(db), repo.nameDecisions(db), repo.postalMunicipalities(db)]);
  const firmsByOrg = new Map<string, KnownSupplier>();
  const registerByOrg = new Map<string, KnownSupplier>();
  const byName: Lookups['byName'] = new Map();
  const firmSizes = new Map<string, string>();
  const addName = (key: string, k: KnownSupplier & { source: 'firm' | 'register' }) => {
    if (!key) return;
    const list = byName.get(key) ?? [];
    if (!list.some((c) => c.orgNumber === k.orgNumber && c.source === k.source)) list.push(k);
    byName.set(key, list);
  };
  for (const f of firms) {
    const org = orgKey(f.org_number);
    if (!org) continue;
    const k: KnownSupplier = { orgNumber: org, companyId: f.id, municipalities: [f.municipality_code, ...(f.workplaces ? f.workplaces.split(' ') : [])] };
    firmsByOrg.set(org, k);
    if (f.size && SIZE_VALUES.has(f.size)) firmSizes.set(f.id, f.size);
    addName(normaliseLegalName(f.name), { ...k, source: 'firm' });
  }
  for (const r of register) {
    const k = registerByOrg.get(r.org_number) ?? { orgNumber: r.org_number, companyId: firmsByOrg.get(r.org_number)?.companyId ?? null, municipalities: [] };
    k.municipalities.push(r.municipality_code);
    registerByOrg.set(r.org_number, k);
  }
  for (const r of register) addName(r.name_key, { ...registerByOrg.get(r.org_number)!, source: 'register' });
  // Firms before register entries for the same name.
  for (const list of byName.values()) list.sort((a, b) => (a.source === b.source ? 0 : a.source === 'firm' ? -1 : 1));
  return {
    firmsByOrg, registerByOrg, byName, postal, firmSizes,
    decisions: new Map(decisions.map((d) => [`${d.name_key} ${d.org_number}`, d.decision as 'confirmed' | 'rejected'])),
  };
}

/**
 * Notices are read from the last `updated_at` seen on (inclusive), skipping
 * those already derived at that same instant with the same revision: a
 * notice's `updated_at` is taken inside its write transaction, and SQLite has
 * one writer at a time, so a later commit never carries an earlier time.
 */
async function doRefresh(db: Db, settings: StatsSettings): Promise<RefreshResult> {
  const fingerprint = await repo.lookupFingerprint(db);
  let lookups: LoadedLookups | null = null;
  const since = (await repo.getState(db, 'notices.since')) ?? '';
  const seen: Record<string, number> = JSON.parse((await repo.getState(db, 'notices.boundary')) ?? '{}');
  let cursor: { at: string; id: string } | null = null;
  let maxAt = since;
  let boundary: Record<string, number> = { ...seen };
  let notices = 0;
  for (;;) {
    const rows = await repo.changedNotices(db, since, cursor, 500);
    if (!rows.length) break;
    cursor = { at: rows[rows.length - 1].updated_at, id: rows[rows.length - 1].id };
    const todo = rows.filter((r) => !(r.updated_at === since && seen[r.id] === r.revision));
    if (todo.length) {
      lookups ??= await loadLookups(db);
      const loaded = lookups;
      await inTransaction(db, async (trx) => {
        const facts = await repo.noticeFacts(trx, todo.map((r) => r.id));
        const { procurements, contracts } = derive(todo, facts, loaded, settings);
        await repo.replaceStatRows(trx, todo.map((r) => r.id), procurements, contracts);
      });
      notices += todo.length;
    }
    for (const r of rows) {
      if (r.updated_at > maxAt) { maxAt = r.updated_at; boundary = {}; }
      if (r.updated_at === maxAt) boundary[r.id] = r.revision;
    }
  }
  if (notices) {
    await repo.setState(db, 'notices.since', maxAt);
    await repo.setState(db, 'notices.boundary', JSON.stringify(boundary));
  }
  let relocated = 0;
  if (fingerprint !== (await repo.getState(db, 'lookups'))) {
    relocated = await relocateAll(db, lookups ?? (await loadLookups(db)), settings);
    await repo.setState(db, 'lookups', fingerprint);
  }
  return { notices, relocated };
}

/** Decides every contract's place again; returns how many changed. */
async function relocateAll(db: Db, lookups: LoadedLookups, settings: StatsSettings): Promise<number> {
  let changed = 0;
  for (let after = ''; ; ) {
    const rows = await repo.contractPlaces(db, after, 5000);
    if (!rows.length) break;
    after = rows[rows.length - 1].award_id;
    const updates: repo.PlacedContract[] = [];
    for (const r of rows) {
      const place = resolveLocality(
        { orgNumber: r.winner_org, nameKey: r.name_key, addressMunicipality: r.address_municipality, nuts: r.winner_nuts }, lookups, areaOf(settings), homeNuts3(settings),
      );
      // The award's own size stays; otherwise the (new) winning firm's profile decides.
      const size = r.size_source === 'award' ? { size: r.size, size_source: r.size_source } : sizeOf(null, place.companyId, lookups);
      if (place.level !== r.level || place.rule !== r.rule || place.municipality !== r.municipality_code || place.matchedOrg !== r.matched_org || place.companyId !== r.company_id
        || size.size !== r.size || size.size_source !== r.size_source) {
        updates.push({ ...r, level: place.level, rule: place.rule, municipality_code: place.municipality, matched_org: place.matchedOrg, company_id: place.companyId, ...size });
      }
    }
    if (updates.length) await inTransaction(db, async (trx) => { for (const u of updates) await repo.updateContractPlace(trx, u); });
    changed += updates.length;
  }
  return changed;
}

/** A stored date or time → its day in Sweden; a bare day stays as it is. */
function dayOf(value: string | null): string | null {
  if (!value) return null;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  const t = Date.parse(value);
  return Number.isNaN(t) ? null : stockholmDate(new Date(t));
}

const COUNTED_KINDS = new Set(['tender', 'award']);

/** The derived rows of some notices (nothing for a withdrawn notice, a planning notice or a lone change). */
export function derive(notices: repo.ChangedNotice[], facts: repo.NoticeFacts, lookups: LoadedLookups, settings: StatsSettings) {
  const procurements: repo.StatProcurementRow[] = [];
  const contracts: repo.StatContractRow[] = [];
  const group = <T extends { notice_id: string }>(rows: T[]) => {
    const m = new Map<string, T[]>();
    for (const r of rows) m.set(r.notice_id, [...(m.get(r.notice_id) ?? []), r]);
    return m;
  };
  const awards = group(facts.awards);
  const criteria = group(facts.criteria);
  const cpv = new Map(facts.cpv.map((c) => [c.notice_id, c.code]));
  for (const n of notices) {
    if (n.status === 'withdrawn' || !COUNTED_KINDS.has(n.kind)) continue;
    const own = awards.get(n.id) ?? [];
    const direct = n.source === 'local' && n.kind === 'award';
    const awardDays = own.map((a) => a.awarded_on).filter((d): d is string => !!d).sort();
    const day = direct && awardDays.length ? awardDays[0] : dayOf(n.published_at);
    const c = criteria.get(n.id) ?? [];
    const has = (kind: string, code?: string) => c.some((x) => x.kind === kind && (!code || x.code === code));
    const main = cpv.get(n.id) ?? null;
    const base = {
      notice_id: n.id, buyer_org: orgKey(n.buyer_org), day, source: n.source, direct: direct ? 1 : 0, procedure: n.procedure,
      contract_type: contractTypeOfCpv(main), cpv_division: main ? main.slice(0, 2) : null,
      social: has('strategic', 'soc-obj') || has('social') ? 1 : 0,
      environmental: has('strategic', 'env-imp') || has('green') || has('gpp') ? 1 : 0,
      innovation: has('strategic', 'inn-pur') ? 1 : 0,
      reserved: has('reserved') ? 1 : 0,
    };
    procurements.push({ ...base, contracts: own.length });
    for (const a of own) {
      const nuts = a.winner_nuts;
      const postal = a.winner_postal_code?.replace(/\s/g, '') ?? null;
      const addressMunicipality = postal && (!nuts || nuts.startsWith('SE')) ? (lookups.postal.get(postal) ?? null) : null;
      const winner: Winner = { orgNumber: orgKey(a.winner_org_number), nameKey: normaliseLegalName(a.winner_name), addressMunicipality, nuts };
      const place = resolveLocality(winner, lookups, areaOf(settings), homeNuts3(settings));
      contracts.push({
        ...base, award_id: a.id, ...sizeOf(a.winner_size, place.companyId, lookups), amount: a.currency === 'SEK' ? a.amount : null, tenders_received: a.tenders_received,
        winner_name: a.winner_name, winner_org: winner.orgNumber, name_key: winner.nameKey, address_municipality: addressMunicipality, winner_nuts: nuts,
        level: place.level, rule: place.rule, municipality_code: place.municipality, matched_org: place.matchedOrg, company_id: place.companyId,
      });
    }
  }
  return { procurements, contracts };
}

// ---------------------------------------------------------------------------
// Figures

export type Fraction = { numerator: number; denominator: number; unknown: number; share: number | null };
const fraction = (numerator: number, denominator: number, unknown: number): Fraction => ({ numerator, denominator, unknown, share: share(numerator, denominator) });

const SIZES = ['micro', 'small', 'medium', 'large'] as const;
const CSR = ['social', 'environmental', 'innovation', 'reserved'] as const;
type Csr = (typeof CSR)[number];

/** The local level the headline figures count: a workplace in the home municipality. */
const LOCAL: LocalityLevel = 'home';

type Core = Awaited<ReturnType<typeof coreFigures>>;

async function coreFigures(db: Db, f: StatFilter) {
  const [groups, procGroups] = await Promise.all([repo.contractGroups(db, f), repo.procurementGroups(db, f)]);
  const byLevel = Object.fromEntries(LOCALITY_LEVELS.map((l) => [l, { count: 0, value: 0, valued: 0 }])) as Record<LocalityLevel, { count: number; value: number; valued: number }>;
  const rules = Object.fromEntries(LOCALITY_RULES.map((r) => [r, 0])) as Record<string, number>;
  const bySize: Record<(typeof SIZES)[number] | 'unknown', number> = { micro: 0, small: 0, medium: 0, large: 0, unknown: 0 };
  const sizeSources = { award: 0, firm: 0, unknown: 0 };
  const csrLocal = Object.fromEntries(CSR.map((k) => [k, { local: 0, known: 0, unknown: 0 }])) as Record<Csr, { local: number; known: number; unknown: number }>;
  const tenders = { local: { sum: 0, n: 0 }, other: { sum: 0, n: 0 }, all: { sum: 0, n: 0 }, unknown: 0 };
  let contracts = 0;
  for (const g of groups) {
    const level = (LOCALITY_LEVELS as readonly string[]).includes(g.level) ? (g.level as LocalityLevel) : 'unknown';
    contracts += g.contracts;
    byLevel[level].count += g.contracts;
    byLevel[level].value += g.amount ?? 0;
    byLevel[level].valued += g.valued;
    rules[g.rule] = (rules[g.rule] ?? 0) + g.contracts;
    const sized = (SIZES as readonly string[]).includes(g.size ?? '');
    bySize[sized ? (g.size as (typeof SIZES)[number]) : 'unknown'] += g.contracts;
    sizeSources[!sized ? 'unknown' : g.size_source === 'firm' ? 'firm' : 'award'] += g.contracts;
    for (const k of CSR) {
      if (!g[k]) continue;
      if (level === 'unknown') csrLocal[k].unknown += g.contracts;
      else {
        csrLocal[k].known += g.contracts;
        if (level === LOCAL) csrLocal[k].local += g.contracts;
      }
    }
    tenders.all.sum += g.tenders ?? 0;
    tenders.all.n += g.tendered;
    tenders.unknown += g.contracts - g.tendered;
    if (level === LOCAL) { tenders.local.sum += g.tenders ?? 0; tenders.local.n += g.tendered; }
    else if (level !== 'unknown') { tenders.other.sum += g.tenders ?? 0; tenders.other.n += g.tendered; }
  }
  let procurements = 0;
  let direct = 0;
  const csrCount: Record<Csr, number> = { social: 0, environmental: 0, innovation: 0, reserved: 0 };
  for (const g of procGroups) {
    procurements += g.procurements;
    direct += g.direct ?? 0;
    for (const k of CSR) if (g[k]) csrCount[k] += g.procurements;
  }
  const knownCount = contracts - byLevel.unknown.count;
  const knownValue = LOCALITY_LEVELS.filter((l) => l !== 'unknown').reduce((s, l) => s + byLevel[l].value, 0);
  const valuedKnown = LOCALITY_LEVELS.filter((l) => l !== 'unknown').reduce((s, l) => s + byLevel[l].valued, 0);
  const sizeKnown = contracts - bySize.unknown;
  const mean = (t: { sum: number; n: number }) => (t.n ? t.sum / t.n : null);
  return {
    procurements, directAwards: direct, contracts,
    localShare: {
      count: fraction(byLevel[LOCAL].count, knownCount, byLevel.unknown.count),
      value: fraction(byLevel[LOCAL].value, knownValue, contracts - valuedKnown),
      byLevel: Object.fromEntries(LOCALITY_LEVELS.map((l) => [l, { count: byLevel[l].count, value: byLevel[l].value, countShare: l === 'unknown' ? null : share(byLevel[l].count, knownCount), valueShare: l === 'unknown' ? null : share(byLevel[l].value, knownValue) }])),
      rules,
    },
    contractsBySize: bySize, sizeSources,
    smeShare: fraction(bySize.micro + bySize.small + bySize.medium, sizeKnown, bySize.unknown),
    csrShare: Object.fromEntries(CSR.map((k) => [k, { ...fraction(csrCount[k], procurements, 0), localWins: fraction(csrLocal[k].local, csrLocal[k].known, csrLocal[k].unknown) }])) as Record<Csr, Fraction & { localWins: Fraction }>,
    competition: { meanTenders: mean(tenders.all), known: tenders.all.n, unknown: tenders.unknown, local: mean(tenders.local), nonLocal: mean(tenders.other) },
  };
}

export type Overview = ReturnType<typeof presentOverview>;

/** The overview of a period and buyer, with the period before beside each figure. */
export async function overview(db: Db, settings: StatsSettings, period: Period, buyerOrg: string | null) {
  await refreshStats(db, settings);
  const previous = previousPeriod(period);
  const [now, before] = await Promise.all([coreFigures(db, { ...period, buyerOrg }), coreFigures(db, { ...previous, buyerOrg })]);
  return presentOverview(settings, period, previous, buyerOrg, now, before);
}

function presentOverview(settings: StatsSettings, period: Period, previous: Period, buyerOrg: string | null, now: Core, before: Core) {
  return {
    period, previousPeriod: previous, buyer: buyerOrg, home: settings.homeMunicipality, localArea: settings.localArea,
    procurements: { definition: DEFINITIONS.procurements, count: now.procurements, directAwards: now.directAwards, previous: before.procurements },
    contracts: { definition: DEFINITIONS.contracts, count: now.contracts, previous: before.contracts },
    localShare: {
      definition: { count: DEFINITIONS.localShareCount, value: DEFINITIONS.localShareValue, levels: DEFINITIONS.levels },
      count: now.localShare.count, value: now.localShare.value, byLevel: now.localShare.byLevel, rules: now.localShare.rules,
      previous: { count: before.localShare.count, value: before.localShare.value, byLevel: before.localShare.byLevel },
    },
    smeShare: {
      definition: DEFINITIONS.smeShare, ...now.smeShare, bySize: now.contractsBySize, sources: now.sizeSources,
      previous: { ...before.smeShare, bySize: before.contractsBySize, sources: before.sizeSources },
    },
    csrShare: { definition: DEFINITIONS.csrShare, ...now.csrShare, previous: before.csrShare },
    competition: { definition: DEFINITIONS.competition, ...now.competition, previous: before.competition },
  };
}

/** Contracts by one dimension (contract type, CPV division, procedure, size, buyer, source), per level. */
export async function breakdown(db: Db, settings: StatsSettings, period: Period, buyerOrg: string | null, by: repo.Breakdown) {
  await refreshStats(db, settings);
  const rows = await repo.breakdownGroups(db, { ...period, buyerOrg }, by);
  const keys = new Map<string, { key: string | null; contracts: number; byLevel: Record<string, { count: number; value: number }> }>();
  for (const r of rows) {
    const k = String(r.key);
    const entry = keys.get(k) ?? { key: r.key, contracts: 0, byLevel: Object.fromEntries(LOCALITY_LEVELS.map((l) => [l, { count: 0, value: 0 }])) };
    entry.contracts += r.contracts;
    entry.byLevel[r.level] = { count: r.contracts, value: r.amount ?? 0 };
    keys.set(k, entry);
  }
  const list = [...keys.values()].sort((a, b) => b.contracts - a.contracts).map((e) => {
    const unknown = e.byLevel.unknown.count;
    return { ...e, localShare: fraction(e.byLevel[LOCAL].count, e.contracts - unknown, unknown) };
  });
  return { period, buyer: buyerOrg, by, definition: DEFINITIONS.localShareCount, rows: list };
}

export async function reach(db: Db, settings: StatsSettings, period: Period, buyerOrg: string | null) {
  await refreshStats(db, settings);
  const f = { ...period, buyerOrg };
  const home = [settings.homeMunicipality];
  const [r, prev, conv] = await Promise.all([
    repo.reachRows(db, f, home), repo.reachRows(db, { ...previousPeriod(period), buyerOrg }, home), repo.conversionRows(db, f, home),
  ]);
  return {
    period, buyer: buyerOrg,
    reach: { definition: DEFINITIONS.reach, ...fraction(r.reached, r.procurements, 0), alertsPerProcurement: r.procurements ? r.alerts / r.procurements : null, localFirmsAlerted: r.alerts, previous: fraction(prev.reached, prev.procurements, 0) },
    conversion: { definition: DEFINITIONS.conversion, ...fraction(conv.won, conv.alerted, 0) },
  };
}

export async function capabilities(db: Db, settings: StatsSettings, period: Period) {
  const home = [settings.homeMunicipality];
  const [now, before] = await Promise.all([repo.capabilityRows(db, home, period.to), repo.capabilityRows(db, home, previousPeriod(period).to)]);
  const prev = new Map(before.capabilities.map((c) => [c.capability, c.firms]));
  return {
    period, definition: DEFINITIONS.capabilities, localFirms: now.firms, previousLocalFirms: before.firms,
    capabilities: now.capabilities.map((c) => ({
      capability: c.capability, ...fraction(c.firms, now.firms, 0), previous: fraction(prev.get(c.capability) ?? 0, before.firms, 0),
    })),
  };
}

/** Name matches of the period for staff to confirm or reject. */
export async function nameMatches(db: Db, settings: StatsSettings, period: Period, buyerOrg: string | null) {
  await refreshStats(db, settings);
  const rows = await repo.nameMatches(db, { ...period, buyerOrg }, 500);
  return rows.map((r) => ({ nameKey: r.name_key, winnerName: r.winner_name, orgNumber: r.matched_org, confirmed: r.rule === 'name-confirmed', level: r.level, municipality: r.municipality_code, contracts: r.contracts }));
}

export async function decideNameMatch(db: Db, input: { nameKey: string; orgNumber: string; decision: 'confirmed' | 'rejected' }, userId: string | null): Promise<void> {
  await repo.decideNameMatch(db, { name_key: normaliseLegalName(input.nameKey), org_number: input.orgNumber, decision: input.decision, user_id: userId, decided_at: new Date().toISOString() });
}

/** Local share of spend: invoices of the period by where their supplier is. */
export async function spend(db: Db, settings: StatsSettings, period: Period, buyerOrg: string | null) {
  const lookups = await loadLookups(db);
  const rows = await repo.spendBySupplier(db, { ...period, buyerOrg }, homeOrgOf(settings));
  const byLevel = Object.fromEntries(LOCALITY_LEVELS.map((l) => [l, 0])) as Record<LocalityLevel, number>;
  const rules = Object.fromEntries(LOCALITY_RULES.map((r) => [r, 0])) as Record<string, number>;
  let total = 0;
  for (const r of rows) {
    const place = resolveLocality({ orgNumber: r.supplier_org, nameKey: r.name_key, addressMunicipality: null, nuts: null }, lookups, areaOf(settings), homeNuts3(settings));
    byLevel[place.level] += r.amount;
    rules[place.rule] += r.amount;
    total += r.amount;
  }
  const known = total - byLevel.unknown;
  return { period, buyer: buyerOrg, definition: DEFINITIONS.spend, total, ...fraction(byLevel[LOCAL], known, byLevel.unknown), byLevel, rules };
}

// ---------------------------------------------------------------------------
// New and young firms; firms registered per category against what is bought

type LevelCounts = Record<LocalityLevel, { young: number; known: number; unknown: number }>;
const levelCounts = (): LevelCounts => Object.fromEntries(LOCALITY_LEVELS.map((l) => [l, { young: 0, known: 0, unknown: 0 }])) as LevelCounts;
const asLevel = (l: string): LocalityLevel => ((LOCALITY_LEVELS as readonly string[]).includes(l) ? (l as LocalityLevel) : 'unknown');

/**
 * New and young firms: of the alerts (a firm × a procurement of the period,
 * sent as new) and of the contracts of the period, the share going to young
 * firms: founded within the three years up to the period's last day (the
 * founding day in the firm's profile), or declaring `young-company` valid that
 * day. Every alerted firm is a registered firm, so its age is as its profile
 * states (no founding day and no declaration: not young). A contract's winner
 * is known only when it is a registered firm; other contracts are unknown. By
 * the firm's level (alerts: its municipality and workplaces; contracts: the
 * contract's level).
 */
export async function youngFirms(db: Db, settings: StatsSettings, period: Period, buyerOrg: string | null) {
  await refreshStats(db, settings);
  const f = { ...period, buyerOrg };
  const day = period.to;
  const [firms, declared, alerts, wins] = await Promise.all([
    repo.firmPlaces(db), repo.firmsWithCapability(db, 'young-company', day), repo.alertsByFirm(db, f), repo.winsByFirm(db, f),
  ]);
  const declares = new Set(declared);
  const firm = new Map(firms.map((x) => [x.id, {
    young: youngBy(x.founded, declares.has(x.id), day),
    founded: x.founded,
    level: nearest([x.municipality_code, ...(x.workplaces ? x.workplaces.split(' ') : [])], areaOf(settings)).level,
  }]));

  const alertLevels = levelCounts();
  const alertBy = { founded: 0, 'young-company': 0 };
  let alertCount = 0;
  let youngAlerts = 0;
  for (const a of alerts) {
    const x = firm.get(a.company_id);
    if (!x) continue; // a firm deleted since: its e-mails stay in the ledger, its profile does not
    alertCount += a.alerts;
    alertLevels[x.level].known += a.alerts;
    if (x.young) { youngAlerts += a.alerts; alertLevels[x.level].young += a.alerts; alertBy[x.young] += a.alerts; }
  }

  const winLevels = levelCounts();
  const winBy = { founded: 0, 'young-company': 0 };
  const rules = Object.fromEntries(LOCALITY_RULES.map((r) => [r, 0])) as Record<string, number>;
  let known = 0;
  let unknown = 0;
  let young = 0;
  for (const w of wins) {
    const level = asLevel(w.level);
    const x = w.company_id ? firm.get(w.company_id) : undefined;
    if (!x) { unknown += w.contracts; winLevels[level].unknown += w.contracts; continue; }
    known += w.contracts;
    rules[w.rule] = (rules[w.rule] ?? 0) + w.contracts;
    winLevels[level].known += w.contracts;
    if (x.young) { young += w.contracts; winLevels[level].young += w.contracts; winBy[x.young] += w.contracts; }
  }
  const byLevel = (c: LevelCounts) => Object.fromEntries(LOCALITY_LEVELS.map((l) => [l, fraction(c[l].young, c[l].known, c[l].unknown)]));
  const youngFirmsCount = [...firm.values()].filter((x) => x.young).length;
  return {
    period, buyer: buyerOrg, definition: DEFINITIONS.youngFirms, day, foundedAfter: yearsBefore(day, 3),
    alerts: { ...fraction(youngAlerts, alertCount, 0), byLevel: byLevel(alertLevels), youngBy: alertBy },
    wins: { ...fraction(young, known, unknown), byLevel: byLevel(winLevels), youngBy: winBy, rules },
    firms: { registered: firm.size, young: youngFirmsCount, withoutFounded: [...firm.values()].filter((x) => !x.founded).length },
  };
}

/**
 * Firms registered per category against what is bought: per CPV division of
 * the procurements' main codes, the period's contracts (count and SEK value)
 * and how many registered local firms (registered in or with a workplace in
 * the home municipality by the period's last day) have a category in that
 * division. `attention`: the division is bought at least as much as the median
 * division bought (by count or by value) and has fewer local firms than the
 * median division (or none): where business development should act.
 */
export async function categories(db: Db, settings: StatsSettings, period: Period, buyerOrg: string | null) {
  await refreshStats(db, settings);
  const [groups, local, all] = await Promise.all([
    repo.divisionGroups(db, { ...period, buyerOrg }), repo.firmsByDivision(db, [settings.homeMunicipality], period.to), repo.firmsByDivision(db, null, period.to),
  ]);
  type Row = { division: string; contracts: number; value: number; valued: number; home: number; knownLevel: number; unknownLevel: number };
  const rows = new Map<string, Row>();
  const rules = Object.fromEntries(LOCALITY_RULES.map((r) => [r, 0])) as Record<string, number>;
  let contracts = 0;
  let withoutDivision = 0;
  let value = 0;
  let valued = 0;
  for (const g of groups) {
    contracts += g.contracts;
    rules[g.rule] = (rules[g.rule] ?? 0) + g.contracts;
    if (!g.cpv_division) { withoutDivision += g.contracts; continue; }
    const r = rows.get(g.cpv_division) ?? { division: g.cpv_division, contracts: 0, value: 0, valued: 0, home: 0, knownLevel: 0, unknownLevel: 0 };
    r.contracts += g.contracts;
    r.value += g.amount ?? 0;
    r.valued += g.valued;
    value += g.amount ?? 0;
    valued += g.valued;
    if (g.level === 'unknown') r.unknownLevel += g.contracts;
    else { r.knownLevel += g.contracts; if (g.level === LOCAL) r.home += g.contracts; }
    rows.set(g.cpv_division, r);
  }
  const localBy = new Map(local.divisions.map((d) => [d.division, d.firms]));
  const allBy = new Map(all.divisions.map((d) => [d.division, d.firms]));
  const median = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : 0;
  };
  const list = [...rows.values()];
  const medianContracts = median(list.map((r) => r.contracts));
  const medianValue = median(list.map((r) => r.value));
  const medianFirms = median(list.map((r) => localBy.get(r.division) ?? 0));
  const divided = contracts - withoutDivision;
  const out = list.map((r) => {
    const localFirms = localBy.get(r.division) ?? 0;
    const buysMuch = r.contracts >= medianContracts || r.value >= medianValue;
    return {
      division: r.division,
      contracts: fraction(r.contracts, divided, withoutDivision),
      value: { ...fraction(r.value, value, contracts - withoutDivision - valued), valued: r.valued },
      localFirms: fraction(localFirms, local.firms, 0),
      registeredFirms: allBy.get(r.division) ?? 0,
      localWins: fraction(r.home, r.knownLevel, r.unknownLevel),
      contractsPerLocalFirm: localFirms ? r.contracts / localFirms : null,
      attention: buysMuch && (localFirms === 0 || localFirms < medianFirms),
    };
  }).sort((a, b) => Number(b.attention) - Number(a.attention) || b.value.numerator - a.value.numerator || b.contracts.numerator - a.contracts.numerator);
  return {
    period, buyer: buyerOrg, definition: DEFINITIONS.categories,
    contracts, withoutDivision, localFirms: local.firms, registeredFirms: all.firms,
    medians: { contracts: medianContracts, value: medianValue, localFirms: medianFirms },
    rules, rows: out,
  };
}
