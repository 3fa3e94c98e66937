// The match rules: does a notice concern a subscription, how well, and why.
// Pure: the worker and the reach preview load the data; this decides and explains.
import { cpvAncestors, cpvLabel, cpvParent, cpvPrefix, normalizeCpv } from './cpv.ts';
import {
  CAPABILITIES, EFORMS_CRITERIA, RESERVED_ELIGIBLE, SATISFIES, SUPPORTS, capabilitiesInForce, criterionLabel, isRequirement, requirementLabel,
  satisfies, type HeldCapability,
} from './csr.ts';
import { matchesKeywords, type KeywordQuery, type Words } from './keywords.ts';
import { inRegion, type NoticePlace } from './regions.ts';

export type Reason = { code: string; sv: string; en: string };
/** A CPV code of a notice: procedure level (lotId null) or a lot's, named by its title in reasons. */
export type NoticeCode = { code: string; lotId: string | null; isMain: boolean; lotTitle?: string | null };

export type MatchCriteria = {
  strategic: string[]; social: string[]; green: string[]; gpp: string[]; reserved: string[];
  smeSuitable: boolean | null; requirements: string[];
};

/** What the rules need of a notice, prepared once per notice. */
export type MatchNotice = {
  id: string;
  kind: string;
  codes: NoticeCode[];
  words: Words;
  place: NoticePlace;
  value: { amount: number; currency: string } | null;
  procedure: string | null;
  criteria: MatchCriteria;
  /** The buyer (organisationsnummer, else its name) and title: what a firm's record compares (src/domain/relevance.ts). */
  buyer?: string | null;
  title?: string;
};

export type MatchCompany = { id: string; municipalityCode: string; capabilities: HeldCapability[] };

export type MatchSubscription = {
  id: string;
  company: MatchCompany;
  cpv: string[];
  /** Also match notices one level above the category (siblings of the firm's code). */
  includeParent: boolean;
  keywords: KeywordQuery | null;
  /** Municipality codes and NUTS codes, the local area already expanded. */
  regions: string[];
  minValue: number | null;
  maxValue: number | null;
  kinds: string[];
  procedures: string[];
  /** Only notices with social or environmental criteria. */
  onlyCsr: boolean;
  /** Only notices whose every requirement the firm meets. */
  strict: boolean;
  /** Only matches scoring at least this, after the firm's record (src/domain/relevance.ts). */
  minScore?: number | null;
};

/** A subscription's filters as stored (JSON); companies/company.schema.ts validates them. */
export type StoredFilters = Partial<{
  includeParent: boolean; keywords: string | null; regions: string[]; minValue: number | null; maxValue: number | null;
  kinds: string[]; procedures: string[]; onlyCsr: boolean; strict: boolean; minScore: number | null;
}>;

export type MatchResult = {
  subscriptionId: string;
  companyId: string;
  score: number;
  reasons: Reason[];
  /** Requirements the firm does not meet (yet). */
  missing: string[];
};

type CodeInfo = { code: string; prefix: string; parentPrefix: string | null };

// Each distinct code is parsed once: matching compares the same few thousand
// codes millions of times. Bounded, as codes come from outside.
const codeInfos = new Map<string, CodeInfo>();
function codeInfo(code: string): CodeInfo {
  let info = codeInfos.get(code);
  if (!info) {
    const parent = cpvParent(code);
    info = { code: normalizeCpv(code), prefix: cpvPrefix(code), parentPrefix: parent && cpvPrefix(parent) };
    if (codeInfos.size >= 100_000) codeInfos.clear();
    codeInfos.set(code, info);
  }
  return info;
}

export type CpvHit = {
  kind: 'direct' | 'parent' | 'broad';
  noticeCode: string;
  category: string;
  lotId: string | null;
  lotTitle?: string | null;
  /** Levels between the notice's code and the firm's category. */
  distance: number;
};

const KIND_RANK = { direct: 0, parent: 100, broad: 200 } as const;

/**
 * How a notice's codes meet a subscription's categories, best first: the
 * notice's code within the category, then within its parent (when asked for),
 * then a notice coded more broadly than the category. Among equals the main
 * procedure code explains best, then other procedure codes, then lots.
 */
