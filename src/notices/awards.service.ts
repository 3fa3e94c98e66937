// Awards registered by officers: the winner of a published notice, and a
// direct award (direktupphandling: a contract below the threshold, bought
// without a notice). Both are stored in the notice shape of DESIGN.md, so
// statistics (issue 14) count them with the awards that arrive from feeds:
// winner orgnr, value and currency, the day, and the buyer of the notice.
import { z } from 'zod';
import type { Db } from '../../db/database.ts';
import { newId } from '../ids.ts';
import { cpvCode, money, noticeInputSchema, orgNumberOf, type NoticeInput } from './notice.schema.ts';
import { patchNotice, storeNotice, type StoreResult } from './notices.service.ts';

const text = (max: number) => z.string().trim().min(1).max(max);

/** What an officer registers about a winner; the organisationsnummer is checked (a sole trader's too). */
export const officerAwardSchema = z.object({
  lotId: z.string().trim().max(64).nullable().default(null),
  winner: z.object({ name: text(500), orgNumber: orgNumberOf({ allowPersonal: true }) }),
  value: money,
  date: z.string().max(40).pipe(z.iso.date({ error: 'a date, e.g. 2026-11-30' })),
});
export type OfficerAward = z.output<typeof officerAwardSchema>;

/** A direct award: a contract without a notice. Its own reference (diarienummer) is optional. */
export const directAwardSchema = officerAwardSchema.omit({ lotId: true }).extend({
  title: text(1000),
  description: z.string().trim().max(10_000).nullable().default(null),
  cpv: cpvCode,
  reference: z.string().trim().max(100).nullable().default(null).transform((r) => r || null),
});
export type DirectAward = z.output<typeof directAwardSchema>;

const toAward = (a: OfficerAward) => ({
  lotId: a.lotId, winner: { name: a.winner.name, orgNumber: a.winner.orgNumber, size: null, nuts: null, postalCode: null },
  value: a.value, tendersReceived: null, date: a.date,
});

/** Adds a winner to an officer's notice (the correction path: a new revision; not a material change, so no e-mail). */
export function registerAward(db: Db, noticeId: string, award: OfficerAward): Promise<StoreResult> {
  return patchNotice(db, noticeId, (current) => noticeInputSchema.parse({ ...current, awards: [...current.awards, toAward(award)] }));
}

/**
 * Stores a direct award as an award notice of the buyer (kind `award`, so it
 * invites nobody and alerts nobody; searchable and counted like any award).
 */
export function registerDirectAward(db: Db, buyer: NoticeInput['buyer'], input: DirectAward): Promise<StoreResult> {
  const notice = noticeInputSchema.parse({
    source: 'local', kind: 'award', title: input.title, description: input.description, buyer,
    reference: input.reference ?? `DU-${newId()}`, cpv: { main: input.cpv }, awards: [toAward({ ...input, lotId: null })],
  });
  return storeNotice(db, notice);
}
