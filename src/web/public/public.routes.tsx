// The pages everyone sees: the start page and a notice's page.
import type { Db } from '../../../db/database.ts';
import { notFound } from '../../http/errors.ts';
import { anyone, SecuredRouter } from '../../http/secured-router.ts';
import { formatDateTime, formatMoment, formatMoney, t } from '../../i18n/messages.ts';
import { findById, listLatest, presentNotice } from '../../notices/notices.repo.ts';
import { page } from '../render.tsx';

export function publicRouter(db: Db): SecuredRouter {
  const router = new SecuredRouter();

  router.get('/', anyone, async (req, res) => {
    const notices = await listLatest(db, 50);
    page(req, res, { title: t('sv', 'notices.latest') }, ({ lang }) => (
      <>
        <h1>{t(lang, 'notices.latest')}</h1>
        {notices.length ? (
          <ul>
            {notices.map((n) => (
              <li key={n.id}>
                <a href={`/notices/${n.id}`}>{n.title}</a>
                <br />
                <span class="meta">
                  {n.buyer_name} · {t(lang, 'notice.deadline')}: {n.deadline ? formatDateTime(n.deadline, lang) : t(lang, 'notice.noDeadline')}
                </span>
              </li>
            ))}
          </ul>
        ) : (
          <p>{t(lang, 'notices.none')}</p>
        )}
      </>
    ));
  });

  router.get('/notices/:id', anyone, async (req, res) => {
    const row = await findById(db, req.params.id);
    if (!row) throw notFound('Notice');
    const n = presentNotice(row);
    page(req, res, { title: n.title }, ({ lang }) => {
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
        .filter(([key]) => n.links[key]);
      return (
        <>
          <h1>{n.title}</h1>
          {n.status === 'withdrawn' ? <p role="status"><strong>{t(lang, 'change.withdrawn')}</strong></p> : null}
          <dl>{facts.map(([k, v]) => <><dt>{k}</dt><dd>{v}</dd></>)}</dl>
          {links.length ? <ul>{links.map(([key, label]) => <li key={key}><a href={n.links[key]!}>{t(lang, label)}</a></li>)}</ul> : null}
          {n.description ? <p>{n.description}</p> : null}
          <p><a href="/">{t(lang, 'notice.back')}</a></p>
        </>
      );
    });
  });

  return router;
}
