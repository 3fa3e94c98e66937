import { z } from 'zod';
import { cpvCode } from '../notices/notice.schema.ts';

const capabilityCode = z.string().trim().toLowerCase().regex(/^[a-z0-9][a-z0-9-]{0,59}$/, 'a capability code such as iso-14001');

/** A CSR capability: a bare code, or a code with an expiry date (certificates). */
export const capabilitySchema = z.union([
  capabilityCode.transform((capability) => ({ capability, validUntil: null as string | null })),
  z.object({ capability: capabilityCode, validUntil: z.iso.date().nullable().default(null) }),
]);

export const companyInputSchema = z.object({
  orgNumber: z.string().min(1),
  /** Enskild firma: the organisationsnummer is the owner's personnummer. */
  soleTrader: z.boolean().default(false),
  name: z.string().trim().min(1).max(300),
  email: z.email().max(254),
  municipalityCode: z.string().regex(/^\d{4}$/, 'a four-digit kommunkod, e.g. 1441'),
  language: z.enum(['sv', 'en']).default('sv'),
  categories: z.array(cpvCode).min(1, 'at least one CPV category').max(200),
  csr: z.array(capabilitySchema).max(100).default([]),
});

export const FREQUENCIES = ['instant', 'daily', 'weekly'] as const;

export const subscriptionInputSchema = z.object({
  name: z.string().trim().min(1).max(200),
  cpv: z.array(cpvCode).min(1, 'at least one CPV code').max(200),
  frequency: z.enum(FREQUENCIES).default('instant'),
});

export type CompanyInput = z.output<typeof companyInputSchema>;
export type SubscriptionInput = z.output<typeof subscriptionInputSchema>;
