// Who may do what. A principal is the signed-in user (by session or API
// token) with the roles and the organisation it acts for; the rules below are
// pure, and every route names one (src/http/secured-router.ts).

export const ROLES = ['firm', 'officer', 'staff', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export type Principal = {
  userId: string;
  email: string;
  roles: ReadonlySet<Role>;
  /** The firm a `firm` user acts for. */
  companyId: string | null;
  /** The buyer organisation an `officer` acts for. */
  buyerId: string | null;
  /** How the request proved who it is. */
  via: 'session' | 'token';
};

export const isRole = (value: string): value is Role => (ROLES as readonly string[]).includes(value);

/** "officer staff" → the roles it names (unknown words are ignored). */
export const parseRoles = (value: string): Set<Role> => new Set(value.split(/\s+/).filter(isRole));

export const has = (p: Principal | null, ...roles: Role[]): boolean => !!p && roles.some((r) => p.roles.has(r));

/** A firm's own users read and change it; staff read every firm; admin does anything. */
export function mayUseFirm(p: Principal | null, companyId: string, write: boolean): boolean {
  if (!p) return false;
  if (p.roles.has('admin')) return true;
  if (p.roles.has('firm') && p.companyId === companyId) return true;
  return !write && p.roles.has('staff');
}

/** An officer publishes, changes and withdraws only the notices of its own buyer. */
export function mayPublishFor(p: Principal | null, buyerId: string | null): boolean {
  if (!p) return false;
  if (p.roles.has('admin')) return true;
  return p.roles.has('officer') && p.buyerId !== null && p.buyerId === buyerId;
}
