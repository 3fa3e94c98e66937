// Which notices may be mailed to firms as new or closing: only those that
// invite firms now. Everything else (history, awards, statistics, withdrawn
// notices) is stored, searchable and counted, and alerts nobody.

export type AlertKind = 'tender' | 'planning';

export type AlertFacts = {
  source: string;
  kind: string;
  status: string;
  deadline: string | null;
  publishedAt: string | null;
  /** Winners are known: the procurement is decided. */
  awarded: boolean;
};

const DAY = 24 * 3600 * 1000;

/**
 * 'tender' when the notice invites bids now (a contract notice, or a prior
 * information notice used as a call for competition, which the parsers store
 * as 'tender'): its deadline is ahead, or, without one, it was published
 * within `maxAgeDays`. 'planning' for pure prior information published within
 * `maxAgeDays` (alerted only to subscriptions that ask for it). Otherwise null.
 * Statistics records (UHM) describe procurements after the fact: never alerted.
 */
export function alertKind(n: AlertFacts, now: Date, maxAgeDays: number): AlertKind | null {
  if (n.status !== 'active' || n.awarded || n.source === 'uhm') return null;
  if (n.kind !== 'tender' && n.kind !== 'planning') return null;
  if (n.deadline !== null) return new Date(n.deadline) > now ? n.kind : null;
  if (n.publishedAt === null) return null;
  const age = now.getTime() - new Date(n.publishedAt).getTime();
  return age <= maxAgeDays * DAY ? n.kind : null;
}

export const isAlertable = (n: AlertFacts, now: Date, maxAgeDays: number): boolean => alertKind(n, now, maxAgeDays) !== null;

/** A planning notice reaches only subscriptions that ask for planning notices. */
export function subscriptionTakes(kinds: readonly string[], alert: AlertKind): boolean {
  return alert !== 'planning' || kinds.includes('planning');
}

