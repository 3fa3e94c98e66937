// What matching tells its users: officers the reach of a draft before they
// publish it, firms the notices that matched them.
import { z } from 'zod';
import type { Db } from '../../db/database.ts';
import { isAlertable } from '../domain/alerts.ts';
import { firmRule } from '../companies/companies.routes.ts';
import { notFound, parseOr400 } from '../http/errors.ts';
import { roles, SecuredRouter } from '../http/secured-router.ts';
import { noticeInputSchema } from '../notices/notice.schema.ts';
import type { MatchEngine } from './match-engine.ts';
import { companyExists, matchesForCompany } from './matching.repo.ts';

const matchesQuerySchema = z.object({
  status: z.enum(['open', 'closed', 'all']).default('all'),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});

export function matchingRouter(db: Db, engine: MatchEngine, { alertMaxAgeDays }: { alertMaxAgeDays: number }): SecuredRouter {
  const router = new SecuredRouter('/api');

  // The reach preview: how many firms, local and in all, a draft would reach. Stores nothing.
  router.post('/notices/preview', roles('officer', 'staff', 'admin'), async (req, res) => {
    res.json(await engine.preview(parseOr400(noticeInputSchema, req.body)));
  });

  // The notices that matched a firm, a page at a time: open ones first, soonest deadline first.
  router.get('/companies/:id/matches', firmRule(false), async (req, res) => {
    const query = parseOr400(matchesQuerySchema, req.query);
    if (!(await companyExists(db, req.params.id))) throw notFound('Company');
    const now = new Date();
    const { rows, total } = await matchesForCompany(db, req.params.id, { ...query, now, maxAgeDays: alertMaxAgeDays });
    const items = rows.map((r) => {
      const facts = { source: r.source, kind: r.kind, status: r.notice_status, deadline: r.deadline, publishedAt: r.published_at, awarded: Boolean(r.awarded) };
      return {
        noticeId: r.notice_id, title: r.title, status: isAlertable(facts, now, alertMaxAgeDays) ? 'open' : 'closed', deadline: r.deadline,
        score: r.score, reasons: JSON.parse(r.reasons), missing: JSON.parse(r.missing), subscriptionId: r.subscription_id, matchedAt: r.created_at,
      };
    });
    res.json({ items, total, page: query.page, pageSize: query.pageSize });
  });

  return router;
}
