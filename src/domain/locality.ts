// Where a supplier is, for the local-supplier statistics (issue 14), and the
// rule that decided it. Pure: the lookups are handed in.
//
// In order: (1) a registered Brygga firm with the winner's organisationsnummer
// (its municipality and its other workplaces); (2) the supplier register staff
// imported; (3) the winner's address in the award (postcode → municipality;
// NUTS-3 → county; another country's NUTS → abroad); (4) a name match to a
// registered firm or register entry (normalised legal name), unless staff
// rejected it; (5) unknown.

export const LOCALITY_LEVELS = ['home', 'local-area', 'county', 'sweden', 'abroad', 'unknown'] as const;
export type LocalityLevel = (typeof LOCALITY_LEVELS)[number];

export const LOCALITY_RULES = ['firm', 'register', 'address', 'name', 'name-confirmed', 'unknown'] as const;
export type LocalityRule = (typeof LOCALITY_RULES)[number];

/** The home municipality, its local area (home included) and the county (first two digits of the kommunkod). */
export type HomeArea = { home: string; localArea: string[] };

export type Locality = {
  level: LocalityLevel;
  rule: LocalityRule;
  /** The municipality that decided the level (the nearest of a firm's workplaces). */
  municipality: string | null;
  /** The organisationsnummer the place came from (for a name match: the candidate staff can confirm or reject). */
  matchedOrg: string | null;
  /** The registered firm, when the winner is one. */
  companyId: string | null;
};

/** What the award says about its winner. */
export type Winner = {
  orgNumber: string | null;
  nameKey: string;
  /** The municipality of the winner's postcode, when the regions data knows it. */
  addressMunicipality: string | null;
  nuts: string | null;
};

/** A place someone knows a supplier by: a registered firm or a register entry. */
export type KnownSupplier = { orgNumber: string; municipalities: string[]; companyId: string | null };

export type Lookups = {
  firmsByOrg: Map<string, KnownSupplier>;
  registerByOrg: Map<string, KnownSupplier>;
  /** Normalised name → candidates, firms first. */
  byName: Map<string, (KnownSupplier & { source: 'firm' | 'register' })[]>;
  /** `${nameKey} ${orgNumber}` → confirmed | rejected. */
  decisions: Map<string, 'confirmed' | 'rejected'>;
};

const RANK: Record<LocalityLevel, number> = { home: 0, 'local-area': 1, county: 2, sweden: 3, abroad: 4, unknown: 5 };

/** The level of a Swedish municipality (kommunkod) seen from home. */
export function levelOfMunicipality(code: string, area: HomeArea): LocalityLevel {
  if (code === area.home) return 'home';
  if (area.localArea.includes(code)) return 'local-area';
  if (code.slice(0, 2) === area.home.slice(0, 2)) return 'county';
  return 'sweden';
}

/** The nearest of several municipalities (a firm with workplaces in more than one). */
export function nearest(codes: string[], area: HomeArea): { level: LocalityLevel; municipality: string | null } {
  let best: { level: LocalityLevel; municipality: string | null } = { level: 'unknown', municipality: null };
  for (const code of codes) {
    const level = levelOfMunicipality(code, area);
    if (RANK[level] < RANK[best.level]) best = { level, municipality: code };
  }
  return best;
}

/**
 * A NUTS code seen from home: the home county's NUTS-3 region → county; any
 * other Swedish code → sweden (SE232's neighbours, or just "SE"); a NUTS code
 * of another country → abroad. `homeNuts3` is the home county's region.
 */
export function levelOfNuts(nuts: string, homeNuts3: string | null): LocalityLevel {
  const code = nuts.toUpperCase();
  if (!code.startsWith('SE')) return /^[A-Z]{2}/.test(code) ? 'abroad' : 'unknown';
  if (code.startsWith('SEZ')) return 'unknown'; // extra-regio
  if (homeNuts3 && code === homeNuts3) return 'county';
  return 'sweden';
}

export function resolveLocality(winner: Winner, lookups: Lookups, area: HomeArea, homeNuts3: string | null): Locality {
  const known = (k: KnownSupplier, rule: LocalityRule): Locality | null => {
    const { level, municipality } = nearest(k.municipalities, area);
    return level === 'unknown' ? null : { level, rule, municipality, matchedOrg: k.orgNumber, companyId: k.companyId };
  };
  const org = winner.orgNumber;
  if (org) {
    const firm = lookups.firmsByOrg.get(org);
    const byFirm = firm && known(firm, 'firm');
    if (byFirm) return byFirm;
    const entry = lookups.registerByOrg.get(org);
    const byRegister = entry && known(entry, 'register');
    if (byRegister) return { ...byRegister, companyId: firm?.companyId ?? null };
  }
  if (winner.addressMunicipality) {
    return { level: levelOfMunicipality(winner.addressMunicipality, area), rule: 'address', municipality: winner.addressMunicipality, matchedOrg: null, companyId: firm(org, lookups) };
  }
  if (winner.nuts) {
    const level = levelOfNuts(winner.nuts, homeNuts3);
    if (level !== 'unknown') return { level, rule: 'address', municipality: null, matchedOrg: null, companyId: firm(org, lookups) };
  }
  // A name match only stands in for a missing or unknown organisationsnummer's
  // place; an award with an organisationsnummer of its own is not matched to another's.
  const candidates = winner.nameKey ? (lookups.byName.get(winner.nameKey) ?? []) : [];
  for (const c of candidates) {
    if (org && c.orgNumber !== org) continue;
    const decision = lookups.decisions.get(`${winner.nameKey} ${c.orgNumber}`);
    if (decision === 'rejected') continue;
    const byName = known(c, decision === 'confirmed' ? 'name-confirmed' : 'name');
    if (byName) return byName;
  }
  return { level: 'unknown', rule: 'unknown', municipality: null, matchedOrg: null, companyId: firm(org, lookups) };
}

const firm = (org: string | null, lookups: Lookups) => (org ? (lookups.firmsByOrg.get(org)?.companyId ?? null) : null);

/** CPV main code → the kind of contract: division 45 is works; 01–44 and 48 goods; the rest services. */
export function contractTypeOfCpv(cpv: string | null): 'goods' | 'services' | 'works' | null {
  if (!cpv || !/^\d{2}/.test(cpv)) return null;
  const division = Number(cpv.slice(0, 2));
  if (division === 45) return 'works';
  if (division <= 44 || division === 48) return 'goods';
  return 'services';
}
