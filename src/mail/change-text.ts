// A notice's material changes in words, old → new, as firms read them in
// e-mail: "Sista anbudsdag: 29 januari 2027 kl. 12:00 → 12 februari 2027 kl. 12:00 (svensk tid)".
import type { ChangeDetail } from '../domain/changes.ts';
import { formatDateTime, formatMoney, t, type Lang } from '../i18n/messages.ts';

type Money = { amount: number; currency: string } | null;
type CpvSet = { main: string; additional: string[] } | null;
type LotValues<T> = { id: string; title: string | null; value: T }[];

export function describeChanges(details: ChangeDetail[], reason: string | null, lang: Lang): string[] {
  const none = t(lang, 'change.none');
  const money = (m: Money) => (m ? formatMoney(m, lang) : none);
  const codes = (c: CpvSet) => (c ? [c.main, ...c.additional].join(', ') : none);
  const line = (label: string, before: string, after: string, suffix = '') => `${label}: ${before} → ${after}${suffix}`;
  const lots = <T>(d: ChangeDetail, key: 'change.lotCpv' | 'change.lotValue', show: (v: T) => string) => {
    const before = new Map((d.before as LotValues<T>).map((l) => [l.id, l.value]));
    return (d.after as LotValues<T>)
      .filter((l) => JSON.stringify(before.get(l.id) ?? null) !== JSON.stringify(l.value))
      .map((l) => line(t(lang, key, { lot: l.title ?? l.id }), before.has(l.id) ? show(before.get(l.id) as T) : none, show(l.value)));
  };

  return details.flatMap((d): string[] => {
    switch (d.field) {
      case 'deadline': {
        const when = (v: unknown) => (typeof v === 'string' ? formatDateTime(v, lang) : none);
        return [line(t(lang, 'change.deadline'), when(d.before), when(d.after), ` (${t(lang, 'time.zone')})`)];
      }
      case 'estimatedValue': return [line(t(lang, 'change.estimatedValue'), money(d.before as Money), money(d.after as Money))];
      case 'cpv': return [line(t(lang, 'change.cpv'), codes(d.before as CpvSet), codes(d.after as CpvSet))];
      case 'lots.cpv': return lots<CpvSet>(d, 'change.lotCpv', codes);
      case 'lots.estimatedValue': return lots<Money>(d, 'change.lotValue', money);
      case 'links.documents': return [line(t(lang, 'change.documents'), (d.before as string) ?? none, (d.after as string) ?? none)];
      case 'status':
        return d.after === 'withdrawn' ? [t(lang, 'change.withdrawn'), ...(reason ? [t(lang, 'change.reason', { reason })] : [])] : [];
    }
  });
}
