// Every route names who may use it. A SecuredRouter records each route with
// its rule (the route × role test enumerates them), and refuses a request its
// rule does not allow: 401 when nobody is signed in, 403 otherwise.
import { Router, type Request, type RequestHandler, type Response } from 'express';
import { has, type Principal, type Role } from '../domain/access.ts';
import { withOrigin } from '../queue/origin.ts';
import { AppError } from './errors.ts';

export type Rule = {
  /** Shown in the route list and the docs, e.g. "staff, admin". */
  name: string;
  allows(p: Principal | null, req: Request): boolean | Promise<boolean>;
};

export type RouteInfo = { method: string; path: string; rule: string };

export const anyone: Rule = { name: 'anyone', allows: () => true };
export const signedIn: Rule = { name: 'signed in', allows: (p) => p !== null };
export const roles = (...allowed: Role[]): Rule => ({ name: allowed.join(', '), allows: (p) => has(p, ...allowed) });

/** The principal the authentication middleware found, or null. */
export const principalOf = (res: Response): Principal | null => (res.locals.principal as Principal | undefined) ?? null;

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
/** Route parameters are plain strings (no wildcard routes here). */
type Handler = RequestHandler<Record<string, string>>;

export class SecuredRouter {
  readonly router = Router();
  readonly routes: RouteInfo[] = [];

  /** `base`: where the router is mounted, e.g. /api/notices ('' for the root). */
  constructor(readonly base = '') {}

  get(path: string, rule: Rule, ...handlers: Handler[]) { return this.add('get', path, rule, handlers); }
  post(path: string, rule: Rule, ...handlers: Handler[]) { return this.add('post', path, rule, handlers); }
  put(path: string, rule: Rule, ...handlers: Handler[]) { return this.add('put', path, rule, handlers); }
  patch(path: string, rule: Rule, ...handlers: Handler[]) { return this.add('patch', path, rule, handlers); }
  delete(path: string, rule: Rule, ...handlers: Handler[]) { return this.add('delete', path, rule, handlers); }

  private add(method: Method, path: string, rule: Rule, handlers: Handler[]): this {
    this.routes.push({ method: method.toUpperCase(), path: `${this.base}${path === '/' && this.base ? '' : path}`, rule: rule.name });
    const guard: Handler = async (req, res, next) => {
      const principal = principalOf(res);
      if (await rule.allows(principal, req)) return next();
      next(principal ? new AppError(403, 'forbidden', 'You may not do this') : new AppError(401, 'unauthorized', 'Sign in first'));
    };
    // Each handler runs with the request's id as the origin of the work it starts
    // (outbox rows, jobs: see src/queue/origin.ts); bound here, after any body
    // parsing, whose stream callbacks would lose an AsyncLocalStorage set earlier.
    const traced = handlers.map((handler): Handler => (req, res, next) => {
      const id = (req as { id?: unknown }).id;
      return withOrigin(typeof id === 'string' ? { requestId: id } : null, () => handler(req, res, next));
    });
    this.router[method](path, guard, ...traced);
    return this;
  }
}
