/** @jsxRuntime automatic @jsxImportSource preact */
// The administrator's pages: users and their roles (add, change, remove),
// buyer organisations (list, add) and the signed-in administrator's own API
// tokens (create, shown once; revoke). The services are the API's
// (src/accounts/); every change is audited there.
import type { Request, Response } from 'express';
import type { Db } from '../../../db/database.ts';
import { newBuyerSchema, newTokenSchema, newUserSchema, userPatchSchema, MAX_TOKEN_DAYS } from '../../accounts/accounts.schema.ts';
import { actorOf } from '../../accounts/audit.ts';
import { issueToken, revokeToken, tokensOf } from '../../accounts/tokens.service.ts';
import { addBuyer, changeUser, createUser, listBuyers, listUserViews, removeUser, userView, type UserView } from '../../accounts/users.service.ts';
import { findCompanyByOrgNumber } from '../../companies/companies.repo.ts';
import { ROLES, type Role } from '../../domain/access.ts';
import { parseOrgNumber } from '../../domain/orgnr.ts';
import { AppError } from '../../http/errors.ts';
import { principalOf, roles, SecuredRouter } from '../../http/secured-router.ts';
import { t, type Lang, type MessageKey } from '../../i18n/messages.ts';
import { newId } from '../../ids.ts';
import { Button, ChoiceGroup, ErrorSummary, formErrors, PostForm, TextField, type FormErrors } from '../components/form.tsx';
import { requestLang, type WebContext } from '../context.ts';
import { formPost, many, one } from '../form-post.ts';
import { page, seeOther } from '../render.tsx';
import { Cell, DataTable, Notice, when } from '../staff/components.tsx';

/** A token just made, kept until its page is shown once (at most FLASH_MS). */
type Flash = { userId: string; id: string; name: string; token: string; until: number };
const FLASH_MS = 5 * 60_000;

type UserForm = { email?: string; name?: string; roles?: string[]; buyerOrgNumber?: string; companyOrgNumber?: string };