export function bestCpvHit(codes: NoticeCode[], categories: string[], includeParent = false): CpvHit | null {
  let best: CpvHit | null = null;
  let bestRank = Infinity;
  for (const { code, lotId, isMain, lotTitle } of codes) {
    for (const category of categories) {
      const hit = cpvHit(code, category, includeParent, lotId, lotTitle);
      if (!hit) continue;
      const rank = cpvHitRank(hit, isMain);
      if (rank < bestRank) {
        best = hit;
        bestRank = rank;
      }
    }
  }
  return best;
}

/** Lower explains better: the kind, then procedure level before lots, main code before others, then nearness. */
export function cpvHitRank(hit: CpvHit, isMain: boolean): number {
  return KIND_RANK[hit.kind] + (hit.lotId ? 20 : 0) + (isMain ? 0 : 10) + hit.distance;
}

// Same-or-descendant is a prefix test (see cpv.ts). Distance counts one level
// per significant digit, as cpvParent does: 45214210 is one level below 45214200.
/** How one notice code meets one category, or null. */
export function cpvHit(code: string, category: string, includeParent: boolean, lotId: string | null, lotTitle: string | null = null): CpvHit | null {
  const c = codeInfo(code);
  const cat = codeInfo(category);
  const at = { noticeCode: code, category, lotId, lotTitle };
  if (c.code.startsWith(cat.prefix)) return { kind: 'direct', ...at, distance: c.prefix.length - cat.prefix.length };
  if (includeParent && cat.parentPrefix !== null && c.code.startsWith(cat.parentPrefix)) return { kind: 'parent', ...at, distance: 1 };
  if (cat.code.startsWith(c.prefix)) return { kind: 'broad', ...at, distance: cat.prefix.length - c.prefix.length };
  return null;
}

/**
 * The notice codes that can meet these categories at all (`cpvHit`), for
 * narrowing in SQL which stored notices a subscription is matched against:
 * `ranges` of codes within a category (direct) or within its parent (with
 * `includeParent`), and exact `codes`: the category's ancestors (a notice coded
 * more broadly, `broad`). Every hit needs one (codes are 8 digits, as stored):
 * a broad hit's code is its significant prefix, a prefix of the category,
 * padded with zeros. Ranges inside another are dropped, and codes inside a
 * range. No categories, no codes: such a subscription matches nothing.
 */
export type CpvCandidates = { ranges: { from: string; to: string }[]; codes: string[] };

export function cpvCandidates(categories: string[], includeParent: boolean): CpvCandidates {
  const prefixes = new Set<string>();
  const ancestors = new Set<string>();
  for (const category of categories) {
    const cat = codeInfo(category);
    prefixes.add(cat.prefix);
    if (includeParent && cat.parentPrefix !== null) prefixes.add(cat.parentPrefix);
    for (let k = 2; k <= 8; k++) ancestors.add(cat.code.slice(0, k).padEnd(8, '0'));
  }
  // Sorted, a prefix comes before every code it covers: keep those no kept prefix covers.
  const kept: string[] = [];
  for (const prefix of [...prefixes].sort()) if (!kept.some((k) => prefix.startsWith(k))) kept.push(prefix);
  const within = (code: string) => kept.some((k) => code.startsWith(k));
  return {
    ranges: kept.map((prefix) => ({ from: prefix.padEnd(8, '0'), to: prefix.padEnd(8, '9') })),
    codes: [...ancestors].filter((code) => !within(code)).sort(),
  };
}

export function scoreCpvHit(hit: CpvHit): number {
  if (hit.kind === 'direct') return 100 - 5 * hit.distance;
  if (hit.kind === 'parent') return 70;
  return Math.max(45, 65 - 5 * (hit.distance - 1));
}

/**
 * "45432100 Golvläggning ingår i er kategori 45000000 Bygg- och anläggningsarbeten".
 * Codes carry their own label once the full CPV list is loaded (npm run
 * import:cpv); until then a code without one stays bare and the division is
 * named once, at the end.
 */
