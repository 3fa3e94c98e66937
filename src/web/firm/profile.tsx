/** @jsxRuntime automatic @jsxImportSource preact */
// The firm's profile and users: its details (the schema and service of
// PATCH /api/companies/:id), the language its e-mail goes out in, its users
// (invite and remove: owners only, as POST/DELETE /api/companies/:id/users),
// the export of everything Brygga holds about it, and deleting it (owners
// only, after a page asking to confirm; the users are signed out).
import type { Request, Response } from 'express';
import type { Db } from '../../../db/database.ts';
import { actorOf } from '../../accounts/audit.ts';
import { clearedSessionCookie } from '../../accounts/sessions.service.ts';
import { addSubscription, getCompany, updateCompany } from '../../companies/companies.service.ts';
import { companyPatchSchema, firmUserInputSchema, subscriptionInputSchema } from '../../companies/company.schema.ts';
import { deleteCompany, exportCompany } from '../../companies/firm-data.service.ts';
import { firmUsers, inviteFirmUser, isOwnerOf, removeFirmUser, type FirmUser } from '../../companies/firm-users.service.ts';
import { AppError } from '../../http/errors.ts';
import { anyone, principalOf, type Rule, type SecuredRouter } from '../../http/secured-router.ts';
import { t, type Lang } from '../../i18n/messages.ts';
import { companySuggestions } from '../../matching/suggestions.service.ts';
import { CpvPicker, cpvPickerData, pickerInput } from '../components/cpv-picker.tsx';
import { Button, ChoiceGroup, ErrorSummary, formErrors, PostForm, SelectField, TextField, type FormErrors } from '../components/form.tsx';
import { requestLang } from '../context.ts';
import { formPost, many, one } from '../form-post.ts';
import { page, seeOther } from '../render.tsx';
import { DefaultSubmit, isPickerPost } from './default-submit.tsx';
import { companyOf, doneNote, firmPages, FirmNav, Note } from './firm-nav.tsx';
import { SuggestionsPanel, suggestedCategories, withSuggested } from './suggestions.tsx';
import { blanksUnset, companyForm, companyLabels, CsrFields, csrInput, municipalityOptions, type CompanyForm } from './register.tsx';

/** An owner of the firm the user acts for: inviting and removing users, deleting the firm (the API's ownerRule, for the pages). */
export const firmOwnerPages = (db: Db): Rule => ({
  name: 'firm owner',
  allows: async (p) => !!p && p.roles.has('firm') && p.companyId !== null && (await isOwnerOf(db, p.userId, p.companyId)),
});

/** What PATCH /api/companies/:id takes, apart from the language (its own form). */
const profileSchema = companyPatchSchema.omit({ language: true });

type InviteForm = { email: string; name: string; owner: boolean };
const emptyInvite: InviteForm = { email: '', name: '', owner: false };

type Shown = { form?: CompanyForm; invite?: InviteForm; errors?: FormErrors; alert?: string; status?: number };

const sameCodes = (a: string[], b: string[]) => a.length === b.length && [...a].sort().join() === [...b].sort().join();

const sameName = (a: string, b: string) => a.trim().replace(/\s+/g, ' ').toLocaleLowerCase('sv') === b.trim().replace(/\s+/g, ' ').toLocaleLowerCase('sv');

