// The publish form's values: as posted (strings, kept as typed when there are
// errors), turned into the notice shape the API's zod schema checks, and back
// from a stored notice for editing. Dates are typed in Swedish time and stored in UTC.
import type { z } from 'zod';
import { EFORMS_CRITERIA } from '../../domain/csr.ts';
import { t, type Lang } from '../../i18n/messages.ts';
import { noticeInputSchema, type NoticeInput, type NoticeInputRaw } from '../../notices/notice.schema.ts';
import { formErrors, type FormErrors } from '../components/form.tsx';
import { many, one } from '../form-post.ts';

export const CRITERIA_KINDS = ['requirements', 'strategic', 'social', 'green', 'gpp', 'reserved'] as const;
export type CriteriaKind = (typeof CRITERIA_KINDS)[number];
export const EFORMS_KINDS = Object.keys(EFORMS_CRITERIA) as (keyof typeof EFORMS_CRITERIA)[];

/**
 * A lot's codes: its main code is chosen from the notice's codes (a select, not
 * a picker per lot: 50 pickers would make the page heavy and the choice is
 * nearly always among the notice's codes); '' leaves the lot without codes of
 * its own. `cpvMore` keeps additional codes a lot already had (from the API).
 */
export type LotValues = { id: string; title: string; cpv: string; cpvMore: string[]; estimatedValue: string };
export type NoticeFormValues = {
  /** `cpv`: the picker's chosen codes; `cpvMain`: which of them is the main code (the first when none is chosen). */
  reference: string; title: string; description: string; cpv: string[]; cpvMain: string; estimatedValue: string;
  deadline: string; deadlineTime: string; procedure: string; documents: string;
  criteria: Record<CriteriaKind, string[]>; sme: '' | 'yes' | 'no';
  lots: LotValues[];
};

/** At most this many lots in the form (the schema allows more; a page of 50 lots is already long). */
export const MAX_FORM_LOTS = 50;

export const emptyForm = (): NoticeFormValues => ({
  reference: '', title: '', description: '', cpv: [], cpvMain: '', estimatedValue: '', deadline: '', deadlineTime: '', procedure: '', documents: '',
  criteria: { requirements: [], strategic: [], social: [], green: [], gpp: [], reserved: [] }, sme: '', lots: [],
});

/** The form as posted. Lots are `lots.<i>.<field>`, `lotCount` of them. */
export function formValues(body: Record<string, unknown>): NoticeFormValues {
  const count = Math.min(MAX_FORM_LOTS, Math.max(0, Number.parseInt(one(body.lotCount), 10) || 0));
  const lots: LotValues[] = [];
  for (let i = 0; i < count; i++) {
    lots.push({
      id: one(body[`lots.${i}.id`]), title: one(body[`lots.${i}.title`]), cpv: one(body[`lots.${i}.cpv`]),
      cpvMore: unique(many(body[`lots.${i}.cpvMore`])).slice(0, 200), estimatedValue: one(body[`lots.${i}.estimatedValue`]),
    });
  }
  const sme = one(body.sme);
  return {
    reference: one(body.reference), title: one(body.title), description: String(body.description ?? '').trim(),
    cpv: unique(many(body.cpv)).slice(0, 201), cpvMain: one(body.cpvMain),
    estimatedValue: one(body.estimatedValue), deadline: one(body.deadline), deadlineTime: one(body.deadlineTime), procedure: one(body.procedure),
    documents: one(body['links.documents']),
    criteria: Object.fromEntries(CRITERIA_KINDS.map((kind) => [kind, many(body[kind]).slice(0, 50)])) as Record<CriteriaKind, string[]>,
    sme: sme === 'yes' || sme === 'no' ? sme : '', lots,
  };
}

/** A lot id not yet used in the form: LOT-0001, LOT-0002, … */
export function nextLotId(lots: LotValues[]): string {
  const used = new Set(lots.map((l) => l.id));
  for (let n = lots.length + 1; ; n++) {
    const id = `LOT-${String(n).padStart(4, '0')}`;
    if (!used.has(id)) return id;
  }
}

const unique = (list: string[]) => [...new Set(list.map((c) => c.trim()).filter(Boolean))];
const codes = (text: unknown) => (typeof text === 'string' ? text.split(/[\s,;]+/).filter(Boolean) : []);

