// The notice as DESIGN.md describes it: what officers POST, what every parser
// produces and what the API returns. One schema guards all of those doors.
import { z } from 'zod';
import type { NoticeCode } from '../domain/match.ts';
import { CpvError, normalizeCpv } from '../domain/cpv.ts';
import { EFORMS_CRITERIA, REQUIREMENTS } from '../domain/csr.ts';
import { OrgNumberError, parseOrgNumber } from '../domain/orgnr.ts';
import { COUNTY_NUTS3 } from '../domain/regions.ts';
import { cleanText } from '../domain/text.ts';

export const NOTICE_SOURCES = ['eforms', 'ocds', 'uhm', 'local'] as const;
export const NOTICE_KINDS = ['planning', 'tender', 'award', 'change'] as const;
export const COMPANY_SIZES = ['micro', 'small', 'medium', 'large'] as const;

/** eForms procurement-procedure-type (BT-105), the whole code list. Parsers map their feed's words onto it. */
export const PROCEDURE_TYPES = [
  'open', 'restricted', 'neg-w-call', 'neg-wo-call', 'comp-dial', 'innovation', 'oth-single', 'oth-mult', 'comp-tend', 'exp-int-rail',
] as const;

// NUTS: Sweden's codes are checked one by one (they decide who hears about a
// notice); other countries' codes by country and shape, since Brygga keeps no
// copy of every country's list and foreign notices must keep importing.
const SWEDISH_NUTS3 = [...Object.values(COUNTY_NUTS3), 'SEZZZ'].sort();
const SWEDISH_NUTS = new Set(SWEDISH_NUTS3.flatMap((c) => [c.slice(0, 2), c.slice(0, 3), c.slice(0, 4), c]));
const NUTS_COUNTRIES = [
  'AT', 'BE', 'BG', 'CY', 'CZ', 'DE', 'DK', 'EE', 'EL', 'ES', 'FI', 'FR', 'HR', 'HU', 'IE', 'IT', 'LT', 'LU', 'LV', 'MT',
  'NL', 'PL', 'PT', 'RO', 'SI', 'SK', 'CH', 'IS', 'LI', 'NO', 'UK', 'AL', 'ME', 'MK', 'RS', 'TR',
];
const FOREIGN_NUTS = new RegExp(`^(?:${NUTS_COUNTRIES.join('|')})[0-9A-Z]{0,3}$`);

export function isProcedureType(value: string): boolean {
  return (PROCEDURE_TYPES as readonly string[]).includes(value);
}

/** A NUTS code as the schema accepts it (upper case). */
export function isNutsCode(value: string): boolean {
  return SWEDISH_NUTS.has(value) || FOREIGN_NUTS.test(value);
}

const URL_MESSAGE = 'an http(s) URL with a public host name, without spaces or control characters, e.g. https://www.example.se/upphandling/42';
// z.url() is WHATWG URL parsing, which skips tabs and line breaks and lets
// spaces and bidi controls through: a link is one visible token, so those are refused first.
const url = z
  .string()
  .trim()
  .max(2000)
  .regex(/^[^\s\p{Cc}\u202a-\u202e\u2066-\u2069]+$/u, URL_MESSAGE)
  .pipe(z.url({ protocol: /^https?$/, hostname: z.regexes.domain, error: URL_MESSAGE }));

/** The value when it is a link the schema accepts, else null: a bad link is dropped, never a reason to refuse a notice. */
export function httpUrl(value: unknown): string | null {
  const result = url.safeParse(value);
  return result.success ? result.data : null;
}

/**
 * Limits no real notice reaches (docs/api.md lists them): they bound the work
 * one request can cause — validation, matching, the reach preview, storage.
 */
export const LIMITS = {
  /** A code, number or date as given, before it is normalised (CPV 45214200-2, orgnr 16556016-0680, …). */
  code: 40,
  /** Codes from one of the closed CSR lists (BT-06, BT-775, …, requirements); the longest list has 10 codes, duplicates are dropped. */
  criteria: 20,
  /** NUTS codes of the place of performance (a notice for all of Sweden names 21 counties). */
  nuts: 200,
  cpvAdditional: 200,
  lots: 500,
  awards: 1000,
} as const;

