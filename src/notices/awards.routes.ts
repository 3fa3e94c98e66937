// Registering awards over the API: a winner of a published notice, and a
// direct award (a contract without a notice). The web pages use the same service.
import type { Db } from '../../db/database.ts';
import { audit } from '../accounts/audit.ts';
import { AppError, parseOr400 } from '../http/errors.ts';
import { principalOf, roles, SecuredRouter } from '../http/secured-router.ts';
import { directAwardSchema, officerAwardSchema, registerAward, registerDirectAward } from './awards.service.ts';
import { findBuyer, findById, presentNotice } from './notices.repo.ts';
import { publisherOfNotice } from './notices.routes.ts';
import type { NoticeInput } from './notice.schema.ts';
import type { Principal } from '../domain/access.ts';

/** The officer's own buyer organisation, as the notice's buyer. */
export async function buyerOfOfficer(db: Db, p: Principal | null): Promise<NoticeInput['buyer']> {
  const buyer = p?.buyerId ? await findBuyer(db, p.buyerId) : undefined;
  if (!buyer) throw new AppError(403, 'forbidden', 'Only an officer of a buyer organisation registers direct awards');
  return { name: buyer.name, orgNumber: buyer.org_number, nuts: buyer.nuts };
}

export function awardsRouter(db: Db, onStored: () => void): SecuredRouter {
  const router = new SecuredRouter('/api');

  router.post('/notices/:id/awards', publisherOfNotice(db), async (req, res) => {
    const award = parseOr400(officerAwardSchema, req.body);
    const result = await registerAward(db, req.params.id, award);
    if (result.outcome !== 'unchanged') {
      onStored();
      await audit(db, res, 'notice.award', 'notice', result.id, { revision: result.revision, winner: award.winner.orgNumber });
    }
    res.status(201).json({ notice: presentNotice((await findById(db, result.id))!) });
  });

  router.post('/direct-awards', roles('officer'), async (req, res) => {
    const input = parseOr400(directAwardSchema, req.body);
    const result = await registerDirectAward(db, await buyerOfOfficer(db, principalOf(res)), input);
    if (result.outcome !== 'unchanged') {
      onStored();
      await audit(db, res, 'notice.direct-award', 'notice', result.id, { winner: input.winner.orgNumber });
    }
    res.status(result.outcome === 'new' ? 201 : 200).location(`/api/notices/${result.id}`).json({ notice: presentNotice((await findById(db, result.id))!) });
  });

  return router;
}
