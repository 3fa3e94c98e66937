/** @jsxRuntime automatic @jsxImportSource preact */
// The firm's subscriptions: list, create, edit, pause/resume and delete, with
// every filter the API takes (subscriptionInputSchema, the same service
// functions as /api/companies/:id/subscriptions), and an estimate of how many
// notices a month each would bring, from the last 12 months.
import type { Request, Response } from 'express';
import type { Db } from '../../../db/database.ts';
import { addSubscription, getCompany, setSubscriptionActive, subscriptionOf, updateSubscription, deleteSubscription } from '../../companies/companies.service.ts';
import { FREQUENCIES, subscriptionInputSchema } from '../../companies/company.schema.ts';
import { countNoticesFor } from '../../cpv/cpv.repo.ts';
import { cpvPrefix, cpvParent } from '../../domain/cpv.ts';
import { BUILT_IN_MUNICIPALITIES } from '../../domain/regions.ts';
import { AppError } from '../../http/errors.ts';
import type { SecuredRouter } from '../../http/secured-router.ts';
import { t, type Lang, type MessageKey } from '../../i18n/messages.ts';
import { NOTICE_KINDS } from '../../notices/notice.schema.ts';
import { CpvPicker, cpvPickerData, pickerInput } from '../components/cpv-picker.tsx';
import { Button, ChoiceGroup, ErrorSummary, formErrors, PostForm, TextField, type FormErrors } from '../components/form.tsx';
import { requestLang } from '../context.ts';
import { formPost, many, one } from '../form-post.ts';
import { page, seeOther } from '../render.tsx';
import { DefaultSubmit, isPickerPost } from './default-submit.tsx';
import { companyOf, doneNote, firmPages, FirmNav, Note } from './firm-nav.tsx';

const PROCEDURES = ['open', 'restricted', 'neg-w-call', 'neg-wo-call', 'comp-dial', 'innovation'] as const;
const YEAR_MS = 365 * 24 * 3600 * 1000;

type Subscription = Awaited<ReturnType<typeof subscriptionOf>>;
type SubForm = {
  name: string; cpv: string[]; frequency: string; reminderDays: string; keywords: string; regions: string[];
  minValue: string; maxValue: string; kinds: string[]; procedures: string[]; options: string[];
};

const OPTIONS = ['includeParent', 'onlyCsr', 'strict'] as const;

function formOf(s: Subscription): SubForm {
  return {
    name: s.name, cpv: s.cpv, frequency: s.frequency, reminderDays: s.reminderDays === null ? '' : String(s.reminderDays), keywords: s.keywords ?? '',
    regions: s.regions, minValue: s.minValue === null ? '' : String(s.minValue), maxValue: s.maxValue === null ? '' : String(s.maxValue),
    kinds: s.kinds, procedures: s.procedures, options: OPTIONS.filter((o) => s[o]),
  };
}

function formFromBody(body: Record<string, unknown>): SubForm {
  return {
    name: one(body.name), cpv: many(body.cpv), frequency: one(body.frequency) || 'instant', reminderDays: one(body.reminderDays), keywords: one(body.keywords),
    regions: many(body.regions), minValue: one(body.minValue), maxValue: one(body.maxValue), kinds: many(body.kinds), procedures: many(body.procedures),
    options: many(body.options),
  };
}

const number = (s: string) => (s === '' ? null : /^\d+(\.\d+)?$/.test(s.replace(/\s/g, '')) ? Number(s.replace(/\s/g, '')) : s);

/** The form's fields in the API's shape. */
const inputOf = (f: SubForm) => ({
  name: f.name || undefined, cpv: f.cpv, frequency: f.frequency, reminderDays: number(f.reminderDays), keywords: f.keywords || null, regions: f.regions,
  minValue: number(f.minValue), maxValue: number(f.maxValue), kinds: f.kinds, procedures: f.procedures,
  includeParent: f.options.includes('includeParent'), onlyCsr: f.options.includes('onlyCsr'), strict: f.options.includes('strict'),
});

