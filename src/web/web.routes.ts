// The plain server-rendered pages (the full web application comes later).
import { Router } from 'express';
import type { Db } from '../../db/database.ts';
import { notFound } from '../http/errors.ts';
import { formatDateTime, formatMoney, t, type Lang } from '../i18n/messages.ts';
import { findById, listLatest, presentNotice } from '../notices/notices.repo.ts';
import { escapeHtml } from './html.ts';
import { layout } from './layout.ts';

export function webRouter(db: Db): Router {
  const router = Router();
  const lang: Lang = 'sv';

  router.get('/', async (_req, res) => {
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

  router.get('/notices/:id', async (req, res) => {
    const row = await findById(db, req.params.id);
    if (!row) throw notFound('Notice');
    const n = presentNotice(row);
    const facts: [string, string][] = [
      [t(lang, 'notice.buyer'), n.buyer.name],
      [t(lang, 'notice.deadline'), n.deadline ? formatDateTime(n.deadline, lang) : t(lang, 'notice.noDeadline')],
      [t(lang, 'notice.cpv'), [n.cpv.main, ...n.cpv.additional].join(', ')],
    ];
    if (n.estimatedValue) facts.push([t(lang, 'notice.value'), formatMoney(n.estimatedValue, lang)]);
    if (n.publishedAt) facts.push([t(lang, 'notice.published'), formatDateTime(n.publishedAt, lang)]);
    const body = `<h1>${escapeHtml(n.title)}</h1>
<dl>${facts.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('')}</dl>
${n.description ? `<p>${escapeHtml(n.description)}</p>` : ''}
<p><a href="/">${escapeHtml(t(lang, 'notice.back'))}</a></p>`;
    res.type('html').send(layout(lang, n.title, body));
  });

  return router;
}
