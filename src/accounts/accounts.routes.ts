// A user's own API tokens (/api/me), the administrator's users, tokens and
// buyer organisations (/api/admin), and the audit log for staff (/api/staff/audit).
import type { Db } from '../../db/database.ts';
import { AppError, parseOr400 } from '../http/errors.ts';
import { principalOf, roles, SecuredRouter, signedIn, type Rule } from '../http/secured-router.ts';
import { auditQuerySchema, newBuyerSchema, newTokenSchema, newUserSchema, userPatchSchema } from './accounts.schema.ts';
import { actorOf, readAudit } from './audit.ts';
import { issueToken, revokeToken, tokensOf } from './tokens.service.ts';
import { addBuyer, changeUser, createUser, listBuyers, removeUser, userView, listUserViews } from './users.service.ts';

/**
 * New tokens are made by a person signed in with a session (or `npm run users -- token`),
 * not by another token: a leaked token must not outlive its expiry or revocation
 * by minting its successor.
 */
const signedInWithSession: Rule = {
  name: 'signed in (session, not a token)',
  allows: (p) => {
    // A token asking is told why, not just "forbidden".
    if (p?.via === 'token') throw new AppError(403, 'session_required', 'API tokens are created by a signed-in person, not by another token');
    return p !== null;
  },
};

export function meRouter(db: Db): SecuredRouter {
  const router = new SecuredRouter('/api/me');

  router.get('/tokens', signedIn, async (_req, res) => {
    res.json(await tokensOf(db, principalOf(res)!.userId));
  });

  router.post('/tokens', signedInWithSession, async (req, res) => {
    const { name, days } = parseOr400(newTokenSchema, req.body);
    const created = await issueToken(db, actorOf(res), principalOf(res)!.userId, name, days);
    res.status(201).location(`/api/me/tokens/${created.id}`).json(created);
  });

  router.delete('/tokens/:id', signedIn, async (req, res) => {
    await revokeToken(db, actorOf(res), req.params.id, principalOf(res)!.userId);
    res.status(204).end();
  });

  return router;
}

export function adminRouter(db: Db): SecuredRouter {
  const router = new SecuredRouter('/api/admin');
  const admin = roles('admin');

  router.get('/users', admin, async (_req, res) => {
    res.json(await listUserViews(db));
  });

  router.post('/users', admin, async (req, res) => {
    const user = await createUser(db, actorOf(res), parseOr400(newUserSchema, req.body));
    res.status(201).location(`/api/admin/users/${user.id}`).json(user);
  });

  router.get('/users/:id', admin, async (req, res) => {
    res.json(await userView(db, req.params.id));
  });

  // Changing roles or organisation ends the user's sessions (and, when they gain, their tokens).
  router.patch('/users/:id', admin, async (req, res) => {
    res.json(await changeUser(db, actorOf(res), req.params.id, parseOr400(userPatchSchema, req.body)));
  });

  router.delete('/users/:id', admin, async (req, res) => {
    await removeUser(db, actorOf(res), req.params.id);
    res.status(204).end();
  });

  router.get('/users/:id/tokens', admin, async (req, res) => {
    await userView(db, req.params.id); // 404 for an unknown user
    res.json(await tokensOf(db, req.params.id));
  });

  router.delete('/tokens/:id', admin, async (req, res) => {
    await revokeToken(db, actorOf(res), req.params.id, null);
    res.status(204).end();
  });

  router.get('/buyers', admin, async (_req, res) => {
    res.json(await listBuyers(db));
  });

  router.post('/buyers', admin, async (req, res) => {
    const buyer = await addBuyer(db, actorOf(res), parseOr400(newBuyerSchema, req.body));
    res.status(201).json(buyer);
  });

  return router;
}

/** The audit log, read-only: there is no route that changes it. */
export function auditRouter(db: Db): SecuredRouter {
  const router = new SecuredRouter('/api/staff');

  router.get('/audit', roles('staff', 'admin'), async (req, res) => {
    const { before, limit } = parseOr400(auditQuerySchema, req.query);
    res.json(await readAudit(db, limit, before));
  });

  return router;
}