const labels = (lang: Lang): Record<string, string> => ({
  name: t(lang, 'web.firm.subs.name'), cpv: t(lang, 'web.firm.subs.categories'), frequency: t(lang, 'web.firm.subs.frequency'),
  reminderDays: t(lang, 'web.firm.subs.reminderDays'), keywords: t(lang, 'web.firm.subs.keywords'), regions: t(lang, 'web.firm.subs.regions'),
  minValue: t(lang, 'web.firm.subs.minValue'), maxValue: t(lang, 'web.firm.subs.maxValue'), kinds: t(lang, 'web.firm.subs.kinds'),
  procedures: t(lang, 'web.firm.subs.procedures'),
});

/**
 * About how many notices a month: the last 12 months' notices its codes
 * (and, with includeParent, their parents), kinds, procedures and value range
 * take, divided by 12. Approximated: keywords, regions, the CSR options and
 * notices coded more broadly than the category (cpv-broad) are not counted.
 */
async function monthlyEstimate(db: Db, s: Subscription): Promise<number> {
  const codes = s.includeParent ? [...s.cpv, ...s.cpv.map(cpvParent).filter((c): c is string => c !== null)] : s.cpv;
  const since = new Date(Date.now() - YEAR_MS).toISOString();
  const n = await countNoticesFor(db, { prefixes: [...new Set(codes.map(cpvPrefix))], kinds: s.kinds, procedures: s.procedures, minValue: s.minValue, maxValue: s.maxValue }, since);
  return Math.round(n / 12);
}

async function showForm(db: Db, req: Request, res: Response, form: SubForm, errors: FormErrors, sid: string | null, status = 200) {
  const lang = requestLang(req);
  const picker = await cpvPickerData(db, form.cpv, pickerInput(req));
  const title = sid ? t(lang, 'web.firm.subs.editTitle', { name: form.name }) : t(lang, 'web.firm.subs.new');
  const regionOptions = [
    { value: 'local', label: t(lang, 'web.firm.subs.region.local') },
    ...BUILT_IN_MUNICIPALITIES.map((m) => ({ value: m.code, label: m.shortName })),
    { value: 'SE232', label: 'Västra Götalands län (SE232)' },
  ];
  for (const r of form.regions) if (!regionOptions.some((o) => o.value === r)) regionOptions.push({ value: r, label: r });
  page(req, res, { title, status, scripts: ['cpv-picker'] }, (ctx) => (
    <>
      <FirmNav ctx={ctx} />
      <h1>{title}</h1>
      <ErrorSummary ctx={ctx} errors={errors} />
      <PostForm ctx={ctx} action={sid ? `/firm/subscriptions/${sid}` : '/firm/subscriptions'} novalidate>
        <DefaultSubmit query={picker.query}>{sid ? t(lang, 'web.firm.subs.save') : t(lang, 'web.firm.subs.create')}</DefaultSubmit>
        <TextField name="name" label={t(lang, 'web.firm.subs.name')} value={form.name} error={errors.name} maxLength={200} />
        <CpvPicker name="cpv" label={t(lang, 'web.firm.subs.categories')} selected={form.cpv} lang={lang} error={errors.cpv} data={picker} />
        <ChoiceGroup name="frequency" type="radio" legend={t(lang, 'web.firm.subs.frequency')} error={errors.frequency} checked={[form.frequency]}
          options={FREQUENCIES.map((f) => ({ value: f, label: t(lang, `web.firm.subs.freq.${f}` as MessageKey) }))} />
        <TextField name="reminderDays" label={t(lang, 'web.firm.subs.reminderDays')} hint={t(lang, 'web.firm.subs.reminderHint')} value={form.reminderDays}
          error={errors.reminderDays} inputMode="numeric" size={4} />
        <TextField name="keywords" label={t(lang, 'web.firm.subs.keywords')} hint={t(lang, 'web.firm.subs.keywordsHint')} value={form.keywords}
          error={errors.keywords} optional lang={lang} maxLength={500} />
        <ChoiceGroup name="regions" legend={t(lang, 'web.firm.subs.regions')} hint={t(lang, 'web.firm.subs.regionsHint')} error={errors.regions}
          options={regionOptions} checked={form.regions} />
        <TextField name="minValue" label={t(lang, 'web.firm.subs.minValue')} hint={t(lang, 'web.firm.subs.valueHint')} value={form.minValue}
          error={errors.minValue} inputMode="numeric" optional lang={lang} />
        <TextField name="maxValue" label={t(lang, 'web.firm.subs.maxValue')} value={form.maxValue} error={errors.maxValue} inputMode="numeric" optional lang={lang} />
        <ChoiceGroup name="kinds" legend={t(lang, 'web.firm.subs.kinds')} hint={t(lang, 'web.firm.subs.kindsHint')} error={errors.kinds} checked={form.kinds}
          options={NOTICE_KINDS.map((k) => ({ value: k, label: t(lang, `web.firm.subs.kind.${k}` as MessageKey) }))} />
        <ChoiceGroup name="procedures" legend={t(lang, 'web.firm.subs.procedures')} hint={t(lang, 'web.firm.subs.proceduresHint')} error={errors.procedures}
          checked={form.procedures} options={PROCEDURES.map((p) => ({ value: p, label: t(lang, `web.firm.subs.proc.${p}` as MessageKey) }))} />
        <ChoiceGroup name="options" legend={t(lang, 'web.firm.subs.options')} checked={form.options}
          options={OPTIONS.map((o) => ({ value: o, label: t(lang, `web.firm.subs.${o}` as MessageKey) }))} />
        <Button>{sid ? t(lang, 'web.firm.subs.save') : t(lang, 'web.firm.subs.create')}</Button>
      </PostForm>
      <p><a href="/firm/subscriptions">{t(lang, 'web.firm.subs.back')}</a></p>
    </>
  ));
}

