/**
 * Common Procurement Vocabulary (CPV 2008, Regulation (EC) No 213/2008).
 *
 * A code is 8 digits plus an optional check digit: `45214200-2`. The hierarchy
 * is read from the digits: division `XX000000`, group `XXX00000`, class
 * `XXXX0000`, category `XXXXX000`, then sub-categories (digits 6–8). A zero
 * means "not refined at this level", so no zero is ever followed by a non-zero
 * digit and every code is fully described by its significant prefix.
 * Brygga stores codes as 8 digits without the check digit (the eForms form).
 *
 * ## Check digit
 *
 * The check digit is `Σ wᵢ·dᵢ mod 10` with weights 3,7,1,3,7,1,3,7:
 *   45214200 → 4·3 + 5·7 + 2·1 + 1·3 + 4·7 + 2·1 + 0 + 0 = 82 → 2  (45214200-2)
 * This was derived from, and is verified against, all 9,454 codes of the
 * official list (test/unit/cpv.test.ts reads the shared copy).
 *
 * 532 published codes (5.6 %) carry a digit the formula does not give. Most
 * sit in whole subtrees that share one constant offset: all of 421xxxxx
 * (machinery for mechanical power, +3), 72212100–72212991 software
 * development and 724/726–729 IT services (+5), 091–093 fuels and energy
 * (+6), most of 033 and 034. That is the signature of check digits computed
 * for an entry's number in an earlier CPV version and kept when the 2008
 * revision renumbered it. The rest look like copy-down slips in the official
 * table (37442100-8 … 37442900-8 all end in 8; 38941000-7 … 38947000-7 in 7).
 * The published digits are the ones in use (TED, OCDS and procurement systems
 * write `09100000-0`, `72400000-4`, `51000000-9`), so they are authoritative:
 * `cpvCheckDigit` returns them, `normalizeCpv` accepts only them, and
 * `cpvCalculatedCheckDigit` is the bare formula.
 */

export class CpvError extends Error {
  override name = 'CpvError';
  constructor(
    message: string,
    /** Stable reason for callers that translate the message. */
    readonly reason: 'empty' | 'format' | 'length' | 'division' | 'structure' | 'check-digit',
  ) {
    super(message);
  }
}

export type CpvLevel = 'division' | 'group' | 'class' | 'category' | 'subcategory';

