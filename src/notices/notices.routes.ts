import { Router, type Response } from 'express';
import { z } from 'zod';
import type { Db } from '../../db/database.ts';
import { notFound, parseOr400 } from '../http/errors.ts';
import { noticeInputSchema } from './notice.schema.ts';
import { findById, presentNotice } from './notices.repo.ts';
import { patchNotice, storeNotice, withdrawNotice, type StoreResult } from './notices.service.ts';

/** A PATCH names the top-level fields it replaces; identity fields stay. */
const patchSchema = z.record(z.string(), z.unknown()).refine((p) => !['source', 'sourceId', 'reference'].some((k) => k in p), {
  message: 'source, sourceId and reference identify the notice and cannot be patched',
});
const withdrawSchema = z.object({ reason: z.string().trim().min(1, 'say why the notice is withdrawn').max(1000) });

export function noticesRouter(db: Db, onStored: () => void): Router {
  const router = Router();

  async function answer(res: Response, result: StoreResult) {
    if (result.outcome !== 'unchanged') onStored();
    const notice = presentNotice((await findById(db, result.id))!);
    res
      .status(result.outcome === 'new' ? 201 : 200)
      .location(`/api/notices/${result.id}`)
      .json({ outcome: result.outcome, changed: result.changed ?? [], notice });
  }

  // Publishing the same buyer's reference again corrects the notice (200 updated, with what changed).
  router.post('/', async (req, res) => {
    await answer(res, await storeNotice(db, parseOr400(noticeInputSchema, req.body)));
  });

  router.patch('/:id', async (req, res) => {
    const patch = parseOr400(patchSchema, req.body);
    await answer(res, await patchNotice(db, req.params.id, (current) => parseOr400(noticeInputSchema, { ...current, ...patch })));
  });

  router.post('/:id/withdraw', async (req, res) => {
    const { reason } = parseOr400(withdrawSchema, req.body);
    await answer(res, await withdrawNotice(db, req.params.id, reason));
  });

  router.get('/:id', async (req, res) => {
    const row = await findById(db, req.params.id);
    if (!row) throw notFound('Notice');
    res.json(presentNotice(row));
  });

  return router;
}
