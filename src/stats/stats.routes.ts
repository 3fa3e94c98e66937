// GET /api/stats/…: the local-supplier statistics for staff and admin (issue 14),
// staff's decisions on name matches, and a firm's workplaces.
import { z } from 'zod';
import type { Db } from '../../db/database.ts';
import { audit } from '../accounts/audit.ts';
import { firmRule } from '../companies/companies.routes.ts';
import { parsePeriod, type Period } from '../domain/periods.ts';
import { isMunicipalityCode } from '../domain/regions.ts';
import { AppError, notFound, parseOr400 } from '../http/errors.ts';
import { principalOf, roles, SecuredRouter } from '../http/secured-router.ts';
import { BREAKDOWNS, companyExists, replaceWorkplaces, touchCompany, workplacesOf } from './stats.repo.ts';
import { inTransaction } from '../../db/database.ts';
import * as stats from './stats.service.ts';

const staff = roles('staff', 'admin');

const querySchema = z.object({
  period: z.string().max(20).optional(),
  from: z.string().max(10).optional(),
  to: z.string().max(10).optional(),
  buyer: z.string().max(20).optional(),
});

/** ?period=2021 | 2021-Q3 | 2021-07, or ?from=&to=; ?buyer=<organisationsnummer> or all (the default). */
export function statsQuery(query: unknown): { period: Period; buyer: string | null } {
  const q = parseOr400(querySchema, query);
  const period = parsePeriod(q);
  if (!period) {
    throw new AppError(400, 'validation_failed', 'period: a year (2021), a quarter (2021-Q3), a month (2021-07), or from and to as days (to not before from)', [
      { path: q.period ? 'period' : 'from', message: 'a period' },
    ]);
  }
  let buyer: string | null = null;
  if (q.buyer && q.buyer !== 'all') {
    buyer = stats.orgKey(q.buyer);
    if (!buyer) throw new AppError(400, 'validation_failed', 'buyer: an organisationsnummer, e.g. 212000-1447, or all', [{ path: 'buyer', message: 'an organisationsnummer' }]);
  }
  return { period, buyer };
}

const decisionSchema = z.object({
  nameKey: z.string().trim().min(1).max(500),
  orgNumber: z.string().trim().max(20).transform((v, ctx) => stats.orgKey(v) ?? (ctx.addIssue({ code: 'custom', message: 'an organisationsnummer' }), z.NEVER)),
  decision: z.enum(['confirmed', 'rejected']),
});

const workplacesSchema = z.object({
  municipalities: z.array(z.string().max(4).refine(isMunicipalityCode, 'a four-digit kommunkod, e.g. 1441')).max(100),
});

export function statsRouter(db: Db, settings: stats.StatsSettings): SecuredRouter {
  const router = new SecuredRouter('/api');

  router.get('/stats/overview', staff, async (req, res) => {
    const { period, buyer } = statsQuery(req.query);
    res.json(await stats.overview(db, settings, period, buyer));
  });

  router.get('/stats/breakdown/:by', staff, async (req, res) => {
    const by = req.params.by;
    if (!Object.hasOwn(BREAKDOWNS, by)) throw new AppError(404, 'not_found', `No breakdown by ${by}: one of ${Object.keys(BREAKDOWNS).join(', ')}`);
    const { period, buyer } = statsQuery(req.query);
    res.json(await stats.breakdown(db, settings, period, buyer, by as keyof typeof BREAKDOWNS));
  });

  router.get('/stats/reach', staff, async (req, res) => {
    const { period, buyer } = statsQuery(req.query);
    res.json(await stats.reach(db, settings, period, buyer));
  });

  router.get('/stats/capabilities', staff, async (req, res) => {
    const { period } = statsQuery(req.query);
    res.json(await stats.capabilities(db, settings, period));
  });

  router.get('/stats/young-firms', staff, async (req, res) => {
    const { period, buyer } = statsQuery(req.query);
    res.json(await stats.youngFirms(db, settings, period, buyer));
  });

  router.get('/stats/categories', staff, async (req, res) => {
    const { period, buyer } = statsQuery(req.query);
    res.json(await stats.categories(db, settings, period, buyer));
  });

  router.get('/stats/spend', staff, async (req, res) => {
    const { period, buyer } = statsQuery(req.query);
    res.json(await stats.spend(db, settings, period, buyer));
  });

  router.get('/stats/name-matches', staff, async (req, res) => {
    const { period, buyer } = statsQuery(req.query);
    res.json({ matches: await stats.nameMatches(db, settings, period, buyer) });
  });

  router.put('/stats/name-matches', staff, async (req, res) => {
    const input = parseOr400(decisionSchema, req.body);
    await stats.decideNameMatch(db, input, principalOf(res)?.userId ?? null);
    await audit(db, res, 'stats.name-match', 'supplier', input.orgNumber, { nameKey: input.nameKey, decision: input.decision });
    res.status(204).end();
  });

  // A firm's other workplaces (arbetsställen): where it is local besides its registered municipality.
  router.get('/companies/:id/workplaces', firmRule(false), async (req, res) => {
    if (!(await companyExists(db, req.params.id))) throw notFound('Company');
    res.json({ municipalities: await workplacesOf(db, req.params.id) });
  });

  router.put('/companies/:id/workplaces', firmRule(true), async (req, res) => {
    const { municipalities } = parseOr400(workplacesSchema, req.body);
    const id = req.params.id;
    await inTransaction(db, async (trx) => {
      if (!(await companyExists(trx, id))) throw notFound('Company');
      await replaceWorkplaces(trx, id, [...new Set(municipalities)]);
      await touchCompany(trx, id, new Date().toISOString());
    });
    res.json({ municipalities: await workplacesOf(db, id) });
  });

  return router;
}