/** The 45 divisions of CPV 2008, with short labels of our own for UI and e-mail. */
export const CPV_DIVISIONS: Record<string, { sv: string; en: string }> = {
  '03': { sv: 'Jordbruks-, skogsbruks- och fiskeprodukter', en: 'Agricultural, forestry and fishing products' },
  '09': { sv: 'Bränsle och energi', en: 'Fuel and energy' },
  '14': { sv: 'Gruvprodukter och metaller', en: 'Mining products and metals' },
  '15': { sv: 'Livsmedel och drycker', en: 'Food and beverages' },
  '16': { sv: 'Jordbruksmaskiner', en: 'Agricultural machinery' },
  '18': { sv: 'Kläder, skor och väskor', en: 'Clothing, footwear and bags' },
  '19': { sv: 'Läder, textil, plast och gummi', en: 'Leather, textiles, plastics and rubber' },
  '22': { sv: 'Trycksaker', en: 'Printed matter' },
  '24': { sv: 'Kemiska produkter', en: 'Chemical products' },
  '30': { sv: 'Kontorsmaskiner och datorer', en: 'Office machines and computers' },
  '31': { sv: 'Elutrustning och belysning', en: 'Electrical equipment and lighting' },
  '32': { sv: 'Radio-, tv- och teleutrustning', en: 'Radio, TV and telecom equipment' },
  '33': { sv: 'Medicinsk utrustning och läkemedel', en: 'Medical equipment and pharmaceuticals' },
  '34': { sv: 'Fordon och transportutrustning', en: 'Vehicles and transport equipment' },
  '35': { sv: 'Säkerhets-, räddnings- och försvarsutrustning', en: 'Security, rescue and defence equipment' },
  '37': { sv: 'Musikinstrument, sport, spel och leksaker', en: 'Musical instruments, sports goods, games and toys' },
  '38': { sv: 'Laboratorie- och precisionsutrustning', en: 'Laboratory and precision equipment' },
  '39': { sv: 'Möbler, inredning och rengöringsmedel', en: 'Furniture, furnishings and cleaning products' },
  '41': { sv: 'Vatten', en: 'Water' },
  '42': { sv: 'Industrimaskiner', en: 'Industrial machinery' },
  '43': { sv: 'Gruv- och byggmaskiner', en: 'Mining and construction machinery' },
  '44': { sv: 'Byggmaterial och konstruktioner', en: 'Construction materials and structures' },
  '45': { sv: 'Bygg- och anläggningsarbeten', en: 'Construction work' },
  '48': { sv: 'Programvara och informationssystem', en: 'Software and information systems' },
  '50': { sv: 'Reparation och underhåll', en: 'Repair and maintenance' },
  '51': { sv: 'Installationstjänster', en: 'Installation services' },
  '55': { sv: 'Hotell, restaurang och detaljhandel', en: 'Hotels, restaurants and retail' },
  '60': { sv: 'Transporttjänster', en: 'Transport services' },
  '63': { sv: 'Transportstöd och resebyråer', en: 'Transport support and travel agencies' },
  '64': { sv: 'Post och telekommunikation', en: 'Postal and telecommunications services' },
  '65': { sv: 'El-, gas- och vattenförsörjning', en: 'Public utilities' },
  '66': { sv: 'Finans och försäkring', en: 'Financial and insurance services' },
  '70': { sv: 'Fastighetstjänster', en: 'Real estate services' },
  '71': { sv: 'Arkitekt-, bygg- och ingenjörstjänster', en: 'Architecture, construction and engineering services' },
  '72': { sv: 'IT-tjänster', en: 'IT services' },
  '73': { sv: 'Forskning och utveckling', en: 'Research and development' },
  '75': { sv: 'Offentlig förvaltning och försvar', en: 'Public administration and defence' },
  '76': { sv: 'Tjänster för olje- och gasindustrin', en: 'Oil and gas industry services' },
  '77': { sv: 'Jordbruks-, skogsbruks- och trädgårdstjänster', en: 'Agricultural, forestry and gardening services' },
  '79': { sv: 'Företagstjänster', en: 'Business services' },
  '80': { sv: 'Utbildning', en: 'Education and training' },
  '85': { sv: 'Hälso- och sjukvård samt omsorg', en: 'Health and social care' },
  '90': { sv: 'Avlopp, avfall, städning och miljö', en: 'Sewage, waste, cleaning and environment' },
  '92': { sv: 'Fritid, kultur och sport', en: 'Recreation, culture and sport' },
  '98': { sv: 'Övriga samhälls- och personliga tjänster', en: 'Other community and personal services' },
};

const WEIGHTS = [3, 7, 1, 3, 7, 1, 3, 7] as const;

