/**
 * Swedish organisationsnummer (and, where allowed, personnummer of sole traders).
 *
 * Ten digits `GNNNNN-NNNN`; the last is a Luhn check digit over the first nine.
 * What separates an organisationsnummer from a personnummer is the third digit:
 * for a legal person the "month" (digits 3–4) is always 20 or more, so the third
 * digit is ≥ 2. The first digit (the group number) hints at the legal form.
 *
 * Error messages never repeat a number unless it is known to be an
 * organisationsnummer: anything else may be a personnummer, which must not reach
 * logs (DESIGN.md) — and error messages do.
 */

export type LegalFormHint =
  | 'estate'
  | 'state-region-municipality'
  | 'foreign'
  | 'joint-stock'
  | 'simple-company'
  | 'economic-association'
  | 'foundation-nonprofit'
  | 'partnership'
  | 'personal';

export type OrgNumberErrorReason =
  | 'empty'
  | 'format'
  | 'length'
  | 'prefix'
  | 'personal'
  | 'date'
  | 'group'
  | 'checksum';

export class OrgNumberError extends Error {
  override name = 'OrgNumberError';
  constructor(
    message: string,
    /** Stable reason for callers that translate the message. */
    readonly reason: OrgNumberErrorReason,
  ) {
    super(message);
  }
}

export interface ParsedOrgNumber {
  /** `NNNNNN-NNNN` */
  canonical: string;
  /** The ten digits; the form to store and compare. */
  digits: string;
  legalForm: LegalFormHint;
}

export interface ParseOrgNumberOptions {
  /** Accept a personnummer or samordningsnummer (enskild firma). Default false. */
  allowPersonal?: boolean;
}

/** Group number (first digit) → legal form. 0 and 4 are not in use. */
const GROUPS: Record<string, LegalFormHint> = {
  '1': 'estate', // dödsbon
  '2': 'state-region-municipality', // stat, regioner, kommuner, församlingar
  '3': 'foreign', // utländska företag med verksamhet eller fastighet i Sverige
  '5': 'joint-stock', // aktiebolag
  '6': 'simple-company', // enkla bolag
  '7': 'economic-association', // ekonomiska föreningar, bostadsrättsföreningar
  '8': 'foundation-nonprofit', // ideella föreningar, stiftelser
  '9': 'partnership', // handelsbolag, kommanditbolag
};

/** Luhn (mod 10) digit for the given digits, weights 2,1,2,1,… from the left as in Sweden. */
export function luhnCheckDigit(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    const product = Number(digits[i]) * (i % 2 === 0 ? 2 : 1);
    sum += product > 9 ? product - 9 : product;
  }
  return (10 - (sum % 10)) % 10;
}

function fail(message: string, reason: OrgNumberErrorReason): never {
  throw new OrgNumberError(message, reason);
}

export function parseOrgNumber(input: string, opts: ParseOrgNumberOptions = {}): ParsedOrgNumber {
  if (typeof input !== 'string') fail('Organisationsnummer must be a string', 'format');
  const trimmed = input.trim();
  if (trimmed === '') fail('Organisationsnummer is empty', 'empty');

  // Optional 2-digit prefix (16 for legal persons, 19/20 century for people),
  // then YYMMDD-style six digits, an optional - or + separator, four digits.
  const m = /^(\d{2})?(\d{6})([-+])?(\d{4})$/.exec(trimmed);
  if (!m) {
    if (!/^[\d+-]+$/.test(trimmed)) fail('Organisationsnummer may contain only digits and a hyphen', 'format');
    const count = trimmed.replace(/\D/g, '').length;
    if (count === 10 || count === 12) fail('Organisationsnummer: misplaced separator (expected NNNNNN-NNNN)', 'format');
    fail(`Organisationsnummer: must be 10 digits (or 12 with the 16 prefix), got ${count}`, 'length');
  }
  // Optional groups are undefined when absent (the index type does not say so).
  const prefix: string | undefined = m[1];
  const separator: string | undefined = m[3];
  const head = m[2];
  const tail = m[4];
  const digits = head + tail;
  const canonical = `${head}-${tail}`;

  if (Number(digits[2]) < 2) return parsePersonal(digits, canonical, prefix, opts);

  const label = `Organisationsnummer ${canonical}`;
  if (prefix !== undefined && prefix !== '16') {
    fail(`${label}: the 12-digit form must start with 16, not ${prefix}`, 'prefix');
  }
  if (separator === '+') fail(`${label}: "+" is only used in personnummer`, 'format');
  const legalForm: LegalFormHint | undefined = GROUPS[digits[0]];
  if (legalForm === undefined) fail(`${label}: no organisation group starts with ${digits[0]}`, 'group');
  if (luhnCheckDigit(digits.slice(0, 9)) !== Number(digits[9])) fail(`${label}: invalid check digit`, 'checksum');
  return { canonical, digits, legalForm };
}

/** Personnummer (YYMMDD) or samordningsnummer (day + 60) of a sole trader. */
function parsePersonal(
  digits: string,
  canonical: string,
  prefix: string | undefined,
  opts: ParseOrgNumberOptions,
): ParsedOrgNumber {
  if (prefix === '16') fail('Organisationsnummer: the 16 prefix is not used with a personnummer', 'prefix');
  if (!opts.allowPersonal) {
    fail('Organisationsnummer: looks like a personnummer, which is not accepted here', 'personal');
  }
  if (prefix !== undefined && prefix !== '19' && prefix !== '20') {
    fail('Personnummer: the 12-digit form must start with 19 or 20', 'prefix');
  }
  const month = Number(digits.slice(2, 4));
  const rawDay = Number(digits.slice(4, 6));
  const day = rawDay > 60 ? rawDay - 60 : rawDay;
  if (month < 1 || month > 12 || day < 1 || day > 31) {
    fail('Personnummer: not a valid date of birth', 'date');
  }
  if (luhnCheckDigit(digits.slice(0, 9)) !== Number(digits[9])) fail('Personnummer: invalid check digit', 'checksum');
  // Canonical form always uses "-": a "+" (age 100 or more) does not change the identity.
  return { canonical, digits, legalForm: 'personal' };
}

export function isValidOrgNumber(input: string, opts?: ParseOrgNumberOptions): boolean {
  try {
    parseOrgNumber(input, opts);
    return true;
  } catch (err) {
    if (err instanceof OrgNumberError) return false;
    throw err;
  }
}