async function showProfile(db: Db, req: Request, res: Response, shown: Shown = {}): Promise<void> {
  const lang = requestLang(req);
  const companyId = companyOf(res);
  const me = principalOf(res)!.userId;
  const [company, users, owner] = await Promise.all([getCompany(db, companyId, { full: true }), firmUsers(db, companyId), isOwnerOf(db, me, companyId)]);
  const form: CompanyForm = shown.form ?? {
    orgNumber: company.orgNumber, soleTrader: false, name: company.name, email: company.email, municipalityCode: company.municipalityCode,
    language: company.language, categories: company.categories,
    csr: Object.fromEntries(company.csr.map((c) => [c.capability, { held: true, validUntil: c.validUntil ?? '' }])),
    suggested: false,
  };
  const suggestions = await companySuggestions(db, companyId);
  const suggested = suggestions.subscription;
  const hasSuggested = !!suggested && company.subscriptions.some((s) => sameCodes(s.cpv, suggested.cpv) && s.minScore === suggested.minScore);
  const categoriesTaken = suggestions.wins > 0 && suggestedCategories(suggestions).every((c) => company.categories.includes(c));
  const invite = shown.invite ?? emptyInvite;
  const errors = shown.errors ?? {};
  const picker = await cpvPickerData(db, form.categories, pickerInput(req));
  const municipalities = await municipalityOptions(db, lang);
  const note = doneNote(req, lang, {
    saved: 'web.firm.profile.saved', language: 'web.firm.language.saved', invited: 'web.firm.users.invited', removed: 'web.firm.users.removed',
    suggestedCategories: 'web.suggest.categoriesAdded', suggestedSubscription: 'web.suggest.subscriptionAdded',
  });
  page(req, res, { title: t(lang, 'web.firm.profile.title'), status: shown.status, scripts: ['cpv-picker'] }, (ctx) => (
    <>
      <FirmNav ctx={ctx} />
      <h1>{t(lang, 'web.firm.profile.title')}</h1>
      <Note text={note} />
      {shown.alert ? (
        <div class="message-box message-box--error" role="alert"><p class="message-box__content">{shown.alert}</p></div>
      ) : null}
      <ErrorSummary ctx={ctx} errors={errors} />

      <h2>{t(lang, 'web.firm.profile.details')}</h2>
      <p>{t(lang, 'web.firm.profile.orgNumber', { orgNumber: company.orgNumber })}</p>
      <PostForm ctx={ctx} action="/firm/profile" novalidate>
        <DefaultSubmit query={picker.query}>{t(lang, 'web.firm.profile.save')}</DefaultSubmit>
        <TextField name="name" label={t(lang, 'web.register.name')} value={form.name} error={errors.name} autocomplete="organization" maxLength={120} />
        <TextField name="email" type="email" label={t(lang, 'web.register.email')} hint={t(lang, 'web.firm.profile.emailChange')} value={form.email}
          error={errors.email} autocomplete="email" spellcheck={false} />
        <SelectField name="municipalityCode" label={t(lang, 'web.register.municipality')} value={form.municipalityCode} error={errors.municipalityCode}
          options={municipalities} />
        <CpvPicker name="categories" label={t(lang, 'web.register.categories')} hint={t(lang, 'web.firm.profile.categoriesHint')} selected={form.categories}
          lang={lang} error={errors.categories} data={picker} />
        <CsrFields ctx={ctx} form={form} error={errors.csr} />
        <Button>{t(lang, 'web.firm.profile.save')}</Button>
      </PostForm>

      <h2>{t(lang, 'web.suggest.title')}</h2>
      <p>{t(lang, 'web.suggest.intro')}</p>
      <SuggestionsPanel suggestions={suggestions} name={company.name} lang={lang}>
        <div class="suggestions__actions">
          {categoriesTaken ? null : (
            <PostForm ctx={ctx} action="/firm/profile/suggestions/categories">
              <Button variant="secondary">{t(lang, 'web.suggest.addCategories')}</Button>
            </PostForm>
          )}
          {hasSuggested ? <p>{t(lang, 'web.suggest.subscriptionExists')}</p> : (
            <PostForm ctx={ctx} action="/firm/profile/suggestions/subscription">
              <Button variant="secondary">{t(lang, 'web.suggest.addSubscription')}</Button>
            </PostForm>
          )}
        </div>
      </SuggestionsPanel>

      <h2>{t(lang, 'web.firm.language.title')}</h2>
      <p>{t(lang, 'web.firm.language.intro')}</p>
      <PostForm ctx={ctx} action="/firm/profile/language">
        <ChoiceGroup name="language" type="radio" legend={t(lang, 'web.firm.language.legend')} checked={[company.language]}
          options={[{ value: 'sv', label: 'Svenska' }, { value: 'en', label: 'English' }]} />
        <Button variant="secondary">{t(lang, 'web.firm.language.save')}</Button>
      </PostForm>

      <h2>{t(lang, 'web.firm.users.title')}</h2>
      <p>{t(lang, 'web.firm.users.intro')}</p>
      <ul class="firm-users" aria-label={t(lang, 'web.firm.users.list')}>
        {users.map((u) => <UserItem key={u.id} user={u} me={me} owner={owner} lang={lang} csrf={ctx} />)}
      </ul>
      {owner ? (
        <>
          <h3>{t(lang, 'web.firm.users.invite')}</h3>
          <PostForm ctx={ctx} action="/firm/profile/users" novalidate>
            <TextField name="inviteEmail" type="email" label={t(lang, 'web.firm.users.email')} value={invite.email} error={errors.inviteEmail}
              autocomplete="off" spellcheck={false} />
            <TextField name="inviteName" label={t(lang, 'web.firm.users.name')} value={invite.name} error={errors.inviteName} optional lang={lang}
              autocomplete="off" maxLength={120} />
            <ChoiceGroup name="inviteOwner" legend={t(lang, 'web.firm.users.makeOwnerLegend')} checked={invite.owner ? ['yes'] : []}
              options={[{ value: 'yes', label: t(lang, 'web.firm.users.makeOwner') }]} />
            <Button variant="secondary">{t(lang, 'web.firm.users.inviteButton')}</Button>
          </PostForm>
        </>
      ) : <p>{t(lang, 'web.firm.users.onlyOwners')}</p>}

      <h2>{t(lang, 'web.firm.data.title')}</h2>
      <p><a href="/firm/profile/export" download>{t(lang, 'web.firm.data.export')}</a></p>
      <p class="meta">{t(lang, 'web.firm.data.exportHint')}</p>
      {owner
        ? <p><a class="button button--secondary" href="/firm/profile/delete">{t(lang, 'web.firm.data.delete')}</a></p>
        : <p>{t(lang, 'web.firm.data.deleteOwnersOnly')}</p>}
    </>
  ));
}