function labelled(hit: CpvHit, lang: 'sv' | 'en', say: (n: string, cat: string, lot: string) => string): string {
  const n = cpvLabel(hit.noticeCode, lang);
  const cat = cpvLabel(hit.category, lang);
  const lotName = hit.lotTitle ?? hit.lotId;
  const lot = !lotName ? '' : lang === 'sv' ? ` i delområdet ”${lotName}”` : ` in the lot “${lotName}”`;
  const text = say(n.exact ? `${hit.noticeCode} ${n.text}` : hit.noticeCode, cat.exact ? `${hit.category} ${cat.text}` : hit.category, lot);
  const division = !n.exact && !cat.exact ? n.text : null;
  return division ? `${text} (${division})` : text;
}

/** Why a notice's code meets a firm's category, naming both codes and the lot by its title. */
export function cpvReason(hit: CpvHit): Reason {
  if (hit.kind === 'broad') {
    return {
      code: 'cpv-broad',
      sv: labelled(hit, 'sv', (n, cat, lot) => `Köparen har angett den breda koden ${n}${lot}, som omfattar er kategori ${cat}`),
      en: labelled(hit, 'en', (n, cat, lot) => `The buyer used the broad code ${n}${lot}, which covers your category ${cat}`),
    };
  }
  if (hit.kind === 'parent') {
    return {
      code: 'cpv-parent',
      sv: labelled(hit, 'sv', (n, cat, lot) => `${n}${lot} ligger en nivå ovanför er kategori ${cat}`),
      en: labelled(hit, 'en', (n, cat, lot) => `${n}${lot} is one level above your category ${cat}`),
    };
  }
  if (hit.noticeCode === hit.category) {
    return {
      code: 'cpv',
      sv: labelled(hit, 'sv', (n, _, lot) => `${n}${lot} är en av era kategorier`),
      en: labelled(hit, 'en', (n, _, lot) => `${n}${lot} is one of your categories`),
    };
  }
  return {
    code: 'cpv',
    sv: labelled(hit, 'sv', (n, cat, lot) => `${n}${lot} ingår i er kategori ${cat}`),
    en: labelled(hit, 'en', (n, cat, lot) => `${n}${lot} is within your category ${cat}`),
  };
}

/** Notice-level codes and every ancestor: the categories a direct or parent match can come from. */
export function candidateCategories(codes: NoticeCode[]): string[] {
  return [...new Set(codes.flatMap(({ code }) => [code, ...cpvAncestors(code)]))];
}

export function hasCsrCriteria(c: MatchCriteria): boolean {
  return [c.strategic, c.social, c.green, c.gpp, c.reserved, c.requirements].some((list) => list.length > 0);
}

/** The firm may take part: a reserved procurement admits only eligible firms. */
export function isEligible(criteria: MatchCriteria, held: Set<string>): boolean {
  return !criteria.reserved.includes('res-ws') || RESERVED_ELIGIBLE.some((c) => held.has(c));
}

// The same reason texts recur for thousands of firms per notice: build each
// once and share it (frozen, so one result cannot change another's). Nested
// maps, one level per key part, so no key string is built and hashed per firm.
type ReasonTrie = Map<string | number | null, ReasonTrie | Reason>;
let reasonCache: ReasonTrie = new Map();
let cachedReasons = 0;
/** Forget built reasons (their texts name CPV labels, which may have been loaded since). */
export function clearReasonCache(): void {
  reasonCache = new Map();
  cachedReasons = 0;
}
function sharedReason(key: (string | number | null)[], make: () => Reason): Reason {
  if (cachedReasons >= 50_000) {
    reasonCache = new Map();
    cachedReasons = 0;
  }
  let node = reasonCache;
  for (let i = 0; i < key.length - 1; i++) {
    let next = node.get(key[i]) as ReasonTrie | undefined;
    if (!next) node.set(key[i], (next = new Map()));
    node = next;
  }
  let reason = node.get(key[key.length - 1]) as Reason | undefined;
  if (!reason) {
    node.set(key[key.length - 1], (reason = Object.freeze(make())));
    cachedReasons++;
  }
  return reason;
}

