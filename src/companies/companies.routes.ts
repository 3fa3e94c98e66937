import type { Request } from 'express';
import { mayUseFirm } from '../domain/access.ts';
import { anyone, SecuredRouter, type Rule } from '../http/secured-router.ts';
import type { Db } from '../../db/database.ts';
import { parseOr400 } from '../http/errors.ts';
import { companyInputSchema, subscriptionInputSchema } from './company.schema.ts';
import {
  addSubscription, deleteSubscription, getCompany, registerCompany, resendConfirmation,
  setSubscriptionActive, subscriptionOf, updateCompany, updateSubscription,
} from './companies.service.ts';

/** `nudge` relays the outbox at once: called after every change that may have written to it. */
/** The firm's own users read and change it; staff read it; admin does anything. */
export const firmRule = (write: boolean, param = 'id'): Rule => ({
  name: write ? 'the firm, admin' : 'the firm, staff, admin',
  allows: (p, req: Request) => mayUseFirm(p, String(req.params[param]), write),
});

export function companiesRouter(db: Db, nudge: () => void): SecuredRouter {
  const router = new SecuredRouter('/api/companies');
  const read = firmRule(false);
  const write = firmRule(true);

  router.post('/', anyone, async (req, res) => {
    const { id } = await registerCompany(db, parseOr400(companyInputSchema, req.body));
    nudge(); // the confirmation e-mail and the first subscription's matches wait in the outbox
    res.status(201).location(`/api/companies/${id}`).json(await getCompany(db, id));
  });

  router.get('/:id', read, async (req, res) => {
    res.json(await getCompany(db, req.params.id));
  });

  router.patch('/:id', write, async (req, res) => {
    await updateCompany(db, req.params.id, req.body);
    nudge();
    res.json(await getCompany(db, req.params.id));
  });

  router.post('/:id/confirmation', write, async (req, res) => {
    await resendConfirmation(db, req.params.id);
    nudge();
    res.status(202).json(await getCompany(db, req.params.id));
  });

  router.post('/:id/subscriptions', write, async (req, res) => {
    const { id } = await addSubscription(db, req.params.id, parseOr400(subscriptionInputSchema, req.body));
    nudge();
    res.status(201).location(`/api/companies/${req.params.id}/subscriptions/${id}`).json(await subscriptionOf(db, req.params.id, id));
  });

  router.patch('/:id/subscriptions/:sid', write, async (req, res) => {
    await updateSubscription(db, req.params.id, req.params.sid, req.body);
    nudge();
    res.json(await subscriptionOf(db, req.params.id, req.params.sid));
  });

  router.delete('/:id/subscriptions/:sid', write, async (req, res) => {
    await deleteSubscription(db, req.params.id, req.params.sid);
    res.status(204).end();
  });

  router.post('/:id/subscriptions/:sid/pause', write, async (req, res) => {
    await setSubscriptionActive(db, req.params.id, req.params.sid, false);
    res.json(await subscriptionOf(db, req.params.id, req.params.sid));
  });

  router.post('/:id/subscriptions/:sid/resume', write, async (req, res) => {
    await setSubscriptionActive(db, req.params.id, req.params.sid, true);
    nudge();
    res.json(await subscriptionOf(db, req.params.id, req.params.sid));
  });

  return router;
}
