// GET /api/cpv?q=städ: the CPV picker's search as you type (anyone; at most
// 50 results), each code with its labels and how many notices of the last 12
// months it would have matched.
import { z } from 'zod';
import type { Db } from '../../db/database.ts';
import { parseOr400 } from '../http/errors.ts';
import { anyone, SecuredRouter } from '../http/secured-router.ts';
import { MAX_RESULTS, searchCpv, yearCounts } from './cpv-catalogue.ts';

const cpvQuerySchema = z.object({
  q: z.string().trim().max(100).default(''),
  limit: z.coerce.number().int().min(1).max(MAX_RESULTS).default(20),
});

export function cpvRouter(db: Db): SecuredRouter {
  const router = new SecuredRouter('/api/cpv');
  router.get('/', anyone, async (req, res) => {
    const { q, limit } = parseOr400(cpvQuerySchema, req.query);
    const { total, items } = await searchCpv(db, q, limit);
    const counts = await yearCounts(db, items.map((i) => i.code));
    res.set('Cache-Control', 'public, max-age=300').json({ q, total, items: items.map((i) => ({ ...i, notices12m: counts.get(i.code) ?? 0 })) });
  });
  return router;
}
