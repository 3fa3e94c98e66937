// The plain server-rendered pages (the full web application comes later).
import type { Db } from '../../db/database.ts';
import { notFound } from '../http/errors.ts';
import { anyone, SecuredRouter } from '../http/secured-router.ts';
import { formatDateTime, formatMoment, formatMoney, t, type Lang } from '../i18n/messages.ts';
import { findById, listLatest, presentNotice } from '../notices/notices.repo.ts';
import { escapeHtml } from '../domain/text.ts';
import { layout } from './layout.ts';

export function webRouter(db: Db): SecuredRouter {
  const router = new SecuredRouter();
  const lang: Lang = 'sv';

  router.get('/', anyone, async (_req, res) => {
    const notices = await listLatest(db, 50);
    const items = notices.map(
      (n) => `<li><a href="/notices/${escapeHtml(n.id)}">${escapeHtml(n.title)}</a><br>
<span class="meta">${escapeHtml(n.buyer_name)} · ${escapeHtml(t(lang, 'notice.deadline'))}: ${
        n.deadline ? escapeHtml(formatDateTime(n.deadline, lang)) : escapeHtml(t(lang, 'notice.noDeadline'))
      }</span></li>`,
    );
    const body = `<h1>${escapeHtml(t(lang, 'notices.latest'))}</h1>
${items.length ? `<ul>${items.join('\n')}</ul>` : `<p>${escapeHtml(t(lang, 'notices.none'))}</p>`}`;
    res.type('html').send(layout(lang, t(lang, 'notices.latest'), body));
  });

  router.get('/notices/:id', anyone, async (req, res) => {
    const row = await findById(db, req.params.id);
    if (!row) throw notFound('Notice');
    const n = presentNotice(row);
    const facts: [string, string][] = [[t(lang, 'notice.buyer'), n.buyer.name]];
    if (n.reference) facts.push([t(lang, 'notice.reference'), n.reference]);
    facts.push(
      [t(lang, 'notice.deadline'), n.deadline ? formatMoment(n.deadline, lang) : t(lang, 'notice.noDeadline')],
      [t(lang, 'notice.cpv'), [n.cpv.main, ...n.cpv.additional].join(', ')],
    );
    // Estimated (before) and contracted (after the award) values are different things, labelled so.
    if (n.estimatedValue) facts.push([t(lang, 'notice.value'), formatMoney(n.estimatedValue, lang)]);
    for (const a of n.awards) if (a.value) facts.push([t(lang, 'notice.contractValue'), `${formatMoney(a.value, lang)} (${a.winner.name})`]);
    if (n.publishedAt) facts.push([t(lang, 'notice.published'), formatDateTime(n.publishedAt, lang)]);
    const links = ([['documents', 'notice.documents'], ['submission', 'notice.submission'], ['source', 'notice.source']] as const)
      .filter(([key]) => n.links[key])
      .map(([key, label]) => `<li><a href="${escapeHtml(n.links[key]!)}">${escapeHtml(t(lang, label))}</a></li>`);
    const body = `<h1>${escapeHtml(n.title)}</h1>
${n.status === 'withdrawn' ? `<p role="status"><strong>${escapeHtml(t(lang, 'change.withdrawn'))}</strong></p>` : ''}
<dl>${facts.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('')}</dl>
${links.length ? `<ul>${links.join('')}</ul>` : ''}
${n.description ? `<p>${escapeHtml(n.description)}</p>` : ''}
<p><a href="/">${escapeHtml(t(lang, 'notice.back'))}</a></p>`;
    res.type('html').send(layout(lang, n.title, body));
  });

  return router;
}
