// GET /api/search parameters. Lists may repeat the parameter or separate
// values with commas (`cpv=45000000,90900000` or `cpv=45000000&cpv=90900000`).
// An unknown parameter is an error, not silently ignored.
import { z } from 'zod';
import { OrgNumberError, parseOrgNumber } from '../domain/orgnr.ts';
import { COUNTY_NUTS3, isMunicipalityCode } from '../domain/regions.ts';
import { cpvCode, NOTICE_KINDS } from '../notices/notice.schema.ts';
import {
  CSR_FLAGS, LOCAL_REGION, MAX_PAGE_SIZE, MAX_QUERY_LENGTH, RESULT_CAP, SEARCH_SORTS, SEARCH_STATUSES, type SearchQuery,
} from './search.types.ts';
import { MAX_QUERY_WORDS, parseTextQuery, queryWords } from './text.ts';

const MAX_VALUES = 20;
/** One value, or one comma-separated run of them, as given. */
const MAX_PARAMETER_LENGTH = 2000;

/** A parameter given once, several times or comma-separated → its values. */
function list<T extends z.ZodType<unknown, string>>(item: T) {
  return z
    .union([
      z.string().max(MAX_PARAMETER_LENGTH),
      z.array(z.string().max(MAX_PARAMETER_LENGTH)).max(MAX_VALUES, `at most ${MAX_VALUES} values`),
    ])
    .transform((v) => (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(item).max(MAX_VALUES, `at most ${MAX_VALUES} values`))
    .default([] as never);
}

/** A CPV code at any level: 45, 452 (a prefix, padded with zeros), 45000000, 45214200-2. */
const cpv = z.string().max(40).transform((value) => (/^\d{2,7}$/.test(value) ? value.padEnd(8, '0') : value)).pipe(cpvCode);

/** A buyer's id, or its organisationsnummer (→ 10 digits). */
const buyer = z.string().max(64, 'a buyer id or organisationsnummer').transform((value, ctx) => {
  if (/^[\d\s-]{10,15}$/.test(value)) {
    try {
      return parseOrgNumber(value).digits;
    } catch (error) {
      if (!(error instanceof OrgNumberError)) throw error;
      ctx.addIssue({ code: 'custom', message: error.message });
      return z.NEVER;
    }
  }
  if (/^[0-9A-Za-z_-]{1,64}$/.test(value)) return value;
  ctx.addIssue({ code: 'custom', message: 'a buyer id or organisationsnummer' });
  return z.NEVER;
});

/** Countries with NUTS codes: the EU, EFTA and candidate countries, and the UK of older notices. */
const NUTS_COUNTRIES = new Set('AL AT BE BG CH CY CZ DE DK EE EL ES FI FR HR HU IE IS IT LI LT LU LV ME MK MT NL NO PL PT RO RS SE SI SK TR UK'.split(' '));
/** Sweden's NUTS codes, every level: the counties' NUTS-3 regions and what contains them. */
const SWEDISH_NUTS = new Set(Object.values(COUNTY_NUTS3).flatMap((code) => [2, 3, 4, 5].map((n) => code.slice(0, n))));

/** A Swedish NUTS code that exists, or another country's at any level (DE, DE3, DE300). */
const isKnownNuts = (code: string) =>
  code.startsWith('SE') ? SWEDISH_NUTS.has(code) : NUTS_COUNTRIES.has(code.slice(0, 2)) && /^[A-Z]{2}[0-9A-Z]{0,3}$/.test(code);

/**
 * `local` (the local area, as in subscriptions), a kommunkod (1441) or a NUTS
 * code at any level (SE, SE2, SE23, SE232). Anything else would silently find
 * nothing, so it is an error.
 */
const region = z.string().max(5, 'unknown region; use local (the local area), a kommunkod (1441) or a NUTS code (SE, SE2, SE232)').transform((value, ctx) => {
  if (value.toLowerCase() === LOCAL_REGION) return LOCAL_REGION;
  const code = value.toUpperCase();
  if (isMunicipalityCode(code) || isKnownNuts(code)) return code;
  ctx.addIssue({ code: 'custom', message: 'unknown region; use local (the local area), a kommunkod (1441) or a NUTS code (SE, SE2, SE232)' });
  return z.NEVER;
});

const procedure = z.string().max(60, 'a procedure code, e.g. open').toLowerCase().regex(/^[a-z0-9-]{1,60}$/, 'a procedure code, e.g. open');

const dateOnly = /^\d{4}-\d{2}-\d{2}$/;

/** YYYY-MM-DD or an ISO-8601 date-time with offset → an instant; a bare date is the start (from) or end (to) of that day, UTC. */
function instant(end: 'from' | 'to') {
  return z
    .string()
    .max(40, 'a date (2027-03-01) or date-time (2027-03-01T12:00:00+01:00)')
    .refine((v) => (dateOnly.test(v) ? z.iso.date().safeParse(v).success : z.iso.datetime({ offset: true }).safeParse(v).success), {
      message: 'a date (2027-03-01) or date-time (2027-03-01T12:00:00+01:00)',
    })
    .transform((v) => (dateOnly.test(v) ? `${v}T${end === 'from' ? '00:00:00.000' : '23:59:59.999'}Z` : new Date(v).toISOString()))
    .optional();
}

const amount = z.coerce.number('a number').finite().nonnegative().max(1e15).optional();

const shape = {
  q: z.string().trim().max(MAX_QUERY_LENGTH, `at most ${MAX_QUERY_LENGTH} characters`)
    .refine((q) => queryWords(parseTextQuery(q)) <= MAX_QUERY_WORDS, `at most ${MAX_QUERY_WORDS} words`)
    .default(''),
  cpv: list(cpv),
  buyer: list(buyer),
  region: list(region),
  procedure: list(procedure),
  kind: list(z.enum(NOTICE_KINDS)),
  status: list(z.enum(SEARCH_STATUSES)),
  csr: list(z.enum(CSR_FLAGS)),
  deadlineFrom: instant('from'),
  deadlineTo: instant('to'),
  publishedFrom: instant('from'),
  publishedTo: instant('to'),
  valueMin: amount,
  valueMax: amount,
  sort: z.enum(SEARCH_SORTS).default('relevance'),
  page: z.coerce.number('a whole number').int().min(1).max(RESULT_CAP).default(1),
  pageSize: z.coerce.number('a whole number').int().min(1).max(MAX_PAGE_SIZE).default(20),
};

export const searchQuerySchema = z
  .preprocess((raw, ctx) => {
    if (raw && typeof raw === 'object') {
      for (const key of Object.keys(raw)) {
        if (!Object.hasOwn(shape, key)) ctx.addIssue({ code: 'custom', path: [key], message: `unknown parameter; use ${Object.keys(shape).join(', ')}` });
      }
    }
    return raw;
  }, z.object(shape))
  .superRefine((v, ctx) => {
    const after = (a: unknown, b: unknown) => a !== undefined && b !== undefined && (a as string | number) > (b as string | number);
    if (after(v.deadlineFrom, v.deadlineTo)) ctx.addIssue({ code: 'custom', path: ['deadlineTo'], message: 'before deadlineFrom' });
    if (after(v.publishedFrom, v.publishedTo)) ctx.addIssue({ code: 'custom', path: ['publishedTo'], message: 'before publishedFrom' });
    if (after(v.valueMin, v.valueMax)) ctx.addIssue({ code: 'custom', path: ['valueMax'], message: 'less than valueMin' });
    if (v.page * v.pageSize > RESULT_CAP) {
      ctx.addIssue({ code: 'custom', path: ['page'], message: `page × pageSize may not exceed ${RESULT_CAP}; narrow the search instead` });
    }
  })
  .transform(
    (v): SearchQuery => ({
      ...v,
      deadlineFrom: v.deadlineFrom ?? null,
      deadlineTo: v.deadlineTo ?? null,
      publishedFrom: v.publishedFrom ?? null,
      publishedTo: v.publishedTo ?? null,
      valueMin: v.valueMin ?? null,
      valueMax: v.valueMax ?? null,
    }),
  );
