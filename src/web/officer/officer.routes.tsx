/** @jsxRuntime automatic @jsxImportSource preact */
// The procurement officer's pages: my notices, the publish/edit form with the
// reach preview, withdrawing, and registering awards and direct awards. Every
// write goes through the same services (and zod schemas) as the API.
// An administrator (who acts for no buyer of its own) chooses the buyer
// organisation, as the API lets it publish for any buyer.
import type { Request, Response } from 'express';
import type { z } from 'zod';
import type { Db } from '../../../db/database.ts';
import { audit } from '../../accounts/audit.ts';
import { listBuyersWithOfficers } from '../../accounts/organisations.repo.ts';
import { cpvEntries, cpvText } from '../../cpv/cpv-catalogue.ts';
import { has, mayPublishFor, type Principal } from '../../domain/access.ts';
import { isAlertable } from '../../domain/alerts.ts';
import { AppError, notFound } from '../../http/errors.ts';
import { principalOf, roles, SecuredRouter, type Rule } from '../../http/secured-router.ts';
import { formatDate, formatDateTime, formatMoney, t, type Lang } from '../../i18n/messages.ts';
import type { MatchEngine } from '../../matching/match-engine.ts';
import { directAwardSchema, officerAwardSchema, registerAward, registerDirectAward } from '../../notices/awards.service.ts';
import { noticeInputSchema, type NoticeInput } from '../../notices/notice.schema.ts';
import { findBuyer, findById, presentNotice, storedDocument } from '../../notices/notices.repo.ts';
import { patchNotice, storeNotice, withdrawNotice } from '../../notices/notices.service.ts';
import { cpvPickerData, isPickerAction, pickerInput } from '../components/cpv-picker.tsx';
import { Button, ErrorSummary, formErrors, PostForm, SelectField, TextArea, TextField, type FormErrors, type Option } from '../components/form.tsx';
import { requestLang, type WebContext } from '../context.ts';
import { formPost, one } from '../form-post.ts';
import { page, seeOther } from '../render.tsx';
import { draftValues, emptyForm, formValues, MAX_FORM_LOTS, nextLotId, parseForm, valuesOf, wholeKronor, type NoticeFormValues } from './notice-form.ts';
import * as repo from './officer.repo.ts';
import { NO_SCRIPT, NoticeFormPage, QUERY_SHOWN, type ReachState } from './pages.tsx';

type Buyer = NoticeInput['buyer'];

/** An officer's notice pages: its own buyer's notices only (admin any). */
const publisherOfNotice = (db: Db): Rule => ({
  name: 'officer of the buyer, admin',
  allows: async (p, req: Request) => {
    const row = await findById(db, String(req.params.id));
    return row ? mayPublishFor(p, row.buyer_id) : has(p, 'officer', 'admin');
  },
});

/** A draft's pages: an officer of its buyer, or an admin (a draft not found: any officer or admin, who then gets 404). */
const publisherOfDraft = (db: Db): Rule => ({
  name: 'officer of the buyer, admin',
  allows: async (p, req: Request) => {
    const row = await repo.draftById(db, String(req.params.id));
    return row ? mayPublishFor(p, row.buyer_id) : has(p, 'officer', 'admin');
  },
});

const officer = roles('officer');
/** My notices and the publish form: officers, and administrators choosing a buyer. */
const officerOrAdmin = roles('officer', 'admin');
const isAdmin = (p: Principal | null) => !!p?.roles.has('admin');

