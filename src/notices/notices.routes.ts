import type { Request, Response } from 'express';
import { z } from 'zod';
import type { Db } from '../../db/database.ts';
import { audit } from '../accounts/audit.ts';
import { has, mayPublishFor, type Principal } from '../domain/access.ts';
import { AppError, notFound, parseOr400 } from '../http/errors.ts';
import { anyone, principalOf, roles, SecuredRouter, type Rule } from '../http/secured-router.ts';
import { noticeInputSchema, type NoticeInput } from './notice.schema.ts';
import { findBuyer, findById, presentNotice } from './notices.repo.ts';
import { patchNotice, storeNotice, withdrawNotice, type StoreResult } from './notices.service.ts';

/** A PATCH names the top-level fields it replaces; identity fields stay. */
const patchSchema = z.record(z.string().max(100), z.unknown()).refine((p) => Object.keys(p).length <= 50, 'at most 50 fields').refine((p) => !['source', 'sourceId', 'reference'].some((k) => k in p), {
  message: 'source, sourceId and reference identify the notice and cannot be patched',
});
const withdrawSchema = z.object({ reason: z.string().trim().min(1, 'say why the notice is withdrawn').max(1000) });

/** An officer changes only its own buyer's notices; admin any. */
export const publisherOfNotice = (db: Db): Rule => ({
  name: 'officer of the buyer, admin',
  allows: async (p, req: Request) => {
    const row = await findById(db, String(req.params.id));
    return row ? mayPublishFor(p, row.buyer_id) : has(p, 'officer', 'admin'); // an unknown notice: a 404 for those who may publish
  },
});

async function asPublishedBy(db: Db, p: Principal, input: NoticeInput): Promise<NoticeInput> {
  if (p.roles.has('admin')) return input;
  if (input.source !== 'local') {
    if (p.roles.has('staff')) return input;
    throw new AppError(403, 'forbidden', 'source: notices from feeds are written by imports (staff), not by officers');
  }
  const buyer = p.roles.has('officer') && p.buyerId ? await findBuyer(db, p.buyerId) : undefined;
  if (!buyer) throw new AppError(403, 'forbidden', 'Only an officer of a buyer organisation publishes notices');
  return { ...input, buyer: { name: buyer.name, orgNumber: buyer.org_number, nuts: buyer.nuts ?? input.buyer.nuts } };
}

export function noticesRouter(db: Db, onStored: () => void): SecuredRouter {
  const router = new SecuredRouter('/api/notices');

  /** Audits a change that happened (nothing for 'unchanged'), then answers with the notice. */
  async function answer(res: Response, result: StoreResult, action: 'notice.publish' | 'notice.update' | 'notice.withdraw', details: object = {}) {
    if (result.outcome !== 'unchanged') {
      onStored();
      const act = action === 'notice.publish' && result.outcome === 'updated' ? 'notice.update' : action;
      await audit(db, res, act, 'notice', result.id, { revision: result.revision, changed: result.changed ?? [], ...details });
    }
    const notice = presentNotice((await findById(db, result.id))!);
    res
      .status(result.outcome === 'new' ? 201 : 200)
      .location(`/api/notices/${result.id}`)
      .json({ outcome: result.outcome, changed: result.changed ?? [], notice });
  }

  // Publishing the same buyer's reference again corrects the notice (200 updated, with what changed).
  // An officer publishes for its own buyer (taken from its organisation, not the body);
  // feeds' sources (eForms, OCDS, UHM) are written by imports: staff or admin.
  router.post('/', roles('officer', 'staff', 'admin'), async (req, res) => {
    const input = parseOr400(noticeInputSchema, req.body);
    const result = await storeNotice(db, await asPublishedBy(db, principalOf(res)!, input));
    await answer(res, result, 'notice.publish', { source: input.source, reference: input.reference ?? input.sourceId ?? null });
  });

  router.patch('/:id', publisherOfNotice(db), async (req, res) => {
    const patch = parseOr400(patchSchema, req.body);
    await answer(res, await patchNotice(db, req.params.id, (current) => parseOr400(noticeInputSchema, { ...current, ...patch })), 'notice.update');
  });

  router.post('/:id/withdraw', publisherOfNotice(db), async (req, res) => {
    const { reason } = parseOr400(withdrawSchema, req.body);
    await answer(res, await withdrawNotice(db, req.params.id, reason), 'notice.withdraw', { reason });
  });

  router.get('/:id', anyone, async (req, res) => {
    const row = await findById(db, req.params.id);
    if (!row) throw notFound('Notice');
    res.json(presentNotice(row));
  });

  return router;
}