/** The notice's main code: the one chosen, when it is still among the codes; otherwise the first. */
export const mainCode = (v: Pick<NoticeFormValues, 'cpv' | 'cpvMain'>): string | undefined => (v.cpv.includes(v.cpvMain) ? v.cpvMain : v.cpv[0]);

/** A draft as saved, also one saved before the picker (codes as one text, the first the main one). */
export function draftValues(json: string): NoticeFormValues {
  const saved = JSON.parse(json) as Partial<NoticeFormValues> & { cpv?: unknown; lots?: (Partial<LotValues> & { cpv?: unknown })[] };
  const list = (x: unknown) => (Array.isArray(x) ? x.map(String) : codes(x));
  const cpv = list(saved.cpv);
  return {
    ...emptyForm(), ...saved, cpv, cpvMain: saved.cpvMain ?? cpv[0] ?? '',
    lots: (saved.lots ?? []).map((l) => {
      const [main = '', ...more] = list(l.cpv);
      return { id: l.id ?? '', title: l.title ?? '', cpv: main, cpvMore: l.cpvMore ?? more, estimatedValue: l.estimatedValue ?? '' };
    }),
  };
}
/** "1 200 000" → 1200000; '' → null; anything else → NaN. */
export function wholeKronor(text: string): number | null {
  const compact = text.replace(/[\s\u00a0]/g, '').replace(/(kr|sek)$/i, '');
  if (!compact) return null;
  return /^\d{1,15}$/.test(compact) ? Number(compact) : Number.NaN;
}

/** A wall-clock time in Stockholm (YYYY-MM-DD, HH:MM) as a UTC ISO string; null when not a real date or time. */
export function stockholmToUtc(date: string, time: string): string | null {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const tm = /^(\d{1,2})[:.](\d{2})$/.exec(time);
  if (!d || !tm) return null;
  const [y, mo, da, h, mi] = [Number(d[1]), Number(d[2]), Number(d[3]), Number(tm[1]), Number(tm[2])];
  if (mo < 1 || mo > 12 || da < 1 || da > 31 || h > 23 || mi > 59) return null;
  const wall = Date.UTC(y, mo - 1, da, h, mi);
  if (new Date(wall).getUTCDate() !== da) return null; // 31 February
  // The offset at that moment (+1 h in winter, +2 h in summer), found from the wall time and checked once more.
  let utc = wall - offsetAt(wall);
  utc = wall - offsetAt(utc);
  return new Date(utc).toISOString();
}

function offsetAt(utcMs: number): number {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/Stockholm', hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
  }).formatToParts(new Date(utcMs)).map((p) => [p.type, p.value]));
  const local = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute));
  return local - Math.floor(utcMs / 60_000) * 60_000;
}

/** A UTC instant as the date and time fields show it (Swedish time). */
export function utcToStockholm(iso: string): { date: string; time: string } {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/Stockholm', hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
  }).formatToParts(new Date(iso)).map((p) => [p.type, p.value]));
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
}

/** The field labels by zod path, for formErrors. */
export function formLabels(lang: Lang, lots: number): Record<string, string> {
  const labels: Record<string, string> = {
    reference: t(lang, 'officer.form.reference'), title: t(lang, 'officer.form.title'), description: t(lang, 'officer.form.description'),
    cpv: t(lang, 'officer.form.cpv'), estimatedValue: t(lang, 'officer.form.value'), deadline: t(lang, 'officer.form.deadline'),
    deadlineTime: t(lang, 'officer.form.deadlineTime'), procedure: t(lang, 'officer.form.procedure'), 'links.documents': t(lang, 'officer.form.documents'),
    lots: t(lang, 'officer.form.lots'), criteria: t(lang, 'officer.csr.heading'),
  };
  for (let i = 0; i < lots; i++) {
    const n = String(i + 1);
    labels[`lots.${i}`] = t(lang, 'officer.form.lot', { n });
    labels[`lots.${i}.id`] = t(lang, 'officer.form.lotTitle', { n });
    labels[`lots.${i}.title`] = t(lang, 'officer.form.lotTitle', { n });
    labels[`lots.${i}.cpv`] = t(lang, 'officer.form.lotCpv', { n });
    labels[`lots.${i}.estimatedValue`] = t(lang, 'officer.form.lotValue', { n });
  }
  return labels;
}

export type Parsed = { input: NoticeInput; errors: null } | { input: null; errors: FormErrors };