/** Validates the form with the API's schema: the form again with its errors, or stored and 303. */
async function save(db: Db, req: Request, res: Response, sid: string | null): Promise<void> {
  const body = req.body as Record<string, unknown>;
  const form = formFromBody(body);
  if (isPickerPost(body)) return showForm(db, req, res, form, {}, sid);
  const lang = requestLang(req);
  const parsed = subscriptionInputSchema.safeParse(inputOf(form));
  if (!parsed.success) return showForm(db, req, res, form, formErrors(parsed.error, lang, labels(lang)), sid, 400);
  const companyId = companyOf(res);
  try {
    if (sid) await updateSubscription(db, companyId, sid, parsed.data);
    else await addSubscription(db, companyId, parsed.data);
  } catch (error) {
    if (error instanceof AppError && error.status === 400) return showForm(db, req, res, form, { name: error.message }, sid, 400);
    throw error;
  }
  seeOther(res, '/firm/subscriptions?done=saved');
}

export function subscriptionRoutes(router: SecuredRouter, db: Db, nudge: () => void) {
  router.get('/firm/subscriptions', firmPages, async (req, res) => {
    const lang = requestLang(req);
    const company = await getCompany(db, companyOf(res), { full: true });
    const estimates = await Promise.all(company.subscriptions.map((s) => monthlyEstimate(db, s)));
    const note = doneNote(req, lang, { saved: 'web.firm.subs.saved', deleted: 'web.firm.subs.deleted', paused: 'web.firm.subs.pausedNote', resumed: 'web.firm.subs.resumedNote' });
    page(req, res, { title: t(lang, 'web.firm.subs.title') }, (ctx) => (
      <>
        <FirmNav ctx={ctx} />
        <h1>{t(lang, 'web.firm.subs.title')}</h1>
        <Note text={note} />
        <p>{t(lang, 'web.firm.subs.intro')}</p>
        <p><a class="button button--secondary" href="/firm/subscriptions/new">{t(lang, 'web.firm.subs.new')}</a></p>
        {company.subscriptions.length === 0 ? <p>{t(lang, 'web.firm.subs.none')}</p> : null}
        <ul class="subscription-list">
          {company.subscriptions.map((s, i) => (
            <li key={s.id} class="card subscription">
              <h2>{s.name} <span class="badge">{s.active ? t(lang, 'web.firm.subs.active') : t(lang, 'web.firm.subs.paused')}</span></h2>
              <p>{t(lang, 'web.firm.subs.categories')}: {s.cpv.join(', ')}</p>
              <p>{t(lang, `web.firm.subs.freq.${s.frequency}` as MessageKey)}</p>
              <p><strong>{t(lang, 'web.firm.subs.estimate', { n: String(estimates[i]) })}</strong></p>
              <div class="subscription__actions">
                <a href={`/firm/subscriptions/${s.id}`} aria-label={t(lang, 'web.firm.subs.editNamed', { name: s.name })}>{t(lang, 'web.firm.subs.edit')}</a>
                <PostForm ctx={ctx} action={`/firm/subscriptions/${s.id}/${s.active ? 'pause' : 'resume'}`}>
                  <button type="submit" class="button button--secondary button--small"
                    aria-label={t(lang, s.active ? 'web.firm.subs.pauseNamed' : 'web.firm.subs.resumeNamed', { name: s.name })}>
                    {s.active ? t(lang, 'web.firm.subs.pause') : t(lang, 'web.firm.subs.resume')}
                  </button>
                </PostForm>
                <PostForm ctx={ctx} action={`/firm/subscriptions/${s.id}/delete`}>
                  <button type="submit" class="button button--tertiary button--small" aria-label={t(lang, 'web.firm.subs.deleteNamed', { name: s.name })}>
                    {t(lang, 'web.firm.subs.delete')}
                  </button>
                </PostForm>
              </div>
            </li>
          ))}
        </ul>
        <p class="meta">{t(lang, 'web.firm.subs.estimateNote')}</p>
      </>
    ));
  });

  router.get('/firm/subscriptions/new', firmPages, async (req, res) => {
    const empty: SubForm = { name: '', cpv: many(req.query.cpv), frequency: 'instant', reminderDays: '3', keywords: '', regions: [], minValue: '', maxValue: '', kinds: [], procedures: [], options: [] };
    await showForm(db, req, res, empty, {}, null);
  });

  router.post('/firm/subscriptions', firmPages, ...formPost, async (req, res) => {
    await save(db, req, res, null);
    nudge();
  });

  router.get('/firm/subscriptions/:sid', firmPages, async (req, res) => {
    const s = await subscriptionOf(db, companyOf(res), req.params.sid);
    await showForm(db, req, res, formOf(s), {}, s.id);
  });

  router.post('/firm/subscriptions/:sid', firmPages, ...formPost, async (req, res) => {
    await subscriptionOf(db, companyOf(res), req.params.sid); // another firm's is not found
    await save(db, req, res, req.params.sid);
    nudge();
  });

  router.post('/firm/subscriptions/:sid/pause', firmPages, ...formPost, async (req, res) => {
    await setSubscriptionActive(db, companyOf(res), req.params.sid, false);
    seeOther(res, '/firm/subscriptions?done=paused');
  });

  router.post('/firm/subscriptions/:sid/resume', firmPages, ...formPost, async (req, res) => {
    await setSubscriptionActive(db, companyOf(res), req.params.sid, true);
    nudge();
    seeOther(res, '/firm/subscriptions?done=resumed');
  });

  router.post('/firm/subscriptions/:sid/delete', firmPages, ...formPost, async (req, res) => {
    await deleteSubscription(db, companyOf(res), req.params.sid);
    seeOther(res, '/firm/subscriptions?done=deleted');
  });
}
