/** @jsxRuntime automatic @jsxImportSource preact */
// Registering a firm in the browser: the same schema (companyInputSchema) and
// service (registerCompany) as POST /api/companies, so the same answer whether
// or not the firm or the address is known ("check your e-mail").
import type { Request, RequestHandler, Response } from 'express';
import type { Db } from '../../../db/database.ts';
import { registerCompany } from '../../companies/companies.service.ts';
import { companyInputSchema } from '../../companies/company.schema.ts';
import { CAPABILITIES } from '../../domain/csr.ts';
import { OrgNumberError, parseOrgNumber } from '../../domain/orgnr.ts';
import { BUILT_IN_MUNICIPALITIES } from '../../domain/regions.ts';
import { AppError } from '../../http/errors.ts';
import { anyone, type SecuredRouter } from '../../http/secured-router.ts';
import { t, type Lang, type MessageKey } from '../../i18n/messages.ts';
import { suggestionsByName, type Suggestions } from '../../matching/suggestions.service.ts';
import { listMunicipalities } from '../../regions/regions.repo.ts';
import { CpvPicker, cpvPickerData, pickerInput } from '../components/cpv-picker.tsx';
import { Button, ChoiceGroup, ErrorSummary, fieldId, formErrors, PostForm, SelectField, TextField, type FormErrors } from '../components/form.tsx';
import { requestLang, type WebContext } from '../context.ts';
import { formPost, many, one } from '../form-post.ts';
import { page, seeOther } from '../render.tsx';
import { DefaultSubmit, isPickerPost } from './default-submit.tsx';
import { SuggestionsPanel, withSuggested } from './suggestions.tsx';

/** What the form holds, as typed (kept as is when it comes back with errors). */
export type CompanyForm = {
  orgNumber: string; soleTrader: boolean; name: string; email: string; municipalityCode: string; language: string;
  categories: string[]; csr: Record<string, { held: boolean; validUntil: string }>;
  /** The suggestions from award history were taken: the first subscription is the suggested one. */
  suggested: boolean;
};

export function companyForm(body: Record<string, unknown>): CompanyForm {
  const held = new Set(many(body.csr));
  const csr = Object.fromEntries(Object.keys(CAPABILITIES).map((c) => [c, { held: held.has(c), validUntil: one(body[`csrUntil-${c}`]) }]));
  return {
    orgNumber: one(body.orgNumber), soleTrader: one(body.soleTrader) === 'yes', name: one(body.name), email: one(body.email),
    municipalityCode: one(body.municipalityCode), language: one(body.language) || 'sv', categories: many(body.categories), csr,
    suggested: one(body.suggested) === '1',
  };
}

/** The form's fields in the API's shape (what companyInputSchema takes). */
export const csrInput = (f: CompanyForm) =>
  Object.entries(f.csr).filter(([, v]) => v.held).map(([capability, v]) => ({ capability, validUntil: v.validUntil || null }));

export const companyLabels = (lang: Lang): Record<string, string> => ({
  orgNumber: t(lang, 'web.register.orgNumber'), soleTrader: t(lang, 'web.register.soleTraderLegend'), name: t(lang, 'web.register.name'),
  email: t(lang, 'web.register.email'), municipalityCode: t(lang, 'web.register.municipality'), language: t(lang, 'web.register.language'),
  categories: t(lang, 'web.register.categories'), csr: t(lang, 'web.register.csr'),
});

/** An empty field is a missing one ("Fyll i …"), not one in the wrong format. */
export const blanksUnset = <T extends Record<string, unknown>>(values: T): T =>
  Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v === '' ? undefined : v])) as T;

/** The organisationsnummer's problem in the reader's words, or null when it is fine. */
export function orgNumberProblem(value: string, soleTrader: boolean, lang: Lang): string | null {
  try {
    parseOrgNumber(value, { allowPersonal: soleTrader });
    return null;
  } catch (error) {
    if (!(error instanceof OrgNumberError)) throw error;
    const known = ['empty', 'format', 'length', 'personal', 'checksum'];
    return t(lang, `web.orgnr.${known.includes(error.reason) ? error.reason : 'other'}` as MessageKey);
  }
}

export async function municipalityOptions(db: Db, lang: Lang) {
  const imported = await listMunicipalities(db);
  const list = imported.length ? imported : BUILT_IN_MUNICIPALITIES;
  return [
    { value: '', label: t(lang, 'web.register.chooseMunicipality') },
    ...[...list].sort((a, b) => a.shortName.localeCompare(b.shortName, 'sv')).map((m) => ({ value: m.code, label: m.shortName })),
  ];
}