/** Published codes whose check digit differs from the formula (see the header). */
const EXCEPTIONS_TEXT = `
  03300000-2 03310000-5 03311000-2 03311100-3 03311110-6 03311120-9 03311200-4 03311210-7 03311220-0
  03311230-3 03311240-6 03311300-5 03311400-6 03311500-7 03311600-8 03311700-9 03312000-9 03312100-0
  03312200-1 03312300-2 03313000-6 03313100-7 03313200-8 03313300-9 03313310-2 03320000-8 03321000-5
  03321100-6 03321200-7 03322000-2 03322100-3 03322200-4 03322300-5 03323000-9 03324000-6 03325000-3
  03325100-4 03325200-5 03400000-4 03410000-7 03411000-4 03412000-1 03413000-8 03414000-5 03415000-2
  03416000-9 03417000-6 03417100-7 03418000-3 03418100-4 03419000-0 03419100-1 03419200-2 03420000-0
  03421000-7 03422000-4 03430000-3 03431000-0 03432000-7 03432100-8 03440000-6 03441000-3 03450000-9
  03451000-6 03451100-7 03451200-8 03451300-9 03452000-3 03460000-2 03461000-9 03461100-0
  09100000-0 09110000-3 09111000-0 09111100-1 09111200-2 09111210-5 09111220-8 09111300-3 09111400-4
  09112000-7 09112100-8 09112200-9 09113000-4 09120000-6 09121000-3 09121100-4 09121200-5 09122000-0
  09122100-1 09122110-4 09122200-2 09122210-5 09123000-7 09130000-9 09131000-6 09131100-7 09132000-3
  09132100-4 09132200-5 09132300-6 09133000-0 09134000-7 09134100-8 09134200-9 09134210-2 09134220-5
  09134230-8 09134231-5 09134232-2 09135000-4 09135100-5 09135110-8 09200000-1 09210000-4 09211000-1
  09211100-2 09211200-3 09211300-4 09211400-5 09211500-6 09211600-7 09211610-0 09211620-3 09211630-6
  09211640-9 09211650-2 09211700-8 09211710-1 09211720-4 09211800-9 09211810-2 09211820-5 09211900-0
  09220000-7 09221000-4 09221100-5 09221200-6 09221300-7 09221400-8 09222000-1 09222100-2 09230000-0
  09240000-3 09241000-0 09242000-7 09242100-8 09300000-2 09310000-5 09320000-8 09321000-5 09322000-2
  09323000-9 09324000-6 09330000-1 09331000-8 09331100-9 09331200-0 09332000-5 09340000-4 09341000-1
  09342000-8 09343000-5 09344000-2
  31711154-0 31711155-7
  33141113-4
  34211100-9 34211200-9 34211300-9 34421000-7 34422000-7
  35113110-0 35125300-2 35331300-3 35642000-7
  37442100-8 37442200-8 37442300-8 37442400-8 37442500-8 37442600-8 37442700-8 37442800-8 37442900-8
  38941000-7 38942000-7 38944000-7 38945000-7 38946000-7 38947000-7
  42100000-0 42110000-3 42111000-0 42111100-1 42112000-7 42112100-8 42112200-9 42112210-2 42112300-0
  42112400-1 42112410-4 42113000-4 42113100-5 42113110-8 42113120-1 42113130-4 42113150-0 42113160-3
  42113161-0 42113170-6 42113171-3 42113172-0 42113190-2 42113200-6 42113300-7 42113310-0 42113320-3
  42113390-4 42113400-8 42120000-6 42121000-3 42121100-4 42121200-5 42121300-6 42121400-7 42121500-8
  42122000-0 42122100-1 42122110-4 42122120-7 42122130-0 42122160-9 42122161-6 42122170-2 42122180-5
  42122190-8 42122200-2 42122210-5 42122220-8 42122230-1 42122300-3 42122400-4 42122410-7 42122411-4
  42122419-0 42122420-0 42122430-3 42122440-6 42122450-9 42122460-2 42122480-8 42122500-5 42122510-8
  42123000-7 42123100-8 42123200-9 42123300-0 42123400-1 42123410-4 42123500-2 42123600-3 42123610-6
  42123700-4 42123800-5 42124000-4 42124100-5 42124130-4 42124150-0 42124170-6 42124200-6 42124210-9
  42124211-6 42124212-3 42124213-0 42124220-2 42124221-9 42124222-6 42124230-5 42124290-3 42124300-7
  42124310-0 42124320-3 42124330-6 42124340-9 42130000-9 42131000-6 42131100-7 42131110-0 42131120-3
  42131130-6 42131140-9 42131141-6 42131142-3 42131143-0 42131144-7 42131145-4 42131146-1 42131147-8
  42131148-5 42131150-2 42131160-5 42131170-8 42131200-8 42131210-1 42131220-4 42131230-7 42131240-0
  42131250-3 42131260-6 42131270-9 42131280-2 42131290-5 42131291-2 42131292-9 42131300-9 42131310-2
  42131320-5 42131390-6 42131400-0 42132000-3 42132100-4 42132110-7 42132120-0 42132130-3 42132200-5
  42132300-6 42140000-2 42141000-9 42141100-0 42141110-3 42141120-6 42141130-9 42141200-1 42141300-2
  42141400-3 42141410-6 42141500-4 42141600-5 42141700-6 42141800-7 42142000-6 42142100-7 42142200-8
  42150000-5 42151000-2 42152000-9 42152100-0 42152200-1 42160000-8 42161000-5 42162000-2 42163000-9
  42164000-6 42165000-3
  45233139-3
  48628000-9
  51000000-9
  65122000-0 65123000-3
  71351920-2 71351921-2 71351923-2 71351924-2
  72212100-0 72212110-3 72212120-6 72212121-3 72212130-9 72212131-6 72212132-3 72212140-2 72212150-5
  72212160-8 72212170-1 72212180-4 72212190-7 72212200-1 72212210-4 72212211-1 72212212-8 72212213-5
  72212214-2 72212215-9 72212216-6 72212217-3 72212218-0 72212219-7 72212220-7 72212221-4 72212222-1
  72212223-8 72212224-5 72212300-2 72212310-5 72212311-2 72212312-9 72212313-6 72212314-3 72212315-0
  72212316-7 72212317-4 72212318-1 72212320-8 72212321-5 72212322-2 72212323-9 72212324-6 72212325-3
  72212326-0 72212327-7 72212328-4 72212330-1 72212331-8 72212332-5 72212333-2 72212400-3 72212410-6
  72212411-3 72212412-0 72212420-9 72212421-6 72212422-3 72212430-2 72212440-5 72212441-2 72212442-9
  72212443-6 72212445-0 72212450-8 72212451-5 72212460-1 72212461-8 72212462-5 72212463-2 72212470-4
  72212480-7 72212481-4 72212482-1 72212490-0 72212500-4 72212510-7 72212511-4 72212512-1 72212513-8
  72212514-5 72212515-2 72212516-9 72212517-6 72212518-3 72212519-0 72212520-0 72212521-7 72212522-4
  72212600-5 72212610-8 72212620-1 72212630-4 72212640-7 72212650-0 72212660-3 72212670-6 72212700-6
  72212710-9 72212720-2 72212730-5 72212731-2 72212732-9 72212740-8 72212750-1 72212760-4 72212761-1
  72212770-7 72212771-4 72212772-1 72212780-0 72212781-7 72212782-4 72212783-1 72212790-3 72212900-8
  72212910-1 72212911-8 72212920-4 72212930-7 72212931-4 72212932-1 72212940-0 72212941-7 72212942-4
  72212960-6 72212970-9 72212971-6 72212972-3 72212980-2 72212981-9 72212982-6 72212983-3 72212984-0
  72212985-7 72212990-5 72212991-2 72267100-0 72267200-1 72330000-2 72400000-4 72410000-7 72411000-4
  72412000-1 72413000-8 72414000-5 72415000-2 72416000-9 72417000-6 72420000-0 72421000-7 72422000-4
  72600000-6 72610000-9 72611000-6 72700000-7 72710000-0 72720000-3 72800000-8 72810000-1 72820000-4
  72900000-9 72910000-2 72920000-5
  79342410-4
  85210000-3
  92225100-7
`;

