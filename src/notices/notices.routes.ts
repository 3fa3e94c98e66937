import { Router } from 'express';
import type { Db } from '../../db/database.ts';
import type { MatchEngine } from '../matching/match-engine.ts';
import { notFound, parseOr400 } from '../http/errors.ts';
import { noticeInputSchema } from './notice.schema.ts';
import { findById, presentNotice } from './notices.repo.ts';
import { storeNotice } from './notices.service.ts';

export function noticesRouter(db: Db, engine: MatchEngine, onStored: () => void): Router {
  const router = Router();

  // The reach preview: how many firms, local and in all, a draft would reach. Stores nothing.
  router.post('/preview', async (req, res) => {
    res.json(await engine.preview(parseOr400(noticeInputSchema, req.body)));
  });

  router.post('/', async (req, res) => {
    const input = parseOr400(noticeInputSchema, req.body);
    const result = await storeNotice(db, input);
    if (result.outcome !== 'unchanged') onStored();
    const notice = presentNotice((await findById(db, result.id))!);
    res.status(result.outcome === 'new' ? 201 : 200).location(`/api/notices/${result.id}`).json({ outcome: result.outcome, notice });
  });

  router.get('/:id', async (req, res) => {
    const row = await findById(db, req.params.id);
    if (!row) throw notFound('Notice');
    res.json(presentNotice(row));
  });

  return router;
}