function UserItem({ user, me, owner, lang, csrf }: { user: FirmUser; me: string; owner: boolean; lang: Lang; csrf: Parameters<typeof PostForm>[0]['ctx'] }) {
  const marks = [user.owner ? t(lang, 'web.firm.users.owner') : null, user.id === me ? t(lang, 'web.firm.users.you') : null].filter(Boolean);
  return (
    <li class="firm-users__user">
      <span>{user.email}{user.name ? ` (${user.name})` : ''}{marks.length ? ` – ${marks.join(', ')}` : ''}</span>
      {owner && user.id !== me ? (
        <PostForm ctx={csrf} action={`/firm/profile/users/${user.id}/remove`}>
          <button type="submit" class="button button--tertiary button--small" aria-label={t(lang, 'web.firm.users.remove', { email: user.email })}>
            {t(lang, 'web.firm.users.removeButton')}
          </button>
        </PostForm>
      ) : null}
    </li>
  );
}

function showDelete(req: Request, res: Response, name: string, typed: string, errors: FormErrors, status = 200): void {
  const lang = requestLang(req);
  page(req, res, { title: t(lang, 'web.firm.delete.title'), status }, (ctx) => (
    <>
      <FirmNav ctx={ctx} />
      <h1>{t(lang, 'web.firm.delete.title')}</h1>
      <ErrorSummary ctx={ctx} errors={errors} />
      <p><strong>{t(lang, 'web.firm.delete.named', { name })}</strong></p>
      <p>{t(lang, 'web.firm.delete.body')}</p>
      <PostForm ctx={ctx} action="/firm/profile/delete" novalidate>
        <TextField name="confirmName" label={t(lang, 'web.firm.delete.confirm')} value={typed} error={errors.confirmName} autocomplete="off" spellcheck={false} />
        <Button>{t(lang, 'web.firm.delete.button')}</Button>
      </PostForm>
      <p><a href="/firm/profile">{t(lang, 'web.firm.delete.cancel')}</a></p>
    </>
  ));
}

