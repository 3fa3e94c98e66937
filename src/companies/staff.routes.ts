// For business-development staff.
import { roles, SecuredRouter } from '../http/secured-router.ts';
import type { Db } from '../../db/database.ts';
import { audit } from '../accounts/audit.ts';
import { AppError, notFound } from '../http/errors.ts';
import { liftSuspensionOf } from '../mail/suspensions.service.ts';
import { suspendedAddresses } from './companies.repo.ts';

export function staffRouter(db: Db): SecuredRouter {
  const router = new SecuredRouter('/api/staff');

  /** Addresses suspended after repeated permanent delivery failures. */
  router.get('/suspended-addresses', roles('staff', 'admin'), async (_req, res) => {
    const rows = await suspendedAddresses(db);
    res.json(rows.map((r) => ({ companyId: r.id, name: r.name, email: r.email, permanentFailures: r.permanent_failures, suspendedAt: r.updated_at })));
  });

  /** Lifts a suspension: e-mail to the firm resumes, and what was held meanwhile (still open) goes out in one summary. */
  router.post('/suspended-addresses/:companyId/lift', roles('staff', 'admin'), async (req, res) => {
    const companyId = req.params.companyId;
    const lifted = await liftSuspensionOf(db, companyId);
    if (lifted === undefined) throw notFound('Company');
    if (lifted === false) throw new AppError(409, 'not_suspended', 'The e-mail address is not suspended');
    await audit(db, res, 'company.lift-suspension', 'company', companyId);
    res.json({ companyId, emailStatus: lifted.emailStatus });
  });

  return router;
}
