// Reporting periods for the statistics: a year, a quarter, a month or from–to
// (days, both included), and the period before it of the same kind and length.

export type Period = { from: string; to: string; label: string };

const DAY = 86_400_000;
const iso = (t: number) => new Date(t).toISOString().slice(0, 10);
const pad = (n: number) => String(n).padStart(2, '0');
const lastDay = (y: number, m: number) => iso(Date.UTC(y, m, 0)); // m: 1–12 → last day of that month

function validDay(s: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(s) && iso(Date.parse(`${s}T00:00:00Z`)) === s;
}

/**
 * `2021`, `2021-Q3`, `2021-07`, or `from`/`to` days. Returns null for anything
 * else (or `to` before `from`).
 */
export function parsePeriod(input: { period?: string | null; from?: string | null; to?: string | null }): Period | null {
  const p = input.period?.trim();
  if (p) {
    let m = /^(\d{4})$/.exec(p);
    if (m) return { from: `${m[1]}-01-01`, to: `${m[1]}-12-31`, label: m[1] };
    m = /^(\d{4})-?Q([1-4])$/i.exec(p);
    if (m) {
      const y = Number(m[1]);
      const q = Number(m[2]);
      return { from: `${y}-${pad(q * 3 - 2)}-01`, to: lastDay(y, q * 3), label: `${y}-Q${q}` };
    }
    m = /^(\d{4})-(\d{2})$/.exec(p);
    if (m && Number(m[2]) >= 1 && Number(m[2]) <= 12) return { from: `${p}-01`, to: lastDay(Number(m[1]), Number(m[2])), label: p };
    return null;
  }
  const from = input.from?.trim();
  const to = input.to?.trim();
  if (!from || !to || !validDay(from) || !validDay(to) || to < from) return null;
  return { from, to, label: `${from}–${to}` };
}

/** The period before: the previous year, quarter or month; else as many days just before. */
export function previousPeriod(p: Period): Period {
  let m = /^(\d{4})$/.exec(p.label);
  if (m) return parsePeriod({ period: String(Number(m[1]) - 1) })!;
  m = /^(\d{4})-Q([1-4])$/.exec(p.label);
  if (m) {
    const y = Number(m[1]);
    const q = Number(m[2]);
    return parsePeriod({ period: q === 1 ? `${y - 1}-Q4` : `${y}-Q${q - 1}` })!;
  }
  m = /^(\d{4})-(\d{2})$/.exec(p.label);
  if (m) {
    const y = Number(m[1]);
    const mo = Number(m[2]);
    return parsePeriod({ period: mo === 1 ? `${y - 1}-12` : `${y}-${pad(mo - 1)}` })!;
  }
  const from = Date.parse(`${p.from}T00:00:00Z`);
  const days = Math.round((Date.parse(`${p.to}T00:00:00Z`) - from) / DAY) + 1;
  const prevTo = iso(from - DAY);
  const prevFrom = iso(from - days * DAY);
  return { from: prevFrom, to: prevTo, label: `${prevFrom}–${prevTo}` };
}

/** A fraction of the known, or null when nothing is known. */
export function share(numerator: number, denominator: number): number | null {
  return denominator > 0 ? numerator / denominator : null;
}

/** The same day `years` years earlier (29 February → 28 February). */
export function yearsBefore(day: string, years: number): string {
  const [y, m, d] = day.split('-').map(Number);
  const t = Date.UTC(y - years, m - 1, d);
  const out = iso(t);
  return out.slice(5, 7) === pad(m) ? out : iso(Date.UTC(y - years, m, 0));
}

/**
 * A young firm on `day` (new and young firms, issue 14): founded within the
 * three years up to that day (after the same day three years earlier), or
 * declaring the `young-company` capability that day. Which reason, or null.
 */
export function youngBy(founded: string | null, declaresYoung: boolean, day: string): 'founded' | 'young-company' | null {
  if (founded && founded > yearsBefore(day, 3) && founded <= day) return 'founded';
  return declaresYoung ? 'young-company' : null;
}
