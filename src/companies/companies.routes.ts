import type { Request, Response } from 'express';
import { actorOf } from '../accounts/audit.ts';
import { mayUseFirm } from '../domain/access.ts';
import { anyone, principalOf, SecuredRouter, type Rule } from '../http/secured-router.ts';
import type { Db } from '../../db/database.ts';
import { parseOr400 } from '../http/errors.ts';
import { companyInputSchema, firmUserInputSchema, subscriptionInputSchema } from './company.schema.ts';
import {
  addSubscription, deleteSubscription, getCompany, presentCompany, registerCompany, resendConfirmation,
  setSubscriptionActive, subscriptionOf, updateCompany, updateSubscription, type Viewer,
} from './companies.service.ts';
import { deleteCompany, exportCompany } from './firm-data.service.ts';
import { firmUsers, inviteFirmUser, isOwnerOf, removeFirmUser } from './firm-users.service.ts';

/** The firm's own users read and change it; staff read it; admin does anything. */
export const firmRule = (write: boolean, param = 'id'): Rule => ({
  name: write ? 'the firm, admin' : 'the firm, staff, admin',
  allows: (p, req: Request) => mayUseFirm(p, String(req.params[param]), write),
});

/** An owner of the firm (its first user, or one it made owner) and admin: users, deleting the company. */
export const ownerRule = (db: Db, param = 'id'): Rule => ({
  name: 'the firm’s owner, admin',
  allows: async (p, req: Request) => {
    if (!p) return false;
    if (p.roles.has('admin')) return true;
    const companyId = String(req.params[param]);
    return p.roles.has('firm') && p.companyId === companyId && (await isOwnerOf(db, p.userId, companyId));
  },
});

/** A sole trader's personnummer is whole for the firm's own users and admin; masked for everyone else (staff, a registrant). */
const viewerOf = (res: Response, companyId: string): Viewer => ({ full: mayUseFirm(principalOf(res), companyId, true) });

/** `nudge` relays the outbox at once: called after every change that may have written to it. */
export function companiesRouter(db: Db, nudge: () => void): SecuredRouter {
  const router = new SecuredRouter('/api/companies');
  const read = firmRule(false);
  const write = firmRule(true);
  const owner = ownerRule(db);

  // The same answer whether or not the number (or the address) is known: see registerCompany.
  router.post('/', anyone, async (req, res) => {
    const registration = await registerCompany(db, parseOr400(companyInputSchema, req.body));
    nudge(); // the confirmation e-mail (or the note to a known firm) and the first subscription's matches wait in the outbox
    const { id, details } = registration;
    res.status(201).location(`/api/companies/${id}`).json(presentCompany(details, viewerOf(res, id)));
  });

  router.get('/:id', read, async (req, res) => {
    res.json(await getCompany(db, req.params.id, viewerOf(res, req.params.id)));
  });

  router.patch('/:id', write, async (req, res) => {
    await updateCompany(db, req.params.id, req.body);
    nudge();
    res.json(await getCompany(db, req.params.id, viewerOf(res, req.params.id)));
  });

  // Everything Brygga holds about the firm, as one JSON document.
  router.get('/:id/export', write, async (req, res) => {
    const document = await exportCompany(db, actorOf(res), req.params.id);
    res.attachment(`brygga-${req.params.id}.json`).json(document);
  });

  // The firm and all it holds go; of its e-mail only anonymised counts stay.
  router.delete('/:id', owner, async (req, res) => {
    await deleteCompany(db, actorOf(res), req.params.id);
    res.status(204).end();
  });

  router.post('/:id/confirmation', write, async (req, res) => {
    await resendConfirmation(db, req.params.id);
    nudge();
    res.status(202).json(await getCompany(db, req.params.id, viewerOf(res, req.params.id)));
  });

  router.get('/:id/users', read, async (req, res) => {
    res.json(await firmUsers(db, req.params.id));
  });

  router.post('/:id/users', owner, async (req, res) => {
    const user = await inviteFirmUser(db, actorOf(res), req.params.id, parseOr400(firmUserInputSchema, req.body));
    res.status(201).location(`/api/companies/${req.params.id}/users/${user.id}`).json(user);
  });

  router.delete('/:id/users/:uid', owner, async (req, res) => {
    await removeFirmUser(db, actorOf(res), req.params.id, req.params.uid);
    res.status(204).end();
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
