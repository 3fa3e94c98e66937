import { z } from 'zod';
import type { StoredFilters } from '../domain/match.ts';
import { CAPABILITIES, isCapability } from '../domain/csr.ts';
import { isEmptyQuery, parseKeywords } from '../domain/keywords.ts';
import { isMunicipalityCode } from '../domain/regions.ts';
import { cleanText } from '../domain/text.ts';
import { cpvCode, NOTICE_KINDS } from '../notices/notice.schema.ts';

/** A name as it will show in e-mail subjects and pages: one line, no control or bidi characters (src/domain/text.ts). */
const name = (max: number) => z.string().overwrite((s) => cleanText(s)).trim().min(1).max(max);

export const COMPANY_SIZES = ['micro', 'small', 'medium', 'large'] as const;

const capabilityCode = z
  .string()
  .trim()
  .max(60, `a capability: one of ${Object.keys(CAPABILITIES).join(', ')}`)
  .toLowerCase()
  .refine(isCapability, { message: `a capability: one of ${Object.keys(CAPABILITIES).join(', ')}` });

/** A CSR capability: a bare code, or a code with an expiry date (certificates). */
export const capabilitySchema = z.preprocess(
  (value) => (typeof value === 'string' ? { capability: value } : value),
  z.object({ capability: capabilityCode, validUntil: z.string().max(10, 'a date, e.g. 2027-06-30').pipe(z.iso.date()).nullable().default(null) }),
);

export const companyInputSchema = z.object({
  orgNumber: z.string().min(1).max(40),
  /** Enskild firma: the organisationsnummer is the owner's personnummer. */
  soleTrader: z.boolean().default(false),
  /** Plain text, one line, at most 120 characters: it heads the firm's e-mails. */
  name: name(120),
  email: z.email().max(254),
  municipalityCode: z.string().max(4, 'a four-digit kommunkod, e.g. 1441').refine(isMunicipalityCode, 'a four-digit kommunkod, e.g. 1441'),
  language: z.enum(['sv', 'en']).default('sv'),
  categories: z.array(cpvCode).min(1, 'at least one CPV category').max(200),
  csr: z.array(capabilitySchema).max(100).default([]),
  /** The firm's size as it states it (EU definition: micro < 10 employees, small < 50, medium < 250); optional. */
  size: z.enum(COMPANY_SIZES).nullable().optional(),
  /** The day the firm was founded (registered with Bolagsverket); optional. */
  founded: z.string().max(10, 'a date, e.g. 2024-03-01').pipe(z.iso.date()).nullable().optional(),
});

export const FREQUENCIES = ['instant', 'daily', 'weekly'] as const;

const region = z
  .string()
  .trim()
  .max(5, 'local, a kommunkod (1441) or a NUTS code (SE232)')
  .refine((r) => r === 'local' || isMunicipalityCode(r) || /^SE[0-9]{0,3}$/.test(r), 'local, a kommunkod (1441) or a NUTS code (SE232)');

/** What narrows a subscription beyond its CPV codes; every key optional. */
export const filtersSchema = z
  .object({
    /** Also notices one CPV level above each code. */
    includeParent: z.boolean().default(false),
    /** Words, "quoted phrases" and -exclusions, e.g. `städ "fönster puts" -bygg`. */
    keywords: z
      .string()
      .trim()
      .max(500)
      .nullable()
      .default(null)
      .refine((k) => !k || !isEmptyQuery(parseKeywords(k)), 'keywords has no words in it'),
    regions: z.array(region).max(100).default([]),
    minValue: z.number().nonnegative().nullable().default(null),
    maxValue: z.number().nonnegative().nullable().default(null),
    kinds: z.array(z.enum(NOTICE_KINDS)).max(NOTICE_KINDS.length).default([]),
    procedures: z.array(z.string().trim().min(1).max(60)).max(20).default([]),
    onlyCsr: z.boolean().default(false),
    strict: z.boolean().default(false),
    /** Only matches scoring at least this (1–100), after the firm's award history and feedback. */
    minScore: z.number().int().min(1).max(100).nullable().default(null),
  })
  .refine((f) => f.minValue === null || f.maxValue === null || f.minValue <= f.maxValue, {
    message: 'minValue must not exceed maxValue',
    path: ['maxValue'],
  });

export const subscriptionInputSchema = z
  .object({
    name: name(200),
    cpv: z.array(cpvCode).min(1, 'at least one CPV code').max(200),
    frequency: z.enum(FREQUENCIES).default('instant'),
    /** Days before a deadline to remind; when not given, 3 for instant and none for digests. */
    reminderDays: z.number().int().min(1).max(30).nullable().optional(),
  })
  .and(filtersSchema);

/** What PATCH /api/companies/:id may change: checked whole, over the stored values. */
export const companyPatchSchema = companyInputSchema.pick({
  name: true, email: true, municipalityCode: true, language: true, categories: true, csr: true, size: true, founded: true,
});

/** A user the owner invites: signs in with an e-mail link to this address. */
export const firmUserInputSchema = z.object({
  email: z.email().max(254),
  name: name(120).nullable().optional(),
  /** Another owner (who may invite, remove and delete the company). */
  owner: z.boolean().default(false),
});

export type CompanyInput = z.output<typeof companyInputSchema>;
export type FirmUserInput = z.output<typeof firmUserInputSchema>;
export type SubscriptionInput = z.output<typeof subscriptionInputSchema>;
export type SubscriptionFilters = z.output<typeof filtersSchema>;
// What is stored is what the match engine reads (domain/match.ts).
true satisfies SubscriptionFilters extends Required<StoredFilters> ? true : false;