export const CPV_CHECK_DIGIT_EXCEPTIONS: ReadonlyMap<string, number> = new Map(
  EXCEPTIONS_TEXT.trim()
    .split(/\s+/)
    .map((token) => [token.slice(0, 8), Number(token[9])] as const),
);

function assertCode8(code8: string): void {
  if (typeof code8 !== 'string' || !/^\d{8}$/.test(code8)) {
    throw new CpvError(`CPV ${show(code8)}: expected 8 digits without check digit`, 'format');
  }
}

/** The bare formula, without the official list's exceptions. */
export function cpvCalculatedCheckDigit(code8: string): number {
  assertCode8(code8);
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += WEIGHTS[i] * Number(code8[i]);
  return sum % 10;
}

/** The check digit as published in the official CPV list. */
export function cpvCheckDigit(code8: string): number {
  assertCode8(code8);
  return CPV_CHECK_DIGIT_EXCEPTIONS.get(code8) ?? cpvCalculatedCheckDigit(code8);
}

/**
 * Accepts `45214200`, `45214200-2`, `45214200.0` (a number as spreadsheets and
 * the UHM export write it) with surrounding whitespace; returns `45214200`.
 * Seven digits starting with 3 or 9 are read as division 03 or 09 whose
 * leading zero a spreadsheet dropped (`3111000.0` → `03111000`); the only
 * divisions that start with a zero are 03 and 09.
 */
export function normalizeCpv(input: string): string {
  if (typeof input !== 'string') throw new CpvError('CPV code must be a string', 'format');
  const trimmed = input.trim();
  if (trimmed === '') throw new CpvError('CPV code is empty', 'empty');
  const label = `CPV ${show(trimmed)}`;

  const m = /^(\d+)(?:-(\d)|\.0+)?$/.exec(trimmed);
  if (!m) {
    throw new CpvError(`${label}: expected 8 digits, optionally followed by -<check digit>`, 'format');
  }
  let code = m[1];
  const check: string | undefined = m[2];
  if (code.length === 7 && (code[0] === '3' || code[0] === '9')) code = `0${code}`;
  if (code.length !== 8) throw new CpvError(`${label}: must be 8 digits, got ${code.length}`, 'length');

  const division = code.slice(0, 2);
  if (!Object.hasOwn(CPV_DIVISIONS, division)) {
    throw new CpvError(`${label}: no CPV division ${division}`, 'division');
  }
  if (/0[1-9]/.test(code.slice(2))) {
    throw new CpvError(`${label}: a zero cannot be followed by a non-zero digit`, 'structure');
  }
  if (check !== undefined) {
    const expected = cpvCheckDigit(code);
    if (Number(check) !== expected) {
      throw new CpvError(`${label}: wrong check digit (expected ${expected})`, 'check-digit');
    }
  }
  return code;
}