/** Capabilities as checkboxes, each certificate with its expiry date. */
export function CsrFields({ ctx, form, error }: { ctx: WebContext; form: CompanyForm; error?: string }) {
  const { lang } = ctx;
  const id = fieldId('csr');
  return (
    <fieldset class="fieldset checkbox-group csr-fields" id={id} aria-describedby={error ? `${id}-error` : undefined}>
      <legend class="label fieldset__label">
        {t(lang, 'web.register.csr')}
        <span class="label__description">{t(lang, 'web.register.csrHint')}</span>
        {error ? <span class="label__message label__message--error" id={`${id}-error`}>{error}</span> : null}
      </legend>
      <div class="fieldset__content">
        {Object.entries(CAPABILITIES).map(([code, c]) => {
          const value = form.csr[code] ?? { held: false, validUntil: '' };
          return (
            <div key={code} class="csr-fields__item">
              <div class="checkbox">
                <input class="checkbox__input" type="checkbox" id={`${id}-${code}`} name="csr" value={code} checked={value.held} />
                <label class="checkbox__label" for={`${id}-${code}`}>{c[lang]}</label>
              </div>
              {c.certificate ? (
                // Text, not type=date: the browser's date field orders its parts by locale and is hard to type into.
                <TextField name={`csrUntil-${code}`} value={value.validUntil} inputMode="numeric" maxLength={10} size={12}
                  label={t(lang, 'web.register.validUntil', { capability: c[lang] })} hint={t(lang, 'web.register.validUntilHint')} />
              ) : null}
            </div>
          );
        })}
      </div>
    </fieldset>
  );
}

const emptyForm = (lang: Lang): CompanyForm => ({
  orgNumber: '', soleTrader: false, name: '', email: '', municipalityCode: '', language: lang, categories: [], csr: {}, suggested: false,
});

/** The form's buttons for the suggestions: they show the form again, as the picker's do. */
const SUGGEST = 'suggest';
const TAKE = 'takeSuggestions';
const isSuggestionPost = (body: Record<string, unknown>) => SUGGEST in body || TAKE in body;

/** The organisationsnummer typed, when it is one (else the name alone finds the history). */
function typedOrgNumber(form: CompanyForm): string | null {
  try {
    return parseOrgNumber(form.orgNumber, { allowPersonal: form.soleTrader }).canonical;
  } catch {
    return null;
  }
}

/** What the firm's history suggests, by what was typed; null until there is a name to look for. */
async function typedSuggestions(db: Db, form: CompanyForm): Promise<Suggestions | null> {
  return form.name.trim() ? suggestionsByName(db, typedOrgNumber(form), form.name) : null;
}

type SuggestionsShown = { suggestions: Suggestions | null; asked: boolean };

async function showForm(db: Db, req: Request, res: Response, form: CompanyForm, errors: FormErrors, status = 200, shown: SuggestionsShown = { suggestions: null, asked: false }) {
  const picker = await cpvPickerData(db, form.categories, pickerInput(req));
  const lang = requestLang(req);
  const municipalities = await municipalityOptions(db, lang);
  // Once taken, the suggestions stay in sight whatever brings the form back (the picker, errors).
  if (!shown.suggestions && form.suggested) shown = { suggestions: await typedSuggestions(db, form), asked: true };
  page(req, res, { title: t(lang, 'web.register.title'), status, scripts: ['orgnr', 'cpv-picker'] }, (ctx) => {
    const l = ctx.lang;
    return (
      <>
        <h1>{t(l, 'web.register.title')}</h1>
        <p>{t(l, 'web.register.intro')}</p>
        <ErrorSummary ctx={ctx} errors={errors} />
        <PostForm ctx={ctx} action="/register" novalidate>
          <DefaultSubmit query={picker.query}>{t(l, 'web.register.submit')}</DefaultSubmit>
          <TextField name="orgNumber" label={t(l, 'web.register.orgNumber')} hint={t(l, 'web.register.orgNumberHint')} value={form.orgNumber}
            error={errors.orgNumber} autocomplete="off" inputMode="numeric" maxLength={13}
            data={{ orgnr: '', 'msg-ok': t(l, 'web.orgnr.ok'), 'msg-format': t(l, 'web.orgnr.format'), 'msg-length': t(l, 'web.orgnr.length'),
              'msg-personal': t(l, 'web.orgnr.personal'), 'msg-checksum': t(l, 'web.orgnr.checksum'), 'msg-other': t(l, 'web.orgnr.other') }} />
          <p class="orgnr-status" id="orgnr-status" role="status" aria-live="polite"></p>
          <ChoiceGroup name="soleTrader" legend={t(l, 'web.register.soleTraderLegend')} error={errors.soleTrader}
            options={[{ value: 'yes', label: t(l, 'web.register.soleTrader') }]} checked={form.soleTrader ? ['yes'] : []} />
          <TextField name="name" label={t(l, 'web.register.name')} value={form.name} error={errors.name} autocomplete="organization" maxLength={120} />
          <section class="suggestions-section" aria-labelledby="suggestions-title">
            <h2 id="suggestions-title">{t(l, 'web.suggest.title')}</h2>
            <p>{t(l, 'web.suggest.intro')}</p>
            {form.suggested ? <input type="hidden" name="suggested" value="1" /> : null}
            {form.suggested && shown.suggestions?.subscription ? (
              <div class="message-box message-box--success" role="status">
                <p class="message-box__content">{t(l, 'web.suggest.taken', { name: shown.suggestions.subscription.name })}</p>
              </div>
            ) : null}
            {shown.suggestions ? (
              <SuggestionsPanel suggestions={shown.suggestions} name={form.name} lang={l}>
                {shown.suggestions.subscription && !form.suggested ? (
                  <>
                    <p class="meta">{t(l, 'web.suggest.takeHint')}</p>
                    <Button variant="secondary" name={TAKE} value="1">{t(l, 'web.suggest.take')}</Button>
                  </>
                ) : null}
              </SuggestionsPanel>
            ) : (
              <>
                {shown.asked ? <p>{t(l, 'web.suggest.fetchHint')}</p> : <p class="meta">{t(l, 'web.suggest.fetchHint')}</p>}
                <Button variant="secondary" name={SUGGEST} value="1">{t(l, 'web.suggest.fetch')}</Button>
              </>
            )}
          </section>
          <SelectField name="municipalityCode" label={t(l, 'web.register.municipality')} value={form.municipalityCode} error={errors.municipalityCode} options={municipalities} />
          <TextField name="email" type="email" label={t(l, 'web.register.email')} hint={t(l, 'web.register.emailHint')} value={form.email}
            error={errors.email} autocomplete="email" spellcheck={false} />
          <ChoiceGroup name="language" type="radio" legend={t(l, 'web.register.language')} error={errors.language}
            options={[{ value: 'sv', label: 'Svenska' }, { value: 'en', label: 'English' }]} checked={[form.language]} />
          <CpvPicker name="categories" label={t(l, 'web.register.categories')} selected={form.categories} lang={l} error={errors.categories} data={picker} />
          <CsrFields ctx={ctx} form={form} error={errors.csr} />
          <p class="meta">{t(l, 'web.register.fairness')}</p>
          <Button>{t(l, 'web.register.submit')}</Button>
        </PostForm>
      </>
    );
  });
}

