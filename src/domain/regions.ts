// Swedish regions: kommunkod (4 digits, the first two are the county, län) and
// NUTS codes (SE → SE2 → SE23 → SE232, one NUTS-3 region per county).
// The full lists of municipalities and postcodes are imported from a path the
// user gives (npm run import:regions); this module holds only what never changes.

/** County code (länskod) → NUTS-3 region. */
export const COUNTY_NUTS3: Record<string, string> = {
  '01': 'SE110', '03': 'SE121', '04': 'SE122', '05': 'SE123', '06': 'SE211', '07': 'SE212', '08': 'SE213',
  '09': 'SE214', '10': 'SE221', '12': 'SE224', '13': 'SE231', '14': 'SE232', '17': 'SE311', '18': 'SE124',
  '19': 'SE125', '20': 'SE312', '21': 'SE313', '22': 'SE321', '23': 'SE322', '24': 'SE331', '25': 'SE332',
};

export const isMunicipalityCode = (code: string): boolean => /^\d{4}$/.test(code) && Object.hasOwn(COUNTY_NUTS3, code.slice(0, 2));
export const isNuts = (code: string): boolean => /^SE[0-9]{0,3}$/.test(code) || /^[A-Z]{2}[0-9A-Z]{0,3}$/.test(code);

export function municipalityNuts3(code: string): string | null {
  return COUNTY_NUTS3[code.slice(0, 2)] ?? null;
}

/** Where a notice is: the municipalities and NUTS regions it names. */
export type NoticePlace = { municipalities: string[]; nuts: string[] };

/**
 * A subscription region matches a notice in it: a municipality code when the
 * notice is known to be in that municipality; a NUTS code when any of the
 * notice's NUTS codes lies within it (or a municipality of the notice does).
 */
export function inRegion(region: string, place: NoticePlace): boolean {
  if (isMunicipalityCode(region)) return place.municipalities.includes(region);
  return (
    place.nuts.some((n) => n.startsWith(region)) ||
    place.municipalities.some((m) => (municipalityNuts3(m) ?? '').startsWith(region))
  );
}

/**
 * The default local area's municipalities, so place names resolve before the
 * full list is imported: Lerum and its neighbours.
 */
export const BUILT_IN_MUNICIPALITIES: { code: string; name: string; shortName: string }[] = [
  { code: '1441', name: 'Lerums kommun', shortName: 'Lerum' },
  { code: '1402', name: 'Partille kommun', shortName: 'Partille' },
  { code: '1480', name: 'Göteborgs kommun', shortName: 'Göteborg' },
  { code: '1401', name: 'Härryda kommun', shortName: 'Härryda' },
  { code: '1440', name: 'Ale kommun', shortName: 'Ale' },
  { code: '1489', name: 'Alingsås kommun', shortName: 'Alingsås' },
  { code: '1443', name: 'Bollebygds kommun', shortName: 'Bollebygd' },
];

export const DEFAULT_LOCAL_AREA = BUILT_IN_MUNICIPALITIES.map((m) => m.code);

/** "Lerums kommun", "Göteborgs Stad", "Lerum": the municipality a name stands for, by its short name. */
export function municipalityFromName(name: string, municipalities: { code: string; shortName: string }[]): string | null {
  const n = name.trim().toLowerCase();
  for (const m of municipalities) {
    const s = m.shortName.toLowerCase();
    if (n === s || n === `${s} kommun` || n === `${s}s kommun` || n === `${s} stad` || n === `${s}s stad`) return m.code;
  }
  return null;
}