/** A CPV code in any accepted spelling, normalised to its 8 digits. */
export const cpvCode = z.string().max(LIMITS.code).transform((value, ctx) => {
  try {
    return normalizeCpv(value);
  } catch (error) {
    if (!(error instanceof CpvError)) throw error;
    ctx.addIssue({ code: 'custom', message: error.message });
    return z.NEVER;
  }
});

/** A Swedish organisationsnummer, stored as 10 digits. Sole traders allowed. */
export const orgNumberOf = ({ allowPersonal }: { allowPersonal: boolean }) =>
  z.string().max(LIMITS.code).transform((value, ctx) => {
    try {
      return parseOrgNumber(value, { allowPersonal }).digits;
    } catch (error) {
      if (!(error instanceof OrgNumberError)) throw error;
      ctx.addIssue({ code: 'custom', message: error.message });
      return z.NEVER;
    }
  });

export const orgNumber = orgNumberOf({ allowPersonal: true });

export const money = z.object({
  amount: z.number().finite().nonnegative(),
  currency: z.string().trim().max(3, 'ISO 4217 currency code, e.g. SEK').toUpperCase().regex(/^[A-Z]{3}$/, 'ISO 4217 currency code, e.g. SEK'),
});

/** One line of text: controls, C1 and bidi overrides removed, tabs and line breaks made spaces (src/domain/text.ts). */
const line = () => z.string().overwrite((s) => cleanText(s)).trim();
const multiline = () => z.string().overwrite((s) => cleanText(s, { multiline: true })).trim();

/** A code from a closed list; the message names every allowed value. */
const codeFrom = (what: string, codes: readonly string[]) =>
  z.string().trim().max(LIMITS.code, `${what}: one of ${codes.join(', ')}`).toLowerCase().refine((c) => codes.includes(c), `${what}: one of ${codes.join(', ')}`);

const nuts = z
  .string()
  .trim()
  .max(5, 'a NUTS code has at most 5 characters (SE232)')
  .toUpperCase()
  .refine(isNutsCode, `a NUTS code: in Sweden one of ${[...SWEDISH_NUTS].join(', ')}; elsewhere a country code (${NUTS_COUNTRIES.join(', ')}) and up to 3 letters or digits`);
const isoDateTime = z.string().max(LIMITS.code).pipe(z.iso.datetime({ offset: true })).transform((s) => new Date(s).toISOString());
/** A publication day without a time stays a day: inventing midnight would put it on the wrong date in UTC or in Stockholm. */
const DATE_MESSAGE = 'a date (2026-11-30) or an ISO-8601 date-time with a time zone (2026-11-30T09:00:00+01:00)';
const dateOrDateTime = z.string().max(LIMITS.code, DATE_MESSAGE).pipe(z.union([
  z.iso.date({ error: DATE_MESSAGE }),
  z.iso.datetime({ offset: true, error: DATE_MESSAGE }).transform((s) => new Date(s).toISOString()),
]));

export const cpvSet = z.object({
  main: cpvCode,
  additional: z.array(cpvCode).max(LIMITS.cpvAdditional).default([]),
});

export const lotSchema = z.object({
  id: line().min(1).max(64),
  title: line().max(1000).nullable().default(null),
  cpv: cpvSet.nullable().default(null),
  estimatedValue: money.nullable().default(null),
});

/** Codes from a closed list, each once (a repeated code asks nothing more). */
const codeList = (what: string, codes: readonly string[]) =>
  z
    .array(codeFrom(what, codes))
    .max(LIMITS.criteria, `at most ${LIMITS.criteria} codes: ${codes.join(', ')}`)
    .transform((list) => [...new Set(list)])
    .default([]);

const criterion = (what: string, kind: keyof typeof EFORMS_CRITERIA) => codeList(what, Object.keys(EFORMS_CRITERIA[kind]));

export const criteriaSchema = z.object({
  strategic: criterion('a strategic procurement code (BT-06)', 'strategic'),
  social: criterion('a social objective (BT-775)', 'social'),
  green: criterion('an environmental impact (BT-774)', 'green'),
  gpp: criterion('a green public procurement criterion (BT-805)', 'gpp'),
  reserved: criterion('a reserved participation code (BT-71)', 'reserved'),
  smeSuitable: z.boolean().nullable().default(null),
  requirements: codeList('a requirement', Object.keys(REQUIREMENTS)),
});

