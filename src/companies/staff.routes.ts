// For business-development staff (accounts and roles come later).
import { Router } from 'express';
import type { Db } from '../../db/database.ts';
import { suspendedAddresses } from './companies.repo.ts';

export function staffRouter(db: Db): Router {
  const router = Router();

  /** Addresses suspended after repeated permanent delivery failures. */
  router.get('/suspended-addresses', async (_req, res) => {
    const rows = await suspendedAddresses(db);
    res.json(rows.map((r) => ({ companyId: r.id, name: r.name, email: r.email, permanentFailures: r.permanent_failures, suspendedAt: r.updated_at })));
  });

  return router;
}