export function officerRouter(
  db: Db, engine: MatchEngine, { localArea, alertMaxAgeDays }: { localArea: string[]; alertMaxAgeDays: number }, onStored: () => void,
): SecuredRouter {
  const router = new SecuredRouter('/officer');

  /** The buyer the page acts for: an officer's own; an administrator's as chosen (`chosen`), else its own if it has one. */
  async function buyerOf(p: Principal | null, chosen = ''): Promise<(Buyer & { id: string }) | null> {
    const id = isAdmin(p) && chosen ? chosen : p?.buyerId;
    const row = id ? await findBuyer(db, id) : undefined;
    return row ? { id: row.id, name: row.name, orgNumber: row.org_number, nuts: row.nuts } : null;
  }

  async function buyerOptions(): Promise<Option[]> {
    return (await listBuyersWithOfficers(db)).map((b) => ({ value: b.id, label: b.org_number ? `${b.name} (${b.org_number})` : b.name }));
  }

  /** An administrator's choice of buyer on /officer (a GET form: the URL can be shared). */
  function BuyerChooser({ lang, buyers, chosen }: { lang: Lang; buyers: Option[]; chosen: string }) {
    if (!buyers.length) return <p>{t(lang, 'officer.admin.noBuyers')} <a href="/admin/buyers">{t(lang, 'officer.admin.addBuyer')}</a></p>;
    return (
      <form method="get" action="/officer" class="officer-buyer-chooser">
        <SelectField name="buyer" label={t(lang, 'officer.admin.buyer')} value={chosen}
          options={[{ value: '', label: t(lang, 'officer.form.buyerChoose') }, ...buyers]} />
        <button type="submit" class="button button--secondary">{t(lang, 'officer.admin.show')}</button>
      </form>
    );
  }

  async function noticeOr404(id: string) {
    const row = await findById(db, id);
    if (!row) throw notFound('Notice');
    return row;
  }

  const noBuyerPage = (req: Request, res: Response) =>
    page(req, res, { title: t('sv', 'officer.home.title'), status: 403 }, ({ lang }) => (
      <><h1>{t(lang, 'officer.home.title')}</h1><p>{t(lang, 'officer.home.noBuyer')}</p></>
    ));

  // My notices: drafts, published, closed, awarded (and withdrawn), with their reach.
  router.get('/', officerOrAdmin, async (req, res) => {
    const p = principalOf(res);
    const admin = isAdmin(p);
    const buyer = await buyerOf(p, typeof req.query.buyer === 'string' ? req.query.buyer : '');
    const buyers = admin ? await buyerOptions() : [];
    if (!buyer && !admin) return noBuyerPage(req, res);
    if (!buyer) {
      return page(req, res, { title: t('sv', 'officer.home.title') }, ({ lang }) => (
        <><h1>{t(lang, 'officer.home.title')}</h1><p>{t(lang, 'officer.admin.intro')}</p><BuyerChooser lang={lang} buyers={buyers} chosen="" /></>
      ));
    }
    const forBuyer = admin ? `buyer=${encodeURIComponent(buyer.id)}` : '';
    const [notices, drafts] = await Promise.all([repo.buyerNotices(db, buyer.id), repo.listDrafts(db, buyer.id)]);
    const ids = notices.map((n) => n.id);
    const [matched, alerted] = await Promise.all([repo.matchedFirms(db, ids, localArea), repo.alertedFirms(db, ids, localArea)]);
    // Published while it invites firms, by the alert rule (as firms see it): an old notice without a deadline, or a statistics record, is closed.
    const now = new Date();
    const group = (n: (typeof notices)[number]) =>
      n.status === 'withdrawn' ? 'withdrawn'
        : n.awarded || n.kind === 'award' ? 'awarded'
          : isAlertable({ ...n, publishedAt: n.published_at, awarded: Boolean(n.awarded) }, now, alertMaxAgeDays) ? 'published' : 'closed';
    const groups = (['published', 'closed', 'awarded', 'withdrawn'] as const).map((g) => [g, notices.filter((n) => group(n) === g)] as const);
    page(req, res, { title: t('sv', 'officer.home.title') }, ({ lang }) => {
      const reach = (r: repo.Reach | undefined) => t(lang, 'officer.count', { total: String(r?.total ?? 0), local: String(r?.local ?? 0) });
      return (
        <>
          <h1>{t(lang, 'officer.home.title')}</h1>
          {req.query.deleted === '1' ? <p role="status" class="message-box message-box--success">{t(lang, 'officer.draft.deleted')}</p> : null}
          {admin ? <><p>{t(lang, 'officer.admin.acting', { buyer: buyer.name })}</p><BuyerChooser lang={lang} buyers={buyers} chosen={buyer.id} /></> : null}
          <p>{t(lang, 'officer.home.intro', { buyer: buyer.name })}</p>
          <p class="button-group">
            <a class="button button--primary" href={`/officer/notices/new${forBuyer ? `?${forBuyer}` : ''}`}>{t(lang, 'officer.home.new')}</a>{' '}
            {/* A direct award is registered by the buyer's own officer (the page has no choice of buyer). */}
            {p?.buyerId === buyer.id ? <a class="button button--secondary" href="/officer/direct-awards/new">{t(lang, 'officer.home.direct')}</a> : null}
          </p>
          <section aria-labelledby="group-drafts">
            <h2 id="group-drafts">{t(lang, 'officer.group.drafts')} ({drafts.length})</h2>
            {drafts.length ? (
              <div class="officer-table-scroll"><table class="table">
                <thead><tr class="table__row">
                  <th scope="col" class="table__column">{t(lang, 'officer.col.title')}</th>
                  <th scope="col" class="table__column">{t(lang, 'officer.col.updated')}</th>
                  <th scope="col" class="table__column">{t(lang, 'officer.col.actions')}</th>
                </tr></thead>
                <tbody>{drafts.map((d) => (
                  <tr class="table__row" key={d.id}>
                    <td class="table__column">{d.title}</td>
                    <td class="table__column">{formatDateTime(d.updated_at, lang)}</td>
                    <td class="table__column">
                      <ul class="officer-actions-list">
                        <li><a href={`/officer/notices/new?draft=${d.id}`} aria-label={t(lang, 'officer.action.of', { action: t(lang, 'officer.action.continue'), title: d.title })}>{t(lang, 'officer.action.continue')}</a></li>
                        <li><a href={`/officer/drafts/${d.id}/delete`} aria-label={t(lang, 'officer.action.of', { action: t(lang, 'officer.action.deleteDraft'), title: d.title })}>{t(lang, 'officer.action.deleteDraft')}</a></li>
                      </ul>
                    </td>
                  </tr>
                ))}</tbody>
              </table></div>
            ) : <p>{t(lang, 'officer.group.empty')}</p>}
          </section>
          {groups.map(([g, list]) => (
            <section key={g} aria-labelledby={`group-${g}`}>
              <h2 id={`group-${g}`}>{t(lang, `officer.group.${g}`)} ({list.length})</h2>
              {list.length ? (
                <div class="officer-table-scroll"><table class="table">
                  <thead><tr class="table__row">
                    <th scope="col" class="table__column">{t(lang, 'officer.col.title')}</th>
                    <th scope="col" class="table__column">{t(lang, 'officer.col.deadline')}</th>
                    <th scope="col" class="table__column table__column--numeric">{t(lang, 'officer.col.matched')}</th>
                    <th scope="col" class="table__column table__column--numeric">{t(lang, 'officer.col.alerted')}</th>
                    <th scope="col" class="table__column">{t(lang, 'officer.col.actions')}</th>
                  </tr></thead>
                  <tbody>{list.map((n) => {
                    const of = (action: string) => t(lang, 'officer.action.of', { action, title: n.title });
                    const editable = n.source === 'local' && n.status === 'active';
                    return (
                      <tr class="table__row" key={n.id}>
                        <td class="table__column"><a href={`/notices/${n.id}`}>{n.title}</a>{n.reference ? <><br /><span class="meta">{n.reference}</span></> : null}</td>
                        <td class="table__column">{n.deadline ? formatDateTime(n.deadline, lang) : '–'}</td>
                        <td class="table__column table__column--numeric">{reach(matched.get(n.id))}</td>
                        <td class="table__column table__column--numeric">{reach(alerted.get(n.id))}</td>
                        <td class="table__column">
                          {editable ? (
                            <ul class="officer-actions-list">
                              {n.kind !== 'award' ? <li><a href={`/officer/notices/${n.id}/edit`} aria-label={of(t(lang, 'officer.action.edit'))}>{t(lang, 'officer.action.edit')}</a></li> : null}
                              <li><a href={`/officer/notices/${n.id}/award`} aria-label={of(t(lang, 'officer.action.award'))}>{t(lang, 'officer.action.award')}</a></li>
                              <li><a href={`/officer/notices/${n.id}/withdraw`} aria-label={of(t(lang, 'officer.action.withdraw'))}>{t(lang, 'officer.action.withdraw')}</a></li>
                            </ul>
                          ) : n.source !== 'local' ? <span class="meta">{t(lang, 'officer.imported', { source: n.source })}</span> : null}
                        </td>
                      </tr>
                    );
                  })}</tbody>
                </table></div>
              ) : <p>{t(lang, 'officer.group.empty')}</p>}
            </section>
          ))}
        </>
      );
    });
  });

  // The publish form; `?draft=` opens a saved draft.
  router.get('/notices/new', officerOrAdmin, async (req, res) => {
    const p = principalOf(res);
    const draftId = typeof req.query.draft === 'string' ? req.query.draft : null;
    const draft = draftId ? await repo.draftById(db, draftId) : undefined;
    if (draftId && (!draft || !mayPublishFor(p, draft.buyer_id))) throw notFound('Draft');
    const buyer = await buyerOf(p, draft?.buyer_id ?? (typeof req.query.buyer === 'string' ? req.query.buyer : ''));
    if (!buyer && !isAdmin(p)) return noBuyerPage(req, res);
    const values = draft ? draftValues(draft.form) : emptyForm();
    await renderForm(req, res, { values, errors: {}, reach: { kind: 'none' }, mode: 'new', draftId: draft?.id ?? null, buyer,
      notice: req.query.saved === '1' ? 'officer.form.draftSaved' : undefined });
  });

  router.post('/notices/new', officerOrAdmin, ...formPost, async (req, res) => {
    const p = principalOf(res)!;
    const buyer = await buyerOf(p, one(req.body.buyerId));
    if (!buyer && !isAdmin(p)) return noBuyerPage(req, res);
    const values = formValues(req.body);
    // A draft of a buyer the caller may not act for is not touched: the form is then a new draft.
    const existing = one(req.body.draftId) ? await repo.draftById(db, one(req.body.draftId)) : undefined;
    const draft = existing && mayPublishFor(p, existing.buyer_id) ? existing : undefined;
    const draftId = draft?.id ?? null;
    const action = one(req.body.action);
    const lang = langOf(req, res);
    const base = { mode: 'new' as const, draftId, buyer };
    if (isPickerAction(req.body as Record<string, unknown>)) return renderForm(req, res, { ...base, values, errors: {}, reach: { kind: 'none' } });
    if (await lotAction(req, res, action, values, base)) return;
    if (!buyer) {
      // An administrator who has not chosen the buyer: only that is said until it is chosen.
      const errors: FormErrors = action === 'publish' || action === 'draft' ? { buyerId: t(lang, 'officer.form.buyerRequired') } : {};
      return renderForm(req, res, { ...base, values, errors, reach: { kind: 'none' }, status: Object.keys(errors).length ? 400 : 200 });
    }
    if (action === 'draft') {
      // An administrator may move a draft to another buyer: it is then saved anew under that buyer.
      if (draft && draft.buyer_id !== buyer.id) await repo.deleteDraft(db, draft.buyer_id, draft.id);
      const id = await repo.saveDraft(db, { id: draft?.buyer_id === buyer.id ? draft.id : null, buyerId: buyer.id, userId: p.userId, title: values.title || values.reference || '–', form: values });
      return seeOther(res, `/officer/notices/new?draft=${id}&saved=1`);
    }
    const parsed = parseForm(values, lang, buyer, { requireReference: action === 'publish' });
    if (action !== 'publish') return renderForm(req, res, { ...base, values, errors: parsed.errors ?? {}, reach: await reachOf(parsed.input) });
    if (!parsed.input) return renderForm(req, res, { ...base, values, errors: parsed.errors, reach: { kind: 'none' }, status: 400 });
    const result = await storeNotice(db, parsed.input);
    if (result.outcome !== 'unchanged') {
      onStored();
      await audit(db, res, result.outcome === 'new' ? 'notice.publish' : 'notice.update', 'notice', result.id,
        { revision: result.revision, changed: result.changed ?? [], source: 'local', reference: parsed.input.reference, via: 'web' });
    }
    if (draft) await repo.deleteDraft(db, draft.buyer_id, draft.id);
    seeOther(res, `/notices/${result.id}`);
  });

  router.get('/notices/:id/edit', publisherOfNotice(db), async (req, res) => {
    const row = await editable(req.params.id);
    const n = storedDocument(row);
    await renderForm(req, res, { values: valuesOf(n), errors: {}, reach: { kind: 'none' }, mode: 'edit', draftId: null, buyer: n.buyer, id: row.id });
  });

  // Saving goes through the API's correction path (a PATCH of the stored notice): firms already told hear of material changes.
  router.post('/notices/:id/edit', publisherOfNotice(db), ...formPost, async (req, res) => {
    const row = await editable(req.params.id);
    const current = storedDocument(row);
    const values = { ...formValues(req.body), reference: current.reference ?? '' };
    const action = one(req.body.action);
    const lang = langOf(req, res);
    const base = { mode: 'edit' as const, draftId: null, buyer: current.buyer, id: row.id };
    if (isPickerAction(req.body as Record<string, unknown>)) return renderForm(req, res, { ...base, values, errors: {}, reach: { kind: 'none' } });
    if (await lotAction(req, res, action, values, base)) return;
    const parsed = parseForm(values, lang, current.buyer, { requireReference: false });
    if (action !== 'publish') return renderForm(req, res, { ...base, values, errors: parsed.errors ?? {}, reach: await reachOf(parsed.input) });
    if (!parsed.input) return renderForm(req, res, { ...base, values, errors: parsed.errors, reach: { kind: 'none' }, status: 400 });
    const f = parsed.input;
    const result = await patchNotice(db, row.id, (stored) => noticeInputSchema.parse({
      ...stored, title: f.title, description: f.description, cpv: f.cpv, lots: f.lots, estimatedValue: f.estimatedValue, deadline: f.deadline,
      procedure: f.procedure, criteria: f.criteria, links: { ...stored.links, documents: f.links.documents },
    }));
    if (result.outcome !== 'unchanged') {
      onStored();
      await audit(db, res, 'notice.update', 'notice', result.id, { revision: result.revision, changed: result.changed ?? [], via: 'web' });
    }
    seeOther(res, `/notices/${row.id}`);
  });

  // Deleting a draft: a confirmation page, then a POST (303 back to my notices).
  router.get('/drafts/:id/delete', publisherOfDraft(db), async (req, res) => {
    const draft = await repo.draftById(db, req.params.id);
    if (!draft) throw notFound('Draft');
    page(req, res, { title: t(langOf(req, res), 'officer.action.deleteDraft') }, (ctx) => (
      <>
        <h1>{t(ctx.lang, 'officer.action.deleteDraft')}</h1>
        <p>{t(ctx.lang, 'officer.draft.deleteIntro', { title: draft.title })}</p>
        <PostForm ctx={ctx} action={`/officer/drafts/${draft.id}/delete`}>
          <div class="button-group">
            <Button>{t(ctx.lang, 'officer.action.deleteDraft')}</Button>{' '}
            <a href={homeOf(principalOf(res), draft.buyer_id)} class="officer-cancel">{t(ctx.lang, 'officer.form.cancel')}</a>
          </div>
        </PostForm>
      </>
    ));
  });

  router.post('/drafts/:id/delete', publisherOfDraft(db), ...formPost, async (req, res) => {
    const draft = await repo.draftById(db, req.params.id);
    if (!draft) throw notFound('Draft');
    await repo.deleteDraft(db, draft.buyer_id, draft.id);
    await audit(db, res, 'notice.draft-delete', 'notice_draft', draft.id, { title: draft.title, via: 'web' });
    const home = homeOf(principalOf(res), draft.buyer_id);
    seeOther(res, `${home}${home.includes('?') ? '&' : '?'}deleted=1`);
  });

  router.get('/notices/:id/withdraw', publisherOfNotice(db), async (req, res) => {
    const row = await editable(req.params.id);
    withdrawPage(req, res, row.id, row.title, '', {});
  });

  router.post('/notices/:id/withdraw', publisherOfNotice(db), ...formPost, async (req, res) => {
    const row = await noticeOr404(req.params.id);
    const reason = String(req.body.reason ?? '').trim();
    const lang = langOf(req, res);
    if (!reason || reason.length > 1000) {
      const label = t(lang, 'officer.withdraw.reason');
      return withdrawPage(req, res, row.id, row.title, reason, { reason: reason ? t(lang, 'web.form.tooLong', { label, max: '1000' }) : t(lang, 'web.form.required', { label }) }, 400);
    }
    const result = await withdrawNotice(db, row.id, reason);
    if (result.outcome !== 'unchanged') {
      onStored();
      await audit(db, res, 'notice.withdraw', 'notice', result.id, { revision: result.revision, reason, via: 'web' });
    }
    seeOther(res, '/officer');
  });

  router.get('/notices/:id/award', publisherOfNotice(db), async (req, res) => {
    const row = await editable(req.params.id);
    awardPage(req, res, row, {}, {});
  });

  router.post('/notices/:id/award', publisherOfNotice(db), ...formPost, async (req, res) => {
    const row = await editable(req.params.id);
    const values = awardValues(req.body);
    const lang = langOf(req, res);
    const { data, errors } = parseAward(officerAwardSchema, { ...awardInput(values), lotId: values.lotId || null }, values, lang);
    if (!data) return awardPage(req, res, row, values, errors, 400);
    const result = await registerAward(db, row.id, data);
    if (result.outcome !== 'unchanged') {
      onStored();
      await audit(db, res, 'notice.award', 'notice', result.id, { revision: result.revision, winner: data.winner.orgNumber, via: 'web' });
    }
    seeOther(res, `/notices/${row.id}`);
  });

  router.get('/direct-awards/new', officer, async (req, res) => {
    if (!(await buyerOf(principalOf(res)))) return noBuyerPage(req, res);
    directAwardPage(req, res, {}, {});
  });

  router.post('/direct-awards/new', officer, ...formPost, async (req, res) => {
    const buyer = await buyerOf(principalOf(res));
    if (!buyer) return noBuyerPage(req, res);
    const values = awardValues(req.body);
    const lang = langOf(req, res);
    const { data, errors } = parseAward(directAwardSchema, {
      ...awardInput(values), title: values.title, cpv: values.cpv, reference: values.reference || null, description: null,
    }, values, lang);
    if (!data) return directAwardPage(req, res, values, errors, 400);
    const { id: _id, ...asBuyer } = buyer;
    const result = await registerDirectAward(db, asBuyer, data);
    if (result.outcome !== 'unchanged') {
      onStored();
      await audit(db, res, 'notice.direct-award', 'notice', result.id, { winner: data.winner.orgNumber, via: 'web' });
    }
    seeOther(res, `/notices/${result.id}`);
  });

  // ---- helpers ----

  async function editable(id: string) {
    const row = await noticeOr404(id);
    if (row.source !== 'local') throw new AppError(409, 'not_editable', 'Imported notices change through their feed, not by hand');
    if (row.status === 'withdrawn') throw new AppError(409, 'withdrawn', 'The notice is withdrawn');
    return row;
  }

  async function reachOf(input: NoticeInput | null): Promise<ReachState> {
    return input ? { kind: 'preview', preview: await engine.preview(input) } : { kind: 'unavailable' };
  }

  /** My notices for whoever deletes a draft: an administrator comes back to the draft's buyer. */
  function homeOf(p: Principal | null, buyerId: string): string {
    return isAdmin(p) && p?.buyerId !== buyerId ? `/officer?buyer=${encodeURIComponent(buyerId)}` : '/officer';
  }

  /** `buyer` null: an administrator who has not chosen one yet. */
  type FormState = {
    values: NoticeFormValues; errors: FormErrors; reach: ReachState; mode: 'new' | 'edit'; draftId: string | null;
    buyer: (Buyer & { id?: string }) | null; id?: string; notice?: 'officer.form.draftSaved'; status?: number;
  };

  async function renderForm(req: Request, res: Response, s: FormState) {
    const lang = langOf(req, res);
    const action = s.mode === 'new' ? '/officer/notices/new' : `/officer/notices/${s.id}/edit`;
    const title = t(lang, s.mode === 'new' ? 'officer.form.newTitle' : 'officer.form.editTitle');
    // The picker's search runs from its own buttons, or from Enter in its search field without JavaScript (a search
    // typed since the page was drawn). Enter in any other field previews the reach and leaves the search alone.
    const body = req.method === 'POST' ? (req.body as Record<string, unknown>) : null;
    const input = pickerInput(req);
    const searching = !body || isPickerAction(body) || (one(body[NO_SCRIPT]) === '1' && input.query !== one(body[QUERY_SHOWN]));
    const picker = await cpvPickerData(db, s.values.cpv, searching ? input : { query: '', open: input.open });
    picker.query = input.query; // the words stay in the field
    const lotCodes = s.values.lots.map((l) => l.cpv).filter(Boolean);
    const codeText = new Map((await cpvEntries(db, [...new Set([...s.values.cpv, ...lotCodes])])).map((e) => [e.code, cpvText(e, lang)]));
    const buyers = isAdmin(principalOf(res)) && s.mode === 'new' ? await buyerOptions() : undefined;
    page(req, res, { title, status: s.status, scripts: ['cpv-picker', 'officer-reach'] }, (ctx) => (
      <NoticeFormPage ctx={ctx} action={action} values={s.values} errors={s.errors} reach={s.reach} mode={s.mode} draftId={s.draftId}
        buyer={{ name: s.buyer?.name ?? '–', orgNumber: s.buyer?.orgNumber ?? null }} notice={s.notice ? t(ctx.lang, s.notice) : undefined}
        picker={picker} codeText={codeText} buyers={buyers} buyerId={s.buyer?.id ?? ''} />
    ));
  }

  /** "Add a lot" and "remove lot n": the form again with every value kept. */
  async function lotAction(req: Request, res: Response, action: string, values: NoticeFormValues, base: Omit<FormState, 'values' | 'errors' | 'reach'>): Promise<boolean> {
    if (action === 'add-lot' && values.lots.length < MAX_FORM_LOTS) {
      values.lots.push({ id: nextLotId(values.lots), title: '', cpv: '', cpvMore: [], estimatedValue: '' });
    } else if (action.startsWith('remove-lot-')) {
      values.lots.splice(Number(action.slice('remove-lot-'.length)), 1);
    } else {
      return false;
    }
    await renderForm(req, res, { ...base, values, errors: {}, reach: { kind: 'none' } });
    return true;
  }

  function withdrawPage(req: Request, res: Response, id: string, title: string, reason: string, errors: FormErrors, status = 200) {
    page(req, res, { title: t(langOf(req, res), 'officer.withdraw.title'), status }, (ctx) => (
      <>
        <h1>{t(ctx.lang, 'officer.withdraw.title')}</h1>
        <ErrorSummary ctx={ctx} errors={errors} />
        <p>{t(ctx.lang, 'officer.withdraw.intro', { title })}</p>
        <PostForm ctx={ctx} action={`/officer/notices/${id}/withdraw`}>
          <TextArea name="reason" label={t(ctx.lang, 'officer.withdraw.reason')} hint={t(ctx.lang, 'officer.withdraw.reasonHint')} value={reason} error={errors.reason} rows={3} />
          <div class="button-group">
            <Button>{t(ctx.lang, 'officer.withdraw.confirm')}</Button>{' '}
            <a href="/officer" class="officer-cancel">{t(ctx.lang, 'officer.form.cancel')}</a>
          </div>
        </PostForm>
      </>
    ));
  }

  async function awardPage(req: Request, res: Response, row: { id: string; title: string; document: string }, values: AwardValues, errors: FormErrors, status = 200) {
    const n = presentNotice(row as Parameters<typeof presentNotice>[0]);
    const awards = await repo.noticeAwards(db, row.id);
    page(req, res, { title: t(langOf(req, res), 'officer.award.title'), status }, (ctx) => (
      <>
        <h1>{t(ctx.lang, 'officer.award.title')}</h1>
        <ErrorSummary ctx={ctx} errors={errors} />
        <p>{t(ctx.lang, 'officer.award.intro', { title: n.title })}</p>
        {awards.length ? (
          <>
            <h2>{t(ctx.lang, 'officer.awards.existing')}</h2>
            <ul>{awards.map((a, i) => (
              <li key={i}>{a.winner_name}{a.winner_org_number ? ` (${a.winner_org_number})` : ''}
                {a.amount !== null ? ` · ${formatMoney({ amount: a.amount, currency: a.currency ?? 'SEK' }, ctx.lang)}` : ''}
                {a.awarded_on ? ` · ${formatDate(a.awarded_on, ctx.lang)}` : ''}</li>
            ))}</ul>
          </>
        ) : null}
        <PostForm ctx={ctx} action={`/officer/notices/${row.id}/award`}>
          {n.lots.length ? (
            <SelectField name="lotId" label={t(ctx.lang, 'officer.award.lot')} value={values.lotId ?? ''} error={errors.lotId}
              options={[{ value: '', label: t(ctx.lang, 'officer.award.wholeNotice') }, ...n.lots.map((l) => ({ value: l.id, label: l.title ?? l.id }))]} />
          ) : null}
          <WinnerFields ctx={ctx} values={values} errors={errors} />
          <Button>{t(ctx.lang, 'officer.award.submit')}</Button>
        </PostForm>
      </>
    ));
  }

  function directAwardPage(req: Request, res: Response, values: AwardValues, errors: FormErrors, status = 200) {
    page(req, res, { title: t(langOf(req, res), 'officer.direct.title'), status }, (ctx) => (
      <>
        <h1>{t(ctx.lang, 'officer.direct.title')}</h1>
        <ErrorSummary ctx={ctx} errors={errors} />
        <p>{t(ctx.lang, 'officer.direct.intro')}</p>
        <PostForm ctx={ctx} action="/officer/direct-awards/new">
          <h2>{t(ctx.lang, 'officer.direct.what')}</h2>
          <TextField name="title" label={t(ctx.lang, 'officer.form.title')} value={values.title} error={errors.title} />
          <TextField name="cpv" label={t(ctx.lang, 'officer.direct.cpv')} hint={t(ctx.lang, 'officer.direct.cpvHint')} value={values.cpv} error={errors.cpv} inputMode="numeric" />
          <TextField name="reference" label={t(ctx.lang, 'officer.direct.reference')} hint={t(ctx.lang, 'officer.direct.referenceHint')} value={values.reference}
            error={errors.reference} optional lang={ctx.lang} />
          <h2>{t(ctx.lang, 'officer.direct.winner')}</h2>
          <WinnerFields ctx={ctx} values={values} errors={errors} />
          <Button>{t(ctx.lang, 'officer.direct.submit')}</Button>
        </PostForm>
      </>
    ));
  }

  return router;
}