export function adminPagesRouter(db: Db): SecuredRouter {
  const router = new SecuredRouter('/admin');
  const admin = roles('admin');
  const flashes = new Map<string, Flash>();

  // --- users --------------------------------------------------------------------

  const usersPage = async (req: Request, res: Response, errors: FormErrors = {}, values: UserForm = {}) => {
    const users = await listUserViews(db);
    const added = typeof req.query.added === 'string' ? users.find((u) => u.id === req.query.added) : undefined;
    page(req, res, { title: t('sv', 'admin.users.title'), status: Object.keys(errors).length ? 400 : 200 }, (ctx) => {
      const { lang } = ctx;
      return (
        <>
          <AdminNav lang={lang} current="/admin" />
          {added ? <Notice>{t(lang, 'admin.users.added', { email: added.email })}</Notice> : null}
          {req.query.removed === '1' ? <Notice>{t(lang, 'admin.users.removed')}</Notice> : null}
          <h1>{t(lang, 'admin.users.title')}</h1>
          <DataTable id="users" caption={t(lang, 'admin.users.caption')}
            head={[t(lang, 'admin.user.email'), t(lang, 'admin.user.name'), t(lang, 'admin.user.roles'), t(lang, 'admin.user.organisation'), t(lang, 'admin.user.created')]}>
            {users.map((u) => (
              <tr class="table__row" key={u.id}>
                <Cell><a href={`/admin/users/${u.id}`}>{u.email}</a></Cell>
                <Cell>{u.name ?? '–'}</Cell>
                <Cell>{u.roles.map((r) => t(lang, roleKey(r))).join(', ')}</Cell>
                <Cell>{organisationOf(u, lang)}</Cell>
                <Cell>{when(u.createdAt, lang)}</Cell>
              </tr>
            ))}
          </DataTable>
          <h2 id="add-user">{t(lang, 'admin.users.add')}</h2>
          <ErrorSummary ctx={ctx} errors={errors} />
          <PostForm ctx={ctx} action="/admin/users" novalidate>
            <TextField name="email" type="email" autocomplete="off" label={t(lang, 'admin.user.email')} value={values.email} error={errors.email} />
            <TextField name="name" label={t(lang, 'admin.user.name')} optional lang={lang} value={values.name} error={errors.name} />
            <UserFields ctx={ctx} errors={errors} values={values} />
            <Button>{t(lang, 'admin.users.addButton')}</Button>
          </PostForm>
        </>
      );
    });
  };

  router.get('/', admin, (req, res) => usersPage(req, res));

  router.post('/users', admin, ...formPost, async (req, res) => {
    const lang = requestLang(req);
    const values: UserForm = {
      email: one(req.body.email), name: one(req.body.name), roles: many(req.body.roles),
      buyerOrgNumber: one(req.body.buyerOrgNumber), companyOrgNumber: one(req.body.companyOrgNumber),
    };
    const errors: FormErrors = {};
    const companyId = await companyOf(db, values, lang, errors);
    const parsed = newUserSchema.safeParse({
      email: values.email, roles: values.roles, name: values.name || null,
      ...(values.roles!.includes('officer') && values.buyerOrgNumber ? { buyerOrgNumber: values.buyerOrgNumber } : {}),
      ...(companyId ? { companyId } : {}),
    });
    if (!parsed.success) Object.assign(errors, formErrors(parsed.error, lang, userLabels(lang), { buyerOrgNumber: t(lang, 'admin.user.badOrgNumber') }), errors);
    if (Object.keys(errors).length || !parsed.success) return usersPage(req, res, errors, values);
    try {
      const user = await createUser(db, actorOf(res), parsed.data);
      seeOther(res, `/admin?added=${user.id}`);
    } catch (error) {
      return usersPage(req, res, serviceErrors(error, lang), values);
    }
  });

  const userPage = async (req: Request, res: Response, user: UserView, errors: FormErrors = {}, values?: UserForm) => {
    const company = user.companyId ? await db.selectFrom('companies').select(['name', 'org_number']).where('id', '=', user.companyId).executeTakeFirst() : undefined;
    const shown: UserForm = values ?? {
      name: user.name ?? '', roles: user.roles, buyerOrgNumber: user.buyer?.orgNumber ?? '', companyOrgNumber: company?.org_number ?? '',
    };
    page(req, res, { title: user.email, status: Object.keys(errors).length ? 400 : 200 }, (ctx) => {
      const { lang } = ctx;
      return (
        <>
          <AdminNav lang={lang} current="/admin" />
          {req.query.saved === '1' ? <Notice>{t(lang, 'admin.user.saved')}</Notice> : null}
          <p><a href="/admin">{t(lang, 'admin.user.back')}</a></p>
          <h1>{user.email}</h1>
          <p>{t(lang, 'admin.user.organisation')}: {organisationOf(user, lang)}{company ? ` (${company.name})` : ''}</p>
          <h2>{t(lang, 'admin.user.change')}</h2>
          <p>{t(lang, 'admin.user.changeNote')}</p>
          <ErrorSummary ctx={ctx} errors={errors} />
          <PostForm ctx={ctx} action={`/admin/users/${user.id}`} novalidate>
            <TextField name="name" label={t(lang, 'admin.user.name')} optional lang={lang} value={shown.name} error={errors.name} />
            <UserFields ctx={ctx} errors={errors} values={shown} />
            <Button>{t(lang, 'admin.user.save')}</Button>
          </PostForm>
          <h2>{t(lang, 'admin.user.remove')}</h2>
          <p>{t(lang, 'admin.user.removeNote')}</p>
          <PostForm ctx={ctx} action={`/admin/users/${user.id}/remove`}>
            <Button variant="secondary">{t(lang, 'admin.user.removeButton', { email: user.email })}</Button>
          </PostForm>
        </>
      );
    });
  };

  router.get('/users/:id', admin, async (req, res) => {
    await userPage(req, res, await userView(db, req.params.id));
  });

  router.post('/users/:id', admin, ...formPost, async (req, res) => {
    const lang = requestLang(req);
    const user = await userView(db, req.params.id);
    const values: UserForm = {
      name: one(req.body.name), roles: many(req.body.roles), buyerOrgNumber: one(req.body.buyerOrgNumber), companyOrgNumber: one(req.body.companyOrgNumber),
    };
    const errors: FormErrors = {};
    const companyId = await companyOf(db, values, lang, errors);
    const parsed = userPatchSchema.safeParse({
      roles: values.roles, name: values.name || null,
      ...(values.roles!.includes('officer') && values.buyerOrgNumber ? { buyerOrgNumber: values.buyerOrgNumber } : {}),
      ...(companyId ? { companyId } : {}),
    });
    if (!parsed.success) Object.assign(errors, formErrors(parsed.error, lang, userLabels(lang), { buyerOrgNumber: t(lang, 'admin.user.badOrgNumber') }), errors);
    if (Object.keys(errors).length || !parsed.success) return userPage(req, res, user, errors, values);
    try {
      await changeUser(db, actorOf(res), user.id, parsed.data);
      seeOther(res, `/admin/users/${user.id}?saved=1`);
    } catch (error) {
      return userPage(req, res, user, serviceErrors(error, lang), values);
    }
  });

  router.post('/users/:id/remove', admin, ...formPost, async (req, res) => {
    const lang = requestLang(req);
    const user = await userView(db, req.params.id);
    try {
      await removeUser(db, actorOf(res), user.id);
    } catch (error) {
      return userPage(req, res, user, serviceErrors(error, lang));
    }
    seeOther(res, user.id === principalOf(res)!.userId ? '/' : '/admin?removed=1');
  });

  // --- buyer organisations ----------------------------------------------------------

  const buyersPage = async (req: Request, res: Response, errors: FormErrors = {}, values: Record<string, string> = {}) => {
    const buyers = await listBuyers(db);
    const added = typeof req.query.added === 'string' ? buyers.find((b) => b.id === req.query.added) : undefined;
    page(req, res, { title: t('sv', 'admin.buyers.title'), status: Object.keys(errors).length ? 400 : 200 }, (ctx) => {
      const { lang } = ctx;
      return (
        <>
          <AdminNav lang={lang} current="/admin/buyers" />
          {added ? <Notice>{t(lang, 'admin.buyers.added', { name: added.name })}</Notice> : null}
          <h1>{t(lang, 'admin.buyers.title')}</h1>
          <p>{t(lang, 'admin.buyers.intro')}</p>
          {buyers.length ? (
            <DataTable id="buyers" caption={t(lang, 'admin.buyers.caption')} numeric={[3]}
              head={[t(lang, 'admin.buyer.name'), t(lang, 'admin.buyer.orgNumber'), t(lang, 'admin.buyer.nuts'), t(lang, 'admin.buyer.officers')]}>
              {buyers.map((b) => (
                <tr class="table__row" key={b.id}>
                  <Cell>{b.name}</Cell>
                  <Cell>{b.orgNumber ? formatOrgNumber(b.orgNumber) : '–'}</Cell>
                  <Cell>{b.nuts ?? '–'}</Cell>
                  <Cell numeric>{String(b.users)}</Cell>
                </tr>
              ))}
            </DataTable>
          ) : <p>{t(lang, 'admin.buyers.none')}</p>}
          <h2>{t(lang, 'admin.buyers.add')}</h2>
          <ErrorSummary ctx={ctx} errors={errors} />
          <PostForm ctx={ctx} action="/admin/buyers" novalidate>
            <TextField name="name" label={t(lang, 'admin.buyer.name')} value={values.name} error={errors.name} />
            <TextField name="orgNumber" label={t(lang, 'admin.buyer.orgNumber')} hint={t(lang, 'admin.buyer.orgNumberHint')} value={values.orgNumber} error={errors.orgNumber} />
            <TextField name="nuts" label={t(lang, 'admin.buyer.nuts')} hint={t(lang, 'admin.buyer.nutsHint')} optional lang={lang} value={values.nuts} error={errors.nuts} />
            <Button>{t(lang, 'admin.buyers.addButton')}</Button>
          </PostForm>
        </>
      );
    });
  };

  router.get('/buyers', admin, (req, res) => buyersPage(req, res));

  router.post('/buyers', admin, ...formPost, async (req, res) => {
    const lang = requestLang(req);
    const values = { name: one(req.body.name), orgNumber: one(req.body.orgNumber), nuts: one(req.body.nuts) };
    const parsed = newBuyerSchema.safeParse({ name: values.name, orgNumber: values.orgNumber, nuts: values.nuts || null });
    const labels = { name: t(lang, 'admin.buyer.name'), orgNumber: t(lang, 'admin.buyer.orgNumber'), nuts: t(lang, 'admin.buyer.nuts') };
    if (!parsed.success) {
      return buyersPage(req, res, formErrors(parsed.error, lang, labels, {
        orgNumber: values.orgNumber ? t(lang, 'admin.user.badOrgNumber') : t(lang, 'web.form.required', { label: labels.orgNumber }),
        nuts: t(lang, 'admin.buyer.badNuts'),
      }), values);
    }
    try {
      const buyer = await addBuyer(db, actorOf(res), parsed.data);
      seeOther(res, `/admin/buyers?added=${buyer.id}`);
    } catch (error) {
      if (error instanceof AppError && error.code === 'buyer_exists') return buyersPage(req, res, { orgNumber: t(lang, 'admin.buyers.exists') }, values);
      throw error;
    }
  });

  // --- the administrator's own API tokens ----------------------------------------------

  const tokensPage = async (req: Request, res: Response, errors: FormErrors = {}, values: Record<string, string> = {}) => {
    const me = principalOf(res)!;
    const tokens = await tokensOf(db, me.userId);
    const flashId = typeof req.query.created === 'string' ? req.query.created : null;
    const flash = flashId ? flashes.get(flashId) : undefined;
    if (flashId) flashes.delete(flashId); // shown once
    const created = flash && flash.userId === me.userId && flash.until > Date.now() ? flash : undefined;
    const revoked = typeof req.query.revoked === 'string' ? tokens.find((x) => x.id === req.query.revoked) : undefined;
    page(req, res, { title: t('sv', 'admin.tokens.title'), status: Object.keys(errors).length ? 400 : 200 }, (ctx) => {
      const { lang } = ctx;
      return (
        <>
          <AdminNav lang={lang} current="/admin/tokens" />
          {created ? (
            <div class="message-box message-box--success page-message" role="status">
              <div class="message-box__content">
                <h2 class="message-box__heading">{t(lang, 'admin.tokens.created', { name: created.name })}</h2>
                <p>{t(lang, 'admin.tokens.copyNow')}</p>
                <code class="secret-token" id="new-token">{created.token}</code>
              </div>
            </div>
          ) : null}
          {revoked ? <Notice>{t(lang, 'admin.tokens.revoked', { name: revoked.name })}</Notice> : null}
          <h1>{t(lang, 'admin.tokens.title')}</h1>
          <p>{t(lang, 'admin.tokens.intro')}</p>
          {tokens.length ? (
            <DataTable id="tokens" caption={t(lang, 'admin.tokens.caption')}
              head={[t(lang, 'admin.token.name'), t(lang, 'admin.token.created'), t(lang, 'admin.token.expires'), t(lang, 'admin.token.lastUsed'), t(lang, 'admin.token.status')]}>
              {tokens.map((x) => (
                <tr class="table__row" key={x.id}>
                  <Cell>{x.name}</Cell>
                  <Cell>{when(x.createdAt, lang)}</Cell>
                  <Cell>{when(x.expiresAt, lang)}</Cell>
                  <Cell>{when(x.lastUsedAt, lang)}</Cell>
                  <Cell>
                    {x.revokedAt ? t(lang, 'admin.token.revokedAt', { date: when(x.revokedAt, lang) })
                      : x.expiresAt <= new Date().toISOString() ? t(lang, 'admin.token.expired')
                        : (
                          <PostForm ctx={ctx} action={`/admin/tokens/${x.id}/revoke`}>
                            <button type="submit" class="button button--secondary button--small">
                              {t(lang, 'admin.token.revoke')}<span class="visually-hidden"> {x.name}</span>
                            </button>
                          </PostForm>
                        )}
                  </Cell>
                </tr>
              ))}
            </DataTable>
          ) : <p>{t(lang, 'admin.tokens.none')}</p>}
          <h2>{t(lang, 'admin.tokens.add')}</h2>
          <ErrorSummary ctx={ctx} errors={errors} />
          <PostForm ctx={ctx} action="/admin/tokens" novalidate>
            <TextField name="name" label={t(lang, 'admin.token.name')} hint={t(lang, 'admin.token.nameHint')} value={values.name} error={errors.name} />
            <TextField name="days" type="number" inputMode="numeric" min={1} max={MAX_TOKEN_DAYS} label={t(lang, 'admin.token.days')}
              hint={t(lang, 'admin.token.daysHint', { max: String(MAX_TOKEN_DAYS) })} value={values.days ?? '365'} error={errors.days} />
            <Button>{t(lang, 'admin.tokens.addButton')}</Button>
          </PostForm>
        </>
      );
    });
  };

  router.get('/tokens', admin, (req, res) => tokensPage(req, res));

  router.post('/tokens', admin, ...formPost, async (req, res) => {
    const lang = requestLang(req);
    const me = principalOf(res)!;
    // As for the API: a token is made by a person signed in, not by another token.
    if (me.via === 'token') throw new AppError(403, 'session_required', 'API tokens are created by a signed-in person, not by another token');
    const values = { name: one(req.body.name), days: one(req.body.days) };
    const days = values.days === '' ? 365 : Number(values.days);
    const parsed = newTokenSchema.safeParse({ name: values.name, days: Number.isFinite(days) ? days : values.days });
    const labels = { name: t(lang, 'admin.token.name'), days: t(lang, 'admin.token.days') };
    if (!parsed.success) {
      return tokensPage(req, res, formErrors(parsed.error, lang, labels, { days: t(lang, 'admin.token.badDays', { max: String(MAX_TOKEN_DAYS) }) }), values);
    }
    const created = await issueToken(db, actorOf(res), me.userId, parsed.data.name, parsed.data.days);
    const flashId = newId();
    const now = Date.now();
    for (const [key, f] of flashes) if (f.until <= now) flashes.delete(key);
    flashes.set(flashId, { userId: me.userId, id: created.id, name: created.name, token: created.token, until: now + FLASH_MS });
    seeOther(res, `/admin/tokens?created=${flashId}`);
  });

  router.post('/tokens/:id/revoke', admin, ...formPost, async (req, res) => {
    await revokeToken(db, actorOf(res), req.params.id, principalOf(res)!.userId);
    seeOther(res, `/admin/tokens?revoked=${encodeURIComponent(req.params.id)}`);
  });

  return router;
}

