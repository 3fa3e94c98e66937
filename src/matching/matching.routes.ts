// What matching tells its users: officers the reach of a draft before they
// publish it, firms the notices that matched them.
import { z } from 'zod';
import type { Db } from '../../db/database.ts';
import { firmRule } from '../companies/companies.routes.ts';
import { parseOr400 } from '../http/errors.ts';
import { principalOf, roles, SecuredRouter } from '../http/secured-router.ts';
import { noticeInputSchema } from '../notices/notice.schema.ts';
import type { MatchEngine } from './match-engine.ts';
import { feedbackInputSchema, markNotRelevant } from './feedback.service.ts';
import { firmMatches } from './firm-matches.service.ts';
import { companySuggestions } from './suggestions.service.ts';

export const matchesQuerySchema = z.object({
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
    res.json(await firmMatches(db, req.params.id, parseOr400(matchesQuerySchema, req.query), alertMaxAgeDays));
  });

  // Categories and a subscription suggested from the contracts the firm has won, with the evidence.
  router.get('/companies/:id/suggestions', firmRule(false), async (req, res) => {
    res.json(await companySuggestions(db, req.params.id));
  });

  // "Inte relevant": the firm says a match is not for it, and why (lowers the score of notices like it; the dashboard marks it).
  router.post('/companies/:id/matches/:noticeId/feedback', firmRule(true), async (req, res) => {
    const input = parseOr400(feedbackInputSchema, req.body);
    await markNotRelevant(db, req.params.id, req.params.noticeId, input, principalOf(res)?.userId ?? null);
    res.status(201).json({ noticeId: req.params.noticeId, notRelevant: input });
  });

  return router;
}