export function profileRoutes(router: SecuredRouter, db: Db, nudge: () => void) {
  const owner = firmOwnerPages(db);

  router.get('/firm/profile', firmPages, async (req, res) => {
    await showProfile(db, req, res);
  });

  // The profile, checked with the API's schema: the page again with its errors and the values as typed, or saved and 303.
  router.post('/firm/profile', firmPages, ...formPost, async (req, res) => {
    const body = req.body as Record<string, unknown>;
    const form = companyForm(body);
    if (isPickerPost(body)) return showProfile(db, req, res, { form });
    const lang = requestLang(req);
    const parsed = profileSchema.safeParse(blanksUnset({
      name: form.name, email: form.email, municipalityCode: form.municipalityCode, categories: form.categories, csr: csrInput(form),
    }));
    if (!parsed.success) return showProfile(db, req, res, { form, errors: formErrors(parsed.error, lang, companyLabels(lang)), status: 400 });
    await updateCompany(db, companyOf(res), parsed.data);
    nudge(); // a new address gets its confirmation through the outbox
    seeOther(res, '/firm/profile?done=saved');
  });

  // The suggestions' categories added to the profile's, as PATCH /api/companies/:id { categories }.
  router.post('/firm/profile/suggestions/categories', firmPages, ...formPost, async (req, res) => {
    const companyId = companyOf(res);
    const [company, suggestions] = await Promise.all([getCompany(db, companyId, { full: true }), companySuggestions(db, companyId)]);
    if (suggestions.wins) await updateCompany(db, companyId, { categories: withSuggested(company.categories, suggestions) });
    seeOther(res, '/firm/profile?done=suggestedCategories');
  });

  // The suggested subscription, as POST /api/companies/:id/subscriptions with the suggestions' body (once: not again while one like it exists).
  router.post('/firm/profile/suggestions/subscription', firmPages, ...formPost, async (req, res) => {
    const companyId = companyOf(res);
    const [company, { subscription }] = await Promise.all([getCompany(db, companyId, { full: true }), companySuggestions(db, companyId)]);
    if (subscription && !company.subscriptions.some((s) => sameCodes(s.cpv, subscription.cpv) && s.minScore === subscription.minScore)) {
      await addSubscription(db, companyId, subscriptionInputSchema.parse(subscription));
      nudge(); // the backfill: what is open now, through the outbox
    }
    seeOther(res, '/firm/profile?done=suggestedSubscription');
  });

  // The language of the firm's e-mail (the profile's language), as PATCH /api/companies/:id { language }.
  router.post('/firm/profile/language', firmPages, ...formPost, async (req, res) => {
    await updateCompany(db, companyOf(res), { language: one((req.body as Record<string, unknown>).language) });
    seeOther(res, '/firm/profile?done=language');
  });

  router.post('/firm/profile/users', owner, ...formPost, async (req, res) => {
    const body = req.body as Record<string, unknown>;
    const lang = requestLang(req);
    const invite: InviteForm = { email: one(body.inviteEmail), name: one(body.inviteName), owner: many(body.inviteOwner).includes('yes') };
    const parsed = firmUserInputSchema.safeParse({ email: invite.email || undefined, name: invite.name || null, owner: invite.owner });
    if (!parsed.success) {
      const found = formErrors(parsed.error, lang, { email: t(lang, 'web.firm.users.email'), name: t(lang, 'web.firm.users.name') });
      const errors = Object.fromEntries(Object.entries(found).map(([k, v]) => [k === 'email' ? 'inviteEmail' : k === 'name' ? 'inviteName' : k, v]));
      return showProfile(db, req, res, { invite, errors, status: 400 });
    }
    try {
      await inviteFirmUser(db, actorOf(res), companyOf(res), parsed.data);
    } catch (error) {
      if (error instanceof AppError && error.code === 'user_exists') {
        return showProfile(db, req, res, { invite, errors: { inviteEmail: t(lang, 'web.firm.users.exists') }, status: 409 });
      }
      throw error;
    }
    seeOther(res, '/firm/profile?done=invited');
  });

  router.post('/firm/profile/users/:uid/remove', owner, ...formPost, async (req, res) => {
    try {
      await removeFirmUser(db, actorOf(res), companyOf(res), req.params.uid);
    } catch (error) {
      if (error instanceof AppError && error.code === 'last_owner') {
        return showProfile(db, req, res, { alert: t(requestLang(req), 'web.firm.users.lastOwner'), status: 409 });
      }
      throw error;
    }
    seeOther(res, '/firm/profile?done=removed');
  });

  // Everything Brygga holds about the firm, as GET /api/companies/:id/export (audited).
  router.get('/firm/profile/export', firmPages, async (req, res) => {
    const companyId = companyOf(res);
    const document = await exportCompany(db, actorOf(res), companyId);
    res.set('Cache-Control', 'no-store').attachment(`brygga-${companyId}.json`).json(document);
  });

  router.get('/firm/profile/delete', owner, async (req, res) => {
    const company = await getCompany(db, companyOf(res), { full: true });
    showDelete(req, res, company.name, '', {});
  });

  // Deleting, as DELETE /api/companies/:id: the firm's name typed to confirm; every user of it is signed out.
  router.post('/firm/profile/delete', owner, ...formPost, async (req, res) => {
    const companyId = companyOf(res);
    const company = await getCompany(db, companyId, { full: true });
    const typed = one((req.body as Record<string, unknown>).confirmName);
    if (!sameName(typed, company.name)) {
      return showDelete(req, res, company.name, typed, { confirmName: t(requestLang(req), 'web.firm.delete.mismatch') }, 400);
    }
    await deleteCompany(db, actorOf(res), companyId);
    res.append('Set-Cookie', clearedSessionCookie(req.secure));
    seeOther(res, '/firm/deleted');
  });

  // Where deleting leads: said once the session is gone, so anyone may open it.
  router.get('/firm/deleted', anyone, (req, res) => {
    page(req, res, { title: t(requestLang(req), 'web.firm.deleted.title') }, ({ lang }) => (
      <>
        <h1>{t(lang, 'web.firm.deleted.title')}</h1>
        <p>{t(lang, 'web.firm.deleted.body')}</p>
        <p><a href="/">{t(lang, 'web.firm.deleted.start')}</a></p>
      </>
    ));
  });
}