export function registerRoutes(router: SecuredRouter, db: Db, nudge: () => void, limits: RequestHandler[]) {
  router.get('/register', anyone, async (req, res) => {
    await showForm(db, req, res, { ...emptyForm(requestLang(req)), categories: many(req.query.categories) }, {});
  });

  // The picker's buttons show the form again; only a real submission counts against the registration limits.
  const limited: RequestHandler = (req, res, next) => {
    if (isPickerPost(req.body as Record<string, unknown>) || isSuggestionPost(req.body as Record<string, unknown>)) return next();
    const [first, ...rest] = limits;
    if (!first) return next();
    const run = (i: number, handler: RequestHandler): void => {
      void handler(req, res, (error?: unknown) => (error || i >= rest.length ? next(error) : run(i + 1, rest[i])));
    };
    run(0, first);
  };

  router.post('/register', anyone, ...formPost, limited, async (req, res) => {
    const body = req.body as Record<string, unknown>;
    const form = companyForm(body);
    if (isPickerPost(body)) return showForm(db, req, res, form, {});
    if (isSuggestionPost(body)) {
      const suggestions = await typedSuggestions(db, form);
      // Taking them adds the categories and makes the first subscription the suggested one.
      const taken = TAKE in body && !!suggestions?.subscription;
      const shownForm = taken ? { ...form, categories: withSuggested(form.categories, suggestions!), suggested: true } : form;
      return showForm(db, req, res, shownForm, {}, 200, { suggestions, asked: true });
    }
    const lang = requestLang(req);
    const parsed = companyInputSchema.safeParse(blanksUnset({ ...form, csr: csrInput(form) }));
    const errors: FormErrors = parsed.success ? {} : formErrors(parsed.error, lang, companyLabels(lang));
    const orgProblem = orgNumberProblem(form.orgNumber, form.soleTrader, lang);
    if (orgProblem) errors.orgNumber = orgProblem;
    if (!parsed.success || orgProblem) {
      const ordered = Object.fromEntries(Object.keys(companyLabels(lang)).filter((k) => k in errors).map((k) => [k, errors[k]]));
      return showForm(db, req, res, form, { ...ordered, ...errors }, 400);
    }
    // The suggested subscription, from the history of the firm as it registers (the same service as the API's suggestions).
    const suggested = form.suggested ? (await typedSuggestions(db, form))?.subscription : null;
    try {
      await registerCompany(db, parsed.data, new Date(), suggested ? { name: suggested.name, cpv: suggested.cpv, minScore: suggested.minScore } : {});
    } catch (error) {
      if (error instanceof AppError && error.status === 400) return showForm(db, req, res, form, { orgNumber: t(lang, 'web.orgnr.other') }, 400);
      throw error;
    }
    nudge();
    seeOther(res, '/register/sent');
  });

  router.get('/register/sent', anyone, (req, res) => {
    page(req, res, { title: t(requestLang(req), 'web.register.sent.title') }, ({ lang }) => (
      <>
        <h1>{t(lang, 'web.register.sent.title')}</h1>
        <p>{t(lang, 'web.register.sent.body')}</p>
        <p>{t(lang, 'web.register.sent.known')}</p>
        <p><a href="/login">{t(lang, 'web.register.sent.login')}</a></p>
      </>
    ));
  });
}
