// For business-development staff.
import { roles, SecuredRouter } from '../http/secured-router.ts';
import type { Db } from '../../db/database.ts';
import { suspendedAddresses } from './companies.repo.ts';

export function staffRouter(db: Db): SecuredRouter {
  const router = new SecuredRouter('/api/staff');

  /** Addresses suspended after repeated permanent delivery failures. */
  router.get('/suspended-addresses', roles('staff', 'admin'), async (_req, res) => {
    const rows = await suspendedAddresses(db);
    res.json(rows.map((r) => ({ companyId: r.id, name: r.name, email: r.email, permanentFailures: r.permanent_failures, suspendedAt: r.updated_at })));
  });

  return router;
}