// --- pieces ------------------------------------------------------------------------

function AdminNav({ lang, current }: { lang: Lang; current: string }) {
  const links: [string, MessageKey][] = [['/admin', 'admin.nav.users'], ['/admin/buyers', 'admin.nav.buyers'], ['/admin/tokens', 'admin.nav.tokens']];
  return (
    <nav class="sub-nav" aria-label={t(lang, 'admin.nav.label')}>
      <ul>{links.map(([href, key]) => <li key={href}><a href={href} aria-current={href === current ? 'page' : undefined}>{t(lang, key)}</a></li>)}</ul>
    </nav>
  );
}

/** Roles, and the organisation the roles call for: an officer's buyer, a firm user's company (by organisationsnummer). */
function UserFields({ ctx, errors, values }: { ctx: WebContext; errors: FormErrors; values: UserForm }) {
  const { lang } = ctx;
  return (
    <>
      <ChoiceGroup name="roles" legend={t(lang, 'admin.user.roles')} error={errors.roles} checked={values.roles ?? []}
        options={ROLES.map((r) => ({ value: r, label: t(lang, roleKey(r)), hint: t(lang, `admin.role.${r}.hint`) }))} />
      <TextField name="buyerOrgNumber" label={t(lang, 'admin.user.buyerOrgNumber')} hint={t(lang, 'admin.user.buyerOrgNumberHint')}
        value={values.buyerOrgNumber} error={errors.buyerOrgNumber ?? errors.buyerId} />
      <TextField name="companyOrgNumber" label={t(lang, 'admin.user.companyOrgNumber')} hint={t(lang, 'admin.user.companyOrgNumberHint')}
        value={values.companyOrgNumber} error={errors.companyOrgNumber ?? errors.companyId} />
    </>
  );
}

