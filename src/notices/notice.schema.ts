// The notice as DESIGN.md describes it: what officers POST, what every parser
// produces and what the API returns. One schema guards all of those doors.
import { z } from 'zod';
import { CpvError, normalizeCpv } from '../domain/cpv.ts';
import { OrgNumberError, parseOrgNumber } from '../domain/orgnr.ts';

export const NOTICE_SOURCES = ['eforms', 'ocds', 'uhm', 'local'] as const;
export const NOTICE_KINDS = ['planning', 'tender', 'award', 'change'] as const;
export const COMPANY_SIZES = ['micro', 'small', 'medium', 'large'] as const;

/** A CPV code in any accepted spelling, normalised to its 8 digits. */
export const cpvCode = z.string().transform((value, ctx) => {
  try {
    return normalizeCpv(value);
  } catch (error) {
    if (!(error instanceof CpvError)) throw error;
    ctx.addIssue({ code: 'custom', message: error.message });
    return z.NEVER;
  }
});

/** A Swedish organisationsnummer, stored as 10 digits. Sole traders allowed. */
export const orgNumber = z.string().transform((value, ctx) => {
  try {
    return parseOrgNumber(value, { allowPersonal: true }).digits;
  } catch (error) {
    if (!(error instanceof OrgNumberError)) throw error;
    ctx.addIssue({ code: 'custom', message: error.message });
    return z.NEVER;
  }
});

export const money = z.object({
  amount: z.number().finite().nonnegative(),
  currency: z.string().trim().toUpperCase().regex(/^[A-Z]{3}$/, 'ISO 4217 currency code, e.g. SEK'),
});

const nuts = z.string().trim().toUpperCase().regex(/^[A-Z]{2}[0-9A-Z]{0,3}$/, 'NUTS code, e.g. SE232');
const isoDateTime = z.iso.datetime({ offset: true }).transform((s) => new Date(s).toISOString());
const code = z.string().trim().min(1).max(40);

export const cpvSet = z.object({
  main: cpvCode,
  additional: z.array(cpvCode).max(200).default([]),
});

export const lotSchema = z.object({
  id: z.string().trim().min(1).max(64),
  title: z.string().trim().max(1000).nullable().default(null),
  cpv: cpvSet.nullable().default(null),
  estimatedValue: money.nullable().default(null),
});

export const criteriaSchema = z.object({
  strategic: z.array(code).default([]),
  social: z.array(code).default([]),
  green: z.array(code).default([]),
  gpp: z.array(code).default([]),
  reserved: z.array(code).default([]),
  smeSuitable: z.boolean().nullable().default(null),
  requirements: z.array(code).default([]),
});

export const awardSchema = z.object({
  lotId: z.string().trim().max(64).nullable().default(null),
  winner: z.object({
    name: z.string().trim().min(1).max(500),
    orgNumber: z.string().trim().max(40).nullable().default(null),
    size: z.enum(COMPANY_SIZES).nullable().default(null),
    nuts: nuts.nullable().default(null),
    postalCode: z.string().trim().max(20).nullable().default(null),
  }),
  value: money.nullable().default(null),
  tendersReceived: z.number().int().nonnegative().nullable().default(null),
});

export const noticeInputSchema = z.object({
  source: z.enum(NOTICE_SOURCES).default('local'),
  sourceId: z.string().trim().min(1).max(200).optional(),
  version: z.string().trim().max(40).nullable().default(null),
  procedureId: z.string().trim().max(200).nullable().default(null),
  kind: z.enum(NOTICE_KINDS).default('tender'),
  title: z.string().trim().min(1, 'a notice needs a title').max(1000),
  description: z.string().trim().max(100_000).nullable().default(null),
  language: z.string().trim().toLowerCase().regex(/^[a-z]{2}$/).default('sv'),
  buyer: z.object({
    name: z.string().trim().min(1).max(500),
    orgNumber: orgNumber.nullable().default(null),
    nuts: nuts.nullable().default(null),
  }),
  cpv: cpvSet,
  lots: z.array(lotSchema).max(500).default([]),
  estimatedValue: money.nullable().default(null),
  publishedAt: isoDateTime.nullable().default(null),
  deadline: isoDateTime.nullable().default(null),
  procedure: z.string().trim().max(60).nullable().default(null),
  placeOfPerformance: z
    .object({
      nuts: z.array(nuts).default([]),
      postalCode: z.string().trim().max(20).nullable().default(null),
      town: z.string().trim().max(200).nullable().default(null),
    })
    .default({ nuts: [], postalCode: null, town: null }),
  criteria: criteriaSchema.default({
    strategic: [], social: [], green: [], gpp: [], reserved: [], smeSuitable: null, requirements: [],
  }),
  awards: z.array(awardSchema).max(1000).default([]),
});

export type NoticeInput = z.output<typeof noticeInputSchema>;
export type NoticeInputRaw = z.input<typeof noticeInputSchema>;
export type Money = z.output<typeof money>;
export type Lot = z.output<typeof lotSchema>;
export type Criteria = z.output<typeof criteriaSchema>;
export type Award = z.output<typeof awardSchema>;

/** A stored notice as the API shows it. */
export type Notice = NoticeInput & { id: string; sourceId: string };

/** Every CPV code of a notice, procedure and lot level, without duplicates. */
export function allCpvCodes(notice: Pick<NoticeInput, 'cpv' | 'lots'>): string[] {
  const codes = [notice.cpv.main, ...notice.cpv.additional];
  for (const lot of notice.lots) if (lot.cpv) codes.push(lot.cpv.main, ...lot.cpv.additional);
  return [...new Set(codes)];
}
