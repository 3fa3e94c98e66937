// What the token, user and buyer routes (and `npm run users`) accept.
import { z } from 'zod';
import { ROLES } from '../domain/access.ts';
import { orgNumberOf } from '../notices/notice.schema.ts';
import { cleanText } from '../domain/text.ts';

const line = (max: number) => z.string().overwrite((s) => cleanText(s)).trim().min(1).max(max);

/** ULIDs: user, token and audit ids. */
export const id = z.string().max(26, 'an id as Brygga gives them (26 characters)').regex(/^[0-9A-Z]{26}$/, 'an id as Brygga gives them (26 characters)');

export const email = z.string().trim().toLowerCase().pipe(z.email('an e-mail address').max(254));

/** One or more of firm, officer, staff, admin; duplicates dropped. */
export const roleList = z
  .array(z.enum(ROLES, { error: `a role: one of ${ROLES.join(', ')}` }))
  .min(1, `at least one role: ${ROLES.join(', ')}`)
  .max(ROLES.length * 2, `at most ${ROLES.length * 2} roles: ${ROLES.join(', ')}`)
  .transform((roles) => [...new Set(roles)]);

/** An organisationsnummer of a buyer (a legal person), stored as ten digits. */
export const buyerOrgNumber = orgNumberOf({ allowPersonal: false });

/** Where the user belongs: a firm user's company, an officer's buyer (by id or organisationsnummer). */
const organisation = {
  companyId: id.nullable().optional(),
  buyerId: id.nullable().optional(),
  buyerOrgNumber: buyerOrgNumber.optional(),
};

const oneBuyer = (u: { buyerId?: string | null; buyerOrgNumber?: string }) => !(u.buyerId && u.buyerOrgNumber);
const oneBuyerMessage = { message: 'give the buyer by buyerId or by buyerOrgNumber, not both', path: ['buyerOrgNumber'] };

export const newUserSchema = z
  .strictObject({ email, roles: roleList, name: line(200).nullable().optional(), ...organisation })
  .refine(oneBuyer, oneBuyerMessage);
export type NewUserInput = z.output<typeof newUserSchema>;

export const userPatchSchema = z
  .strictObject({ roles: roleList.optional(), name: line(200).nullable().optional(), ...organisation })
  .refine(oneBuyer, oneBuyerMessage)
  .refine((p) => Object.keys(p).length > 0, { message: 'name what to change: roles, companyId, buyerId, buyerOrgNumber or name' });
export type UserPatch = z.output<typeof userPatchSchema>;

export const MAX_TOKEN_DAYS = 730;

export const newTokenSchema = z.strictObject({
  name: line(100),
  days: z.number().int().min(1).max(MAX_TOKEN_DAYS).default(365),
});

export const newBuyerSchema = z.strictObject({
  name: line(500),
  orgNumber: buyerOrgNumber,
  nuts: z.string().trim().max(5, 'a NUTS code, e.g. SE232').toUpperCase().regex(/^[A-Z]{2}[0-9A-Z]{0,3}$/, 'a NUTS code, e.g. SE232').nullable().optional(),
});

export const auditQuerySchema = z.object({
  before: id.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