const roleKey = (r: Role): MessageKey => `admin.role.${r}`;

const userLabels = (lang: Lang) => ({
  email: t(lang, 'admin.user.email'), name: t(lang, 'admin.user.name'), roles: t(lang, 'admin.user.roles'),
  buyerOrgNumber: t(lang, 'admin.user.buyerOrgNumber'), companyId: t(lang, 'admin.user.companyOrgNumber'),
});

function organisationOf(u: UserView, lang: Lang): string {
  if (u.buyer) return `${u.buyer.name}${u.buyer.orgNumber ? ` (${formatOrgNumber(u.buyer.orgNumber)})` : ''}`;
  if (u.companyId) return t(lang, 'admin.user.firmUser');
  return '–';
}

const formatOrgNumber = (digits: string) => (/^\d{10}$/.test(digits) ? `${digits.slice(0, 6)}-${digits.slice(6)}` : digits);

/** The company a firm user is to belong to, found by its organisationsnummer; an error on the field otherwise. */
async function companyOf(db: Db, values: UserForm, lang: Lang, errors: FormErrors): Promise<string | undefined> {
  if (!values.roles?.includes('firm') || !values.companyOrgNumber) return undefined;
  let digits: string;
  try {
    digits = parseOrgNumber(values.companyOrgNumber, { allowPersonal: true }).digits;
  } catch {
    errors.companyOrgNumber = t(lang, 'admin.user.badOrgNumber');
    return undefined;
  }
  const company = await findCompanyByOrgNumber(db, digits);
  if (!company) errors.companyOrgNumber = t(lang, 'admin.user.unknownCompany');
  return company?.id;
}

/** What the accounts service refuses, said beside the field it concerns. */
function serviceErrors(error: unknown, lang: Lang): FormErrors {
  if (!(error instanceof AppError)) throw error;
  switch (error.code) {
    case 'user_exists': return { email: t(lang, 'admin.user.exists') };
    case 'last_admin': return { roles: t(lang, 'admin.user.lastAdmin') };
    case 'unknown_buyer': return { buyerOrgNumber: t(lang, 'admin.user.unknownBuyer') };
    case 'unknown_company': return { companyOrgNumber: t(lang, 'admin.user.unknownCompany') };
    case 'validation_failed': {
      const path = (error.details as { path?: string }[] | undefined)?.[0]?.path;
      if (path === 'companyId') return { companyOrgNumber: t(lang, 'admin.user.companyRequired') };
      if (path === 'buyerOrgNumber' || path === 'buyerId') return { buyerOrgNumber: t(lang, 'admin.user.buyerRequired') };
      return { roles: t(lang, 'admin.user.rolesInvalid') };
    }
    default: throw error;
  }
}