/**
 * The form as a notice, checked by the API's schema. `buyer` is the officer's
 * organisation; `requireReference` for a new notice (its identity).
 */
export function parseForm(v: NoticeFormValues, lang: Lang, buyer: NoticeInput['buyer'], { requireReference }: { requireReference: boolean }): Parsed {
  const labels = formLabels(lang, v.lots.length);
  const errors: FormErrors = {};
  if (requireReference && !v.reference) errors.reference = t(lang, 'officer.form.referenceRequired');
  const value = wholeKronor(v.estimatedValue);
  if (Number.isNaN(value)) errors.estimatedValue = t(lang, 'officer.form.valueInvalid', { label: labels.estimatedValue });
  let deadline: string | null = null;
  if (v.deadline || v.deadlineTime) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(v.deadline)) errors.deadline = t(lang, 'officer.form.deadlineInvalid');
    else if (!v.deadlineTime) errors.deadlineTime = t(lang, 'officer.form.timeMissing');
    else if (!(deadline = stockholmToUtc(v.deadline, v.deadlineTime))) errors.deadlineTime = t(lang, 'officer.form.timeInvalid');
  }
  const lots = v.lots.map((lot, i) => {
    const amount = wholeKronor(lot.estimatedValue);
    if (Number.isNaN(amount)) errors[`lots.${i}.estimatedValue`] = t(lang, 'officer.form.valueInvalid', { label: labels[`lots.${i}.estimatedValue`] });
    return {
      id: lot.id, title: lot.title || null, cpv: lot.cpv ? { main: lot.cpv, additional: lot.cpvMore.filter((c) => c !== lot.cpv) } : null,
      estimatedValue: amount === null || Number.isNaN(amount) ? null : { amount, currency: 'SEK' },
    };
  });
  const main = mainCode(v);
  const raw: NoticeInputRaw = {
    source: 'local', kind: 'tender', title: v.title, description: v.description || null, buyer, reference: v.reference || null,
    cpv: (main === undefined ? undefined : { main, additional: v.cpv.filter((c) => c !== main) }) as NoticeInputRaw['cpv'],
    estimatedValue: value === null || Number.isNaN(value) ? null : { amount: value, currency: 'SEK' },
    deadline, procedure: v.procedure || null, lots,
    criteria: { ...v.criteria, smeSuitable: v.sme === '' ? null : v.sme === 'yes' },
    links: { documents: v.documents || null, submission: null, source: null },
  };
  const result = noticeInputSchema.safeParse(raw);
  if (result.success && !Object.keys(errors).length) return { input: result.data, errors: null };
  return { input: null, errors: { ...(result.success ? {} : zodErrors(result.error, lang, labels)), ...errors } };
}

function zodErrors(error: z.ZodError, lang: Lang, labels: Record<string, string>): FormErrors {
  const errors = formErrors(error, lang, labels);
  // A lot's id is hidden: its errors are shown at the lot's title.
  for (const key of Object.keys(errors)) {
    const m = /^lots\.(\d+)\.id$/.exec(key);
    if (m) { errors[`lots.${m[1]}.title`] ??= errors[key]; delete errors[key]; }
  }
  return errors;
}

/** A stored notice as the form shows it for editing. */
export function valuesOf(n: NoticeInput): NoticeFormValues {
  const deadline = n.deadline ? utcToStockholm(n.deadline) : { date: '', time: '' };
  return {
    reference: n.reference ?? '', title: n.title, description: n.description ?? '', cpv: [n.cpv.main, ...n.cpv.additional], cpvMain: n.cpv.main,
    estimatedValue: n.estimatedValue ? String(n.estimatedValue.amount) : '', deadline: deadline.date, deadlineTime: deadline.time,
    procedure: n.procedure ?? '', documents: n.links.documents ?? '',
    criteria: Object.fromEntries(CRITERIA_KINDS.map((kind) => [kind, [...n.criteria[kind]]])) as Record<CriteriaKind, string[]>,
    sme: n.criteria.smeSuitable === null ? '' : n.criteria.smeSuitable ? 'yes' : 'no',
    lots: n.lots.map((l) => ({ id: l.id, title: l.title ?? '', cpv: l.cpv?.main ?? '', cpvMore: l.cpv?.additional ?? [], estimatedValue: l.estimatedValue ? String(l.estimatedValue.amount) : '' })),
  };
}
