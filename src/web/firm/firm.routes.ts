// The firm's pages: registering (anyone), then, for a firm's user, its
// matches, subscriptions, the e-mail sent to it, and its profile and users.
import type { RequestHandler } from 'express';
import type { Db } from '../../../db/database.ts';
import { SecuredRouter } from '../../http/secured-router.ts';
import { dashboardRoutes } from './dashboard.tsx';
import { deliveryRoutes } from './deliveries.tsx';
import { profileRoutes } from './profile.tsx';
import { registerRoutes } from './register.tsx';
import { subscriptionRoutes } from './subscriptions.tsx';

export type FirmPagesOptions = { alertMaxAgeDays: number; homeMunicipality: string; registrationLimits: RequestHandler[] };

export function firmPagesRouter(db: Db, nudge: () => void, options: FirmPagesOptions): SecuredRouter {
  const router = new SecuredRouter();
  registerRoutes(router, db, nudge, options.registrationLimits);
  dashboardRoutes(router, db, options.alertMaxAgeDays);
  subscriptionRoutes(router, db, nudge);
  deliveryRoutes(router, db);
  profileRoutes(router, db, nudge);
  return router;
}
