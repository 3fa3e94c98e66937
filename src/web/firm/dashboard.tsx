/** @jsxRuntime automatic @jsxImportSource preact */
// The firm's dashboard: its matches (the same service as
// GET /api/companies/:id/matches), open ones first and the soonest deadline
// first, each with score, reasons and what the firm is missing; "Inte
// relevant" stores the firm's reason (POST, like the API's feedback route)
// and hides the match unless asked to show it.
import type { Db } from '../../../db/database.ts';
import { findCompany } from '../../companies/companies.repo.ts';
import { requirementLabel } from '../../domain/csr.ts';
import { parseOr400 } from '../../http/errors.ts';
import { principalOf, type SecuredRouter } from '../../http/secured-router.ts';
import { formatMoment, t, type MessageKey } from '../../i18n/messages.ts';
import { FEEDBACK_REASONS } from '../../matching/feedback.repo.ts';
import { feedbackInputSchema, markNotRelevant, undoNotRelevant } from '../../matching/feedback.service.ts';
import { firmMatches } from '../../matching/firm-matches.service.ts';
import { Button, ChoiceGroup, PostForm, TextField } from '../components/form.tsx';
import { requestLang } from '../context.ts';
import { formPost, one } from '../form-post.ts';
import { page, seeOther } from '../render.tsx';
import { companyOf, doneNote, firmPages, FirmNav, Note } from './firm-nav.tsx';

const PAGE_SIZE = 50;
const reasonKey = (r: string) => `web.firm.reason.${r}` as MessageKey;

export function dashboardRoutes(router: SecuredRouter, db: Db, alertMaxAgeDays: number) {
  router.get('/firm', firmPages, async (req, res) => {
    const companyId = companyOf(res);
    const lang = requestLang(req);
    const pageNo = Math.min(Math.max(Number.parseInt(String(req.query.page ?? '1'), 10) || 1, 1), 10_000);
    const showHidden = req.query.hidden === '1';
    const [company, matches] = await Promise.all([
      findCompany(db, companyId),
      firmMatches(db, companyId, { status: 'all', page: pageNo, pageSize: PAGE_SIZE }, alertMaxAgeDays),
    ]);
    const hidden = matches.items.filter((m) => m.notRelevant).length;
    const shown = matches.items.filter((m) => showHidden || !m.notRelevant);
    const note = doneNote(req, lang, { 'not-relevant': 'web.firm.match.saved', undone: 'web.firm.match.undone' });
    const pages = Math.max(1, Math.ceil(matches.total / PAGE_SIZE));
    const link = (p: number) => `/firm?page=${p}${showHidden ? '&hidden=1' : ''}`;
    page(req, res, { title: t(lang, 'web.firm.dashboard.title') }, (ctx) => (
      <>
        <FirmNav ctx={ctx} />
        <h1>{t(lang, 'web.firm.dashboard.title')}</h1>
        <Note text={note} />
        {company && company.email_status !== 'confirmed' ? (
          <div class="message-box message-box--warning"><p class="message-box__content">{t(lang, 'web.firm.dashboard.unconfirmed')}</p></div>
        ) : null}
        <p>{t(lang, 'web.firm.dashboard.intro')} {t(lang, 'web.firm.match.total', { n: String(matches.total) })}</p>
        {hidden > 0 ? (
          <p><a href={showHidden ? '/firm' : '/firm?hidden=1'}>{showHidden ? t(lang, 'web.firm.match.hideHidden') : t(lang, 'web.firm.match.showHidden', { n: String(hidden) })}</a></p>
        ) : null}
        {shown.length === 0 ? <p>{t(lang, 'web.firm.dashboard.none')}</p> : null}
        <ol class="match-list">
          {shown.map((m) => (
            <li key={m.noticeId} class={`card match${m.notRelevant ? ' match--not-relevant' : ''}`} id={`match-${m.noticeId}`}>
              <h2 class="match__title"><a href={`/notices/${m.noticeId}`}>{m.title}</a></h2>
              <p class="match__facts">
                <strong>{t(lang, 'web.firm.match.score', { score: String(m.score) })}</strong>
                {' · '}{t(lang, `web.firm.match.${m.status}`)}
                {' · '}{t(lang, 'web.firm.match.deadline')}: {m.deadline ? formatMoment(m.deadline, lang) : t(lang, 'web.firm.match.noDeadline')}
              </p>
              {m.notRelevant ? <p class="match__mark"><strong>{t(lang, 'web.firm.match.notRelevantMark', { reason: t(lang, reasonKey(m.notRelevant.reason)) })}</strong></p> : null}
              <h3 class="match__subheading">{t(lang, 'web.firm.match.why')}</h3>
              <ul class="match__reasons">
                {m.reasons.map((r, i) => <li key={i}>{r[lang]}</li>)}
              </ul>
              {m.missing.length ? (
                <p class="match__missing">{t(lang, 'web.firm.match.missing', { what: m.missing.map((code) => requirementLabel(code)[lang]).join(', ') })}</p>
              ) : null}
              {m.notRelevant ? (
                <PostForm ctx={ctx} action={`/firm/matches/${m.noticeId}/undo`}>
                  <Button variant="tertiary">{t(lang, 'web.firm.match.undo')}</Button>
                </PostForm>
              ) : (
                <details class="match__feedback">
                  <summary>{t(lang, 'web.firm.match.notRelevant')}</summary>
                  <PostForm ctx={ctx} action={`/firm/matches/${m.noticeId}/not-relevant`}>
                    <ChoiceGroup name={`reason-${m.noticeId}`} type="radio" legend={t(lang, 'web.firm.match.notRelevantLegend')}
                      options={FEEDBACK_REASONS.map((r) => ({ value: r, label: t(lang, reasonKey(r)) }))} checked={['wrong-category']} />
                    <TextField name={`comment-${m.noticeId}`} label={t(lang, 'web.firm.match.comment')} optional lang={lang} maxLength={500} />
                    <Button variant="secondary">{t(lang, 'web.firm.match.notRelevant')}</Button>
                  </PostForm>
                </details>
              )}
            </li>
          ))}
        </ol>
        {pages > 1 ? (
          <nav aria-label={t(lang, 'web.firm.page.label')} class="pager">
            {pageNo > 1 ? <a href={link(pageNo - 1)}>{t(lang, 'web.firm.page.previous')}</a> : null}
            {' '}{pageNo} / {pages}{' '}
            {pageNo < pages ? <a href={link(pageNo + 1)}>{t(lang, 'web.firm.page.next')}</a> : null}
          </nav>
        ) : null}
      </>
    ));
  });

  router.post('/firm/matches/:noticeId/not-relevant', firmPages, ...formPost, async (req, res) => {
    const body = req.body as Record<string, unknown>;
    const { noticeId } = req.params;
    const input = parseOr400(feedbackInputSchema, { reason: one(body[`reason-${noticeId}`]) || 'other', comment: one(body[`comment-${noticeId}`]) || null });
    await markNotRelevant(db, companyOf(res), noticeId, input, principalOf(res)!.userId);
    seeOther(res, '/firm?done=not-relevant');
  });

  router.post('/firm/matches/:noticeId/undo', firmPages, ...formPost, async (req, res) => {
    await undoNotRelevant(db, companyOf(res), req.params.noticeId);
    seeOther(res, '/firm?done=undone');
  });
}