const langOf = (req: Request, _res: Response): Lang => requestLang(req);

type AwardValues = { lotId?: string; title?: string; cpv?: string; reference?: string; winnerName?: string; winnerOrg?: string; value?: string; date?: string };

const awardValues = (body: Record<string, unknown>): AwardValues => ({
  lotId: one(body.lotId), title: one(body.title), cpv: one(body.cpv), reference: one(body.reference),
  winnerName: one(body.winnerName), winnerOrg: one(body.winnerOrg), value: one(body.value), date: one(body.date),
});

function awardInput(v: AwardValues) {
  const amount = wholeKronor(v.value ?? '');
  return {
    winner: { name: v.winnerName ?? '', orgNumber: v.winnerOrg ?? '' },
    value: amount === null || Number.isNaN(amount) ? undefined : { amount, currency: 'SEK' },
    date: v.date ?? '',
  };
}

/** The award schemas' errors, keyed by the form's field names. */
function parseAward<S extends typeof officerAwardSchema | typeof directAwardSchema>(schema: S, input: object, v: AwardValues, lang: Lang) {
  const labels: Record<string, string> = {
    lotId: t(lang, 'officer.award.lot'), title: t(lang, 'officer.form.title'), cpv: t(lang, 'officer.direct.cpv'), reference: t(lang, 'officer.direct.reference'),
    'winner.name': t(lang, 'officer.award.winnerName'), 'winner.orgNumber': t(lang, 'officer.award.winnerOrg'), value: t(lang, 'officer.award.value'), date: t(lang, 'officer.award.date'),
  };
  const result = schema.safeParse(input);
  const errors: FormErrors = {};
  if (!result.success) {
    for (const [key, message] of Object.entries(formErrors(result.error, lang, labels, {
      'winner.orgNumber': v.winnerOrg ? t(lang, 'officer.award.orgInvalid') : t(lang, 'web.form.required', { label: labels['winner.orgNumber'] }),
      date: v.date ? t(lang, 'officer.award.dateInvalid') : t(lang, 'web.form.required', { label: labels.date }),
    }))) errors[{ 'winner.name': 'winnerName', 'winner.orgNumber': 'winnerOrg' }[key] ?? key] = message;
  }
  if (v.value && Number.isNaN(wholeKronor(v.value))) errors.value = t(lang, 'officer.form.valueInvalid', { label: labels.value });
  else if (!v.value) errors.value = t(lang, 'web.form.required', { label: labels.value });
  return Object.keys(errors).length || !result.success ? { data: null, errors } : { data: result.data as z.output<S>, errors };
}

function WinnerFields({ ctx, values, errors }: { ctx: WebContext; values: AwardValues; errors: FormErrors }) {
  const { lang } = ctx;
  return (
    <>
      <TextField name="winnerName" label={t(lang, 'officer.award.winnerName')} value={values.winnerName} error={errors.winnerName} autocomplete="organization" />
      <TextField name="winnerOrg" label={t(lang, 'officer.award.winnerOrg')} hint={t(lang, 'officer.award.winnerOrgHint')} value={values.winnerOrg} error={errors.winnerOrg} />
      <TextField name="value" label={t(lang, 'officer.award.value')} hint={t(lang, 'officer.award.valueHint')} value={values.value} error={errors.value} inputMode="numeric" />
      <TextField name="date" label={t(lang, 'officer.award.date')} hint={t(lang, 'officer.award.dateHint')} value={values.date} error={errors.date} inputMode="numeric" />
    </>
  );
}