/** SUPPORTS by kind, then code: looked up per firm without building `${kind}:${code}`. */
const SUPPORTS_BY_KIND = new Map<string, Map<string, readonly string[]>>();
for (const [key, capabilities] of Object.entries(SUPPORTS)) {
  const [kind, code] = key.split(':');
  if (!SUPPORTS_BY_KIND.has(kind)) SUPPORTS_BY_KIND.set(kind, new Map());
  SUPPORTS_BY_KIND.get(kind)!.set(code, capabilities);
}
const OBJECTIVE_KINDS = ['strategic', 'social', 'green'] as const;

const NO_CAPABILITIES = new Set<string>(); // never added to
const RESERVED_ELIGIBLE_REASON: Reason = Object.freeze({
  code: 'reserved-eligible',
  sv: `${EFORMS_CRITERIA.reserved['res-ws'].sv} – ni uppfyller villkoret`,
  en: `${EFORMS_CRITERIA.reserved['res-ws'].en} – you qualify`,
});

/** The reason a CPV hit gives (shared, frozen). */
export function cpvHitReason(hit: CpvHit): Reason {
  return sharedReason(['cpv', hit.kind, hit.category, hit.noticeCode, hit.lotId, hit.lotTitle ?? null], () => cpvReason(hit));
}

export function keywordReason(hits: string[]): Reason {
  return { code: 'keywords', sv: `Nyckelord: ${hits.join(', ')}`, en: `Keywords: ${hits.join(', ')}` };
}

/** The reason for a requirement, met or missing (shared, frozen: compare by identity). */
export function requirementReason(requirement: string, met: boolean): Reason {
  if (!met) {
    return sharedReason(['requirement-missing', requirement], () => {
      const label = requirementLabel(requirement);
      return { code: 'requirement-missing', sv: `Kräver ${label.sv} – saknas i er profil`, en: `Requires ${label.en} – missing from your profile` };
    });
  }
  return sharedReason(['requirement-met', requirement], () => {
    const label = requirementLabel(requirement);
    return { code: 'requirement-met', sv: `Kräver ${label.sv} – finns i er profil`, en: `Requires ${label.en} – in your profile` };
  });
}

/** `mask`: which of the `offered` capabilities the firm holds, as bits. */
function objectiveReason(kind: (typeof OBJECTIVE_KINDS)[number], code: string, offered: readonly string[], mask: number): Reason {
  return sharedReason(['objective-met', kind, code, mask], () => {
    const label = criterionLabel(kind, code);
    const by = offered.filter((_, i) => mask & (1 << i));
    const yours = (lang: 'sv' | 'en') => by.map((b) => CAPABILITIES[b as keyof typeof CAPABILITIES][lang]).join(', ');
    return {
      code: 'objective-met',
      sv: `Upphandlingen prioriterar ${label.sv.toLowerCase()} – er profil: ${yours('sv')}`,
      en: `The buyer prioritises ${label.en.toLowerCase()} – your profile: ${yours('en')}`,
    };
  });
}

/** Only criteria ask anything of the firm's profile, and most notices have none. */
export function asksProfile(c: MatchCriteria): boolean {
  return !!(c.reserved.length || c.requirements.length || c.strategic.length || c.social.length || c.green.length);
}

/** Applies every rule of one subscription to one notice. `today` is YYYY-MM-DD (for certificate expiry). */
export function evaluate(notice: MatchNotice, sub: MatchSubscription, today: string): MatchResult | null {
  if (sub.kinds.length && !sub.kinds.includes(notice.kind)) return null;
  if (sub.procedures.length && !(notice.procedure && sub.procedures.includes(notice.procedure))) return null;
  if (sub.onlyCsr && !hasCsrCriteria(notice.criteria)) return null;
  if (!withinValue(notice.value, sub.minValue, sub.maxValue)) return null;
  if (sub.regions.length && !sub.regions.some((r) => inRegion(r, notice.place))) return null;

  const hit = bestCpvHit(notice.codes, sub.cpv, sub.includeParent);
  if (!hit) return null;
  let keywordHits: string[] = [];
  if (sub.keywords) {
    const k = matchesKeywords(sub.keywords, notice.words);
    if (!k.ok) return null;
    keywordHits = k.hits;
  }

  // The firm-profile part of the rules lives in profileOutcome, which the index applies per profile.
  const c = notice.criteria;
  const profile = profileOutcome(c, asksProfile(c) ? capabilitiesInForce(sub.company.capabilities, today) : NO_CAPABILITIES);
  if (!profile.eligible || (sub.strict && profile.missing.length)) return null;
  const reasons: Reason[] = [cpvHitReason(hit), ...(keywordHits.length ? [keywordReason(keywordHits)] : []), ...profile.reasons];
  return {
    subscriptionId: sub.id,
    companyId: sub.company.id,
    score: Math.min(100, Math.max(1, scoreCpvHit(hit) + profile.scoreDelta)),
    reasons,
    missing: profile.missing,
  };
}

