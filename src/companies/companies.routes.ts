import { Router } from 'express';
import type { Db } from '../../db/database.ts';
import { parseOr400 } from '../http/errors.ts';
import { matchesForCompany } from '../matching/matching.repo.ts';
import { companyInputSchema, subscriptionInputSchema } from './company.schema.ts';
import { addSubscription, getCompany, registerCompany } from './companies.service.ts';

export function companiesRouter(db: Db, onRegistered: () => void): Router {
  const router = Router();

  router.post('/', async (req, res) => {
    const { id } = await registerCompany(db, parseOr400(companyInputSchema, req.body));
    onRegistered(); // the confirmation e-mail waits in the outbox
    res.status(201).location(`/api/companies/${id}`).json(await getCompany(db, id));
  });

  router.get('/:id', async (req, res) => {
    res.json(await getCompany(db, req.params.id));
  });

  router.post('/:id/subscriptions', async (req, res) => {
    const { id } = await addSubscription(db, req.params.id, parseOr400(subscriptionInputSchema, req.body));
    const company = await getCompany(db, req.params.id);
    res.status(201).json(company.subscriptions.find((s) => s.id === id));
  });

  router.get('/:id/matches', async (req, res) => {
    await getCompany(db, req.params.id); // 404 for an unknown firm
    const rows = await matchesForCompany(db, req.params.id);
    res.json(
      rows.map((r) => ({
        noticeId: r.notice_id, title: r.title, deadline: r.deadline, score: r.score,
        reasons: JSON.parse(r.reasons), missing: JSON.parse(r.missing), subscriptionId: r.subscription_id, matchedAt: r.created_at,
      })),
    );
  });

  return router;
}