export const awardSchema = z.object({
  lotId: line().max(64).nullable().default(null),
  winner: z.object({
    name: line().min(1).max(500),
    orgNumber: line().max(40).nullable().default(null),
    size: z.enum(COMPANY_SIZES).nullable().default(null),
    nuts: nuts.nullable().default(null),
    postalCode: line().max(20).nullable().default(null),
  }),
  value: money.nullable().default(null),
  tendersReceived: z.number().int().nonnegative().nullable().default(null),
  /** The day the contract was awarded (YYYY-MM-DD): registered by officers; absent from feeds that do not say. */
  date: z.string().max(LIMITS.code).pipe(z.iso.date({ error: 'a date, e.g. 2026-11-30' })).optional(),
});

/** Where a firm goes from an alert: the procurement documents, the submission system, the official notice. */
export const linksSchema = z.object({
  documents: url.nullable().default(null),
  submission: url.nullable().default(null),
  source: url.nullable().default(null),
});

export const NO_LINKS = { documents: null, submission: null, source: null };

export const noticeInputSchema = z.object({
  source: z.enum(NOTICE_SOURCES).default('local'),
  sourceId: line().min(1).max(200).optional(),
  version: line().max(40).nullable().default(null),
  procedureId: line().max(200).nullable().default(null),
  kind: z.enum(NOTICE_KINDS, { error: `a notice kind: one of ${NOTICE_KINDS.join(', ')}` }).default('tender'),
  title: line().min(1, 'a notice needs a title').max(1000),
  description: multiline().max(100_000).nullable().default(null),
  language: z.string().trim().max(2, 'an ISO 639-1 language code, e.g. sv').toLowerCase().regex(/^[a-z]{2}$/, 'an ISO 639-1 language code, e.g. sv').default('sv'),
  buyer: z.object({
    name: line().min(1).max(500),
    orgNumber: orgNumber.nullable().default(null),
    nuts: nuts.nullable().default(null),
  }),
  cpv: cpvSet,
  lots: z.array(lotSchema).max(LIMITS.lots).default([]).superRefine((lots, ctx) => {
    // Lots are addressed by id (awards, matches, alerts): two with one id would be one lot.
    const seen = new Set<string>();
    lots.forEach((lot, i) => {
      if (seen.has(lot.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `lot id ${lot.id} is used twice: every lot needs its own id` });
      seen.add(lot.id);
    });
  }),
  estimatedValue: money.nullable().default(null),
  publishedAt: dateOrDateTime.nullable().default(null),
  deadline: isoDateTime.nullable().default(null),
  procedure: codeFrom('a procedure type (eForms BT-105)', PROCEDURE_TYPES).nullable().default(null),
  placeOfPerformance: z
    .object({
      nuts: z.array(nuts).max(LIMITS.nuts).default([]),
      postalCode: line().max(20).nullable().default(null),
      town: line().max(200).nullable().default(null),
    })
    .default({ nuts: [], postalCode: null, town: null }),
  criteria: criteriaSchema.default({
    strategic: [], social: [], green: [], gpp: [], reserved: [], smeSuitable: null, requirements: [],
  }),
  awards: z.array(awardSchema).max(LIMITS.awards).default([]),
  /** The buyer's own case number (diarienummer); with the buyer, the identity of an officer's notice. */
  reference: line().min(1).max(100).nullable().default(null),
  links: linksSchema.default(NO_LINKS),
});

export type NoticeInput = z.output<typeof noticeInputSchema>;
export type NoticeInputRaw = z.input<typeof noticeInputSchema>;
export type Money = z.output<typeof money>;
export type Lot = z.output<typeof lotSchema>;
export type Criteria = z.output<typeof criteriaSchema>;
export type Award = z.output<typeof awardSchema>;
export type Links = z.output<typeof linksSchema>;
type CpvSet = z.output<typeof cpvSet>;

/** A stored notice as the API shows it. */
export type Notice = NoticeInput & { id: string; sourceId: string };

/** Every CPV code of a notice: the procedure's, then each lot's, the first of each set its main code. */
export function noticeCodes(notice: Pick<NoticeInput, 'cpv' | 'lots'>): NoticeCode[] {
  const set = (cpv: CpvSet, lotId: string | null, lotTitle: string | null) =>
    [cpv.main, ...cpv.additional].map((code, i) => ({ code, lotId, lotTitle, isMain: i === 0 }));
  return [set(notice.cpv, null, null), ...notice.lots.map((lot) => (lot.cpv ? set(lot.cpv, lot.id, lot.title) : []))].flat();
}
