/** @jsxRuntime automatic @jsxImportSource preact */
// The pages everyone sees: the start page (search), a notice's page, how
// Brygga works, and the accessibility statement.
import type { Db } from '../../../db/database.ts';
import type { Config } from '../../config.ts';
import { isAlertable } from '../../domain/alerts.ts';
import { BUILT_IN_MUNICIPALITIES } from '../../domain/regions.ts';
import { notFound } from '../../http/errors.ts';
import { anyone, SecuredRouter } from '../../http/secured-router.ts';
import { t } from '../../i18n/messages.ts';
import { listChanges } from '../../notices/notice-changes.repo.ts';
import { alertFacts, findById, presentNotice } from '../../notices/notices.repo.ts';
import type { SearchService } from '../../search/search.service.ts';
import { requestLang } from '../context.ts';
import { page } from '../render.tsx';
import { AboutPage, AccessibilityPage } from './info.pages.tsx';
import { NoticePage, type NoticeStatus } from './notice.page.tsx';
import { parseSearch, rawParams, searchErrors, SearchPage } from './search.page.tsx';

export function publicRouter(db: Db, search: SearchService, config: Pick<Config, 'alertMaxAgeDays' | 'homeMunicipality' | 'mail'>): SecuredRouter {
  const router = new SecuredRouter();

  router.get('/', anyone, async (req, res) => {
    const raw = rawParams(req.query as Record<string, unknown>);
    const parsed = parseSearch(raw);
    const result = parsed.query ? await search.search(parsed.query) : null;
    page(req, res, { title: t(requestLang(req), 'pub.search.title'), status: parsed.error ? 400 : 200 }, (ctx) => (
      <SearchPage ctx={ctx} raw={raw} result={result} errors={parsed.error ? searchErrors(parsed.error, ctx.lang) : {}} />
    ));
  });

  router.get('/notices/:id', anyone, async (req, res) => {
    const row = await findById(db, req.params.id);
    if (!row) throw notFound('Notice');
    const notice = presentNotice(row);
    const status: NoticeStatus = row.status === 'withdrawn' ? 'withdrawn'
      : alertFacts(row).awarded ? 'awarded'
        : isAlertable(alertFacts(row), new Date(), config.alertMaxAgeDays) ? 'open' : 'closed';
    const changes = await listChanges(db, row.id);
    page(req, res, { title: notice.title }, (ctx) => <NoticePage ctx={ctx} notice={notice} status={status} changes={changes} createdAt={row.created_at} />);
  });

  router.get('/about', anyone, (req, res) => {
    page(req, res, { title: t(requestLang(req), 'pub.about.title') }, (ctx) => <AboutPage ctx={ctx} />);
  });

  const organisation = BUILT_IN_MUNICIPALITIES.find((m) => m.code === config.homeMunicipality)?.name ?? 'Brygga';
  const contact = /<([^>]+)>/.exec(config.mail.from)?.[1] ?? config.mail.from;
  router.get('/accessibility', anyone, (req, res) => {
    page(req, res, { title: t(requestLang(req), 'pub.a11y.title') }, (ctx) => <AccessibilityPage ctx={ctx} organisation={organisation} contact={contact} />);
  });

  return router;
}