export function tryNormalizeCpv(input: string): string | null {
  try {
    return normalizeCpv(input);
  } catch (err) {
    if (err instanceof CpvError) return null;
    throw err;
  }
}

/** `45214200` → `45214200-2`, the form TED R2 XML and most OCDS data use. */
export function cpvWithCheckDigit(code: string): string {
  const c = normalizeCpv(code);
  return `${c}-${cpvCheckDigit(c)}`;
}

/**
 * The significant prefix: trailing zeros stripped, never below the 2-digit
 * division (`45000000` → `45`, `45214200` → `452142`, `45214210` → `4521421`).
 * Every descendant of a code starts with its prefix, and only descendants do.
 */
export function cpvPrefix(code: string): string {
  const c = normalizeCpv(code);
  const stripped = c.replace(/0+$/, '');
  return stripped.length >= 2 ? stripped : c.slice(0, 2);
}

export function cpvLevel(code: string): CpvLevel {
  switch (cpvPrefix(code).length) {
    case 2:
      return 'division';
    case 3:
      return 'group';
    case 4:
      return 'class';
    case 5:
      return 'category';
    default:
      return 'subcategory';
  }
}

export function isSameOrDescendant(code: string, ancestor: string): boolean {
  return normalizeCpv(code).startsWith(cpvPrefix(ancestor));
}

/** Strict: a code is not its own descendant. */
export function isDescendant(code: string, ancestor: string): boolean {
  return isSameOrDescendant(code, ancestor) && normalizeCpv(code) !== normalizeCpv(ancestor);
}

const pad8 = (prefix: string): string => prefix.padEnd(8, '0');

/**
 * The code one level up (`45214210` → `45214200`), or null for a division.
 * Structural: in 35 places the official list skips a level (e.g. `30192121`
 * sits directly under `30192100`; there is no `30192120`), and the parent
 * returned is then not itself a published code. Prefix matching is unaffected.
 */
export function cpvParent(code: string): string | null {
  const prefix = cpvPrefix(code);
  return prefix.length === 2 ? null : pad8(prefix.slice(0, -1));
}

/** All ancestors, nearest first, ending with the division. */
export function cpvAncestors(code: string): string[] {
  const out: string[] = [];
  for (let p = cpvParent(code); p !== null; p = cpvParent(p)) out.push(p);
  return out;
}

/** Label of the division a code belongs to; also takes a bare division (`'45'`). */
export function divisionLabel(code: string, lang: 'sv' | 'en'): string | null {
  const division = /^\s*\d{2}\s*$/.test(code) ? code.trim() : tryNormalizeCpv(code)?.slice(0, 2);
  if (division === undefined || !Object.hasOwn(CPV_DIVISIONS, division)) return null;
  return CPV_DIVISIONS[division][lang];
}

/**
 * The full CPV labels, once loaded (`npm run import:cpv` stores them; the
 * service loads them at start). Brygga ships only the 45 division names.
 */
const labels = new Map<string, { sv: string; en: string }>();

export function setCpvLabels(entries: Iterable<{ code: string; sv: string; en: string }>): void {
  labels.clear();
  for (const e of entries) labels.set(e.code, { sv: e.sv, en: e.en });
}

/** The code's own label when the full list is loaded (`exact`), else its division's, else none. */
export function cpvLabel(code: string, lang: 'sv' | 'en'): { text: string | null; exact: boolean } {
  const own = labels.get(code);
  if (own) return { text: own[lang], exact: true };
  if (code.endsWith('000000')) {
    const division = divisionLabel(code, lang);
    if (division) return { text: division, exact: true };
  }
  return { text: divisionLabel(code, lang), exact: false };
}

/** Input echoed in messages, cut short so a pasted document cannot flood a log line. */
function show(value: unknown): string {
  const s = String(value);
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}