/**
 * What the firm's profile adds to a match, for a notice: the part of
 * `evaluate` after the CPV hit and keywords. `held` are the capabilities in
 * force (only those in `profileCapabilities` are asked about). `evaluate`
 * applies it per subscription; the index once per distinct profile and notice.
 */
export type ProfileOutcome = {
  eligible: boolean;
  /** Requirements the firm does not meet; strict subscriptions drop the notice when any. */
  missing: string[];
  /** The reasons after the CPV and keyword reasons. */
  reasons: Reason[];
  /** Added to the CPV score before it is clamped to 1–100. */
  scoreDelta: number;
};

export function profileOutcome(c: MatchCriteria, held: Set<string>): ProfileOutcome {
  if (!asksProfile(c)) held = NO_CAPABILITIES;
  const requirements = c.requirements.length ? [...new Set(c.requirements)] : c.requirements;
  const missing = requirements.filter((r) => !satisfies(r, held));
  const outcome: ProfileOutcome = { eligible: isEligible(c, held), missing, reasons: [], scoreDelta: 0 };
  if (c.reserved.includes('res-ws')) {
    outcome.reasons.push(RESERVED_ELIGIBLE_REASON);
    outcome.scoreDelta += 10;
  }
  const unmet = new Set(missing);
  for (const requirement of requirements) {
    const met = !unmet.has(requirement);
    outcome.reasons.push(requirementReason(requirement, met));
    outcome.scoreDelta += met ? 5 : -10;
  }
  let supported = 0;
  for (const kind of OBJECTIVE_KINDS) {
    for (const code of c[kind]) {
      const offered = SUPPORTS_BY_KIND.get(kind)?.get(code);
      if (!offered || supported >= 3) continue;
      let mask = 0;
      for (let i = 0; i < offered.length; i++) if (held.has(offered[i])) mask |= 1 << i;
      if (!mask) continue;
      supported++;
      outcome.scoreDelta += 4;
      outcome.reasons.push(objectiveReason(kind, code, offered, mask));
    }
  }
  return outcome;
}

/** Every capability `profileOutcome` may ask `held` about for these criteria. */
export function profileCapabilities(c: MatchCriteria): string[] {
  const out = new Set<string>();
  if (!asksProfile(c)) return [];
  if (c.reserved.includes('res-ws')) for (const cap of RESERVED_ELIGIBLE) out.add(cap);
  for (const r of c.requirements) for (const cap of isRequirement(r) ? SATISFIES[r] : [r]) out.add(cap);
  for (const kind of OBJECTIVE_KINDS) for (const code of c[kind]) for (const cap of SUPPORTS_BY_KIND.get(kind)?.get(code) ?? []) out.add(cap);
  return [...out];
}

function withinValue(value: MatchNotice['value'], min: number | null, max: number | null): boolean {
  // An unknown value, or one in another currency, never hides a notice.
  if (!value || value.currency !== 'SEK') return true;
  return (min === null || value.amount >= min) && (max === null || value.amount <= max);
}

/** One result per firm: its best-scoring subscription. */
export function bestPerCompany(results: MatchResult[]): MatchResult[] {
  const best = new Map<string, MatchResult>();
  for (const r of results) {
    const current = best.get(r.companyId);
    if (!current || r.score > current.score || (r.score === current.score && r.subscriptionId < current.subscriptionId)) best.set(r.companyId, r);
  }
  return [...best.values()];
}
