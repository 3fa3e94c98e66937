/** @jsxRuntime automatic @jsxImportSource preact */
// The pages of the business-development unit (näringslivsenheten), for staff
// and admins: the start page with counts, the firm directory and each firm,
// suspended addresses, imports with their progress and summary, and the
// audit log. The queue page is bull-board's (/staff/queues, src/ops/).
import express, { type Request, type RequestHandler, type Response } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Db } from '../../../db/database.ts';
import { actorOf, audit } from '../../accounts/audit.ts';
import type { Config } from '../../config.ts';
import { has } from '../../domain/access.ts';
import { CPV_DIVISIONS, cpvLabel } from '../../domain/cpv.ts';
import { CAPABILITIES, isCapability } from '../../domain/csr.ts';
import { BUILT_IN_MUNICIPALITIES } from '../../domain/regions.ts';
import { getCompany, shownOrgNumber } from '../../companies/companies.service.ts';
import { findCompany, suspendedAddresses } from '../../companies/companies.repo.ts';
import { notFound } from '../../http/errors.ts';
import { principalOf, roles, SecuredRouter } from '../../http/secured-router.ts';
import { formatDate, t, type MessageKey } from '../../i18n/messages.ts';
import type { FileResult } from '../../ingest/ingest.service.ts';
import type { GzipLimits } from '../../ingest/uhm.ts';
import { liftSuspensionOf } from '../../mail/suspensions.service.ts';
import { QUEUES } from '../../queue/jobs.ts';
import type { Producer } from '../../queue/producer.ts';
import { listMunicipalities } from '../../regions/regions.repo.ts';
import { Button, ErrorSummary, formErrors, PostForm, SelectField, TextField, type FormErrors } from '../components/form.tsx';
import { requestLang, type WebContext } from '../context.ts';
import { requireCsrf } from '../csrf.ts';
import { formPost } from '../form-post.ts';
import { page, seeOther } from '../render.tsx';
import { Cell, DataTable, Notice, number, StaffNav, when } from './components.tsx';
import { ImportRuns, percentOf, type ImportRun } from './imports.ts';
import { boundaryOf, parseMultipart } from './multipart.ts';
import { LERUM, statsPages } from './stats.routes.tsx';
import { auditActions, auditPage } from '../../accounts/audit.repo.ts';
import { directoryFacets, directoryPage, heldDeliveries, recentDeliveries, staffCounts } from './staff.repo.ts';

export type StaffPagesDeps = {
  db: Db;
  config: Pick<Config, 'localArea' | 'importLimit' | 'ingestMaxBytes'> & Partial<Pick<Config, 'homeMunicipality' | 'oidc'>>;
  producer: Producer;
  log: Logger;
  gzip: GzipLimits;
  onStored: () => void;
  onResult: (result: FileResult) => void;
};

const PAGE_SIZE = 50;
const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;
const QUEUE_TIMEOUT_MS = 1500;
const FORMATS = ['auto', 'eforms', 'ocds', 'uhm'] as const;

export function staffPagesRouter(deps: StaffPagesDeps): SecuredRouter {
  const { db, config, producer } = deps;
  const router = new SecuredRouter('/staff');
  const staff = roles('staff', 'admin');
  const imports = new ImportRuns({
    db, log: deps.log, gzip: deps.gzip, maxBytes: config.ingestMaxBytes, onResult: deps.onResult, onStored: deps.onStored,
  });
  const municipalityNames = async () => {
    const known = await listMunicipalities(db);
    const names = new Map(BUILT_IN_MUNICIPALITIES.map((m) => [m.code, m.shortName]));
    for (const m of known) names.set(m.code, m.shortName);
    return names;
  };

  // The statistics pages (issue 14): src/web/staff/stats.routes.tsx.
  const home = config.homeMunicipality ?? LERUM.municipality;
  statsPages(router, {
    db, settings: { homeMunicipality: home, localArea: config.localArea },
    homeBuyer: config.oidc?.buyer.orgNumber ?? (home === LERUM.municipality ? LERUM.orgNumber : null),
  });

  // --- the start page ---------------------------------------------------------

  router.get('/', staff, async (req, res) => {
    const [counts, queues] = await Promise.all([staffCounts(db, config.localArea, new Date().toISOString()), queueCounts(producer)]);
    page(req, res, { title: t('sv', 'staff.start.title') }, ({ lang }) => {
      const failed = queues ? queues.reduce((n, q) => n + q.counts.failed, 0) : null;
      return (
        <>
          <h1>{t(lang, 'staff.start.title')}</h1>
          <p>{t(lang, 'staff.start.intro')}</p>
          <p>{t(lang, counts.openNotices === 1 ? 'staff.start.openNotices.one' : 'staff.start.openNotices.many', { n: number(counts.openNotices, lang) })}</p>
          <ul class="staff-cards">
            <li class="card staff-card">
              <h2><a href="/staff/stats">{t(lang, 'stats.nav')}</a></h2>
              <p>{t(lang, 'stats.start.card')}</p>
            </li>
            <li class="card staff-card">
              <h2><a href="/staff/firms">{t(lang, 'staff.nav.firms')}</a></h2>
              <p>{t(lang, 'staff.start.firms', { local: number(counts.localFirms, lang), all: number(counts.firms, lang) })}</p>
            </li>
            <li class="card staff-card">
              <h2><a href="/staff/suspended">{t(lang, 'staff.nav.suspended')}</a></h2>
              <p>{t(lang, counts.suspended === 1 ? 'staff.start.suspended.one' : 'staff.start.suspended.many', { n: number(counts.suspended, lang) })}</p>
            </li>
            <li class="card staff-card">
              <h2><a href="/staff/imports">{t(lang, 'staff.nav.imports')}</a></h2>
              <p>{t(lang, 'staff.start.imports')}</p>
            </li>
            <li class="card staff-card">
              <h2><a href="/staff/queues">{t(lang, 'staff.nav.queues')}</a></h2>
              <p>{failed === null ? t(lang, 'staff.queues.unavailable') : t(lang, failed === 1 ? 'staff.start.failed.one' : 'staff.start.failed.many', { n: number(failed, lang) })}</p>
            </li>
            <li class="card staff-card">
              <h2><a href="/staff/audit">{t(lang, 'staff.nav.audit')}</a></h2>
              <p>{t(lang, 'staff.start.audit')}</p>
            </li>
          </ul>
          <h2>{t(lang, 'staff.queues.heading')}</h2>
          {queues ? (
            <DataTable id="queues" caption={t(lang, 'staff.queues.caption')} numeric={[1, 2, 3, 4]}
              head={[t(lang, 'staff.queues.queue'), ...QUEUE_STATES.map((s) => t(lang, `staff.queues.state.${s}`))]}>
              {queues.map((q) => (
                <tr class="table__row" key={q.name}>
                  <Cell>{q.name}</Cell>
                  {QUEUE_STATES.map((s) => <Cell numeric key={s}>{number(q.counts[s], lang)}</Cell>)}
                </tr>
              ))}
            </DataTable>
          ) : <p>{t(lang, 'staff.queues.unavailable')}</p>}
          <p><a href="/staff/queues">{t(lang, 'staff.queues.board')}</a></p>
        </>
      );
    });
  });

  // --- the firm directory -----------------------------------------------------

  router.get('/firms', staff, async (req, res) => {
    const names = await municipalityNames();
    const q = directoryQuery(req.query, config.localArea);
    const today = new Date().toISOString().slice(0, 10);
    const municipalities = q.area === 'all' ? null : q.area === 'local' ? config.localArea : [q.area];
    const [facets, found] = await Promise.all([
      directoryFacets(db, { municipalities, today }),
      directoryPage(db, { municipalities, division: q.division, capability: q.capability, today }, PAGE_SIZE, (q.page - 1) * PAGE_SIZE),
    ]);
    const link = (change: Partial<DirectoryQuery>) => `/staff/firms?${directoryParams({ ...q, page: 1, ...change })}`;
    page(req, res, { title: t('sv', 'staff.firms.title') }, ({ lang }) => {
      const divisionName = (d: string) => CPV_DIVISIONS[d]?.[lang] ?? d;
      const capabilityName = (c: string) => (isCapability(c) ? CAPABILITIES[c][lang] : c);
      const pages = Math.max(1, Math.ceil(found.total / PAGE_SIZE));
      return (
        <>
          <StaffNav lang={lang} current="/staff/firms" />
          <h1>{t(lang, 'staff.firms.title')}</h1>
          <p>{t(lang, 'staff.firms.intro')}</p>
          <form method="get" action="/staff/firms" class="filter-form">
            <SelectField name="area" label={t(lang, 'staff.firms.area')} value={q.area} options={[
              { value: 'local', label: t(lang, 'staff.firms.area.local') },
              ...config.localArea.map((code) => ({ value: code, label: names.get(code) ?? code })),
              { value: 'all', label: t(lang, 'staff.firms.area.all') },
            ]} />
            <SelectField name="category" label={t(lang, 'staff.firms.category')} value={q.division ?? ''} options={[
              { value: '', label: t(lang, 'staff.firms.any') },
              ...facets.divisions.map((d) => ({ value: d.division, label: `${d.division} ${divisionName(d.division)} (${number(d.firms, lang)})` })),
            ]} />
            <SelectField name="csr" label={t(lang, 'staff.firms.csr')} value={q.capability ?? ''} options={[
              { value: '', label: t(lang, 'staff.firms.any') },
              ...facets.capabilities.map((c) => ({ value: c.capability, label: `${capabilityName(c.capability)} (${number(c.firms, lang)})` })),
            ]} />
            <Button>{t(lang, 'staff.firms.show')}</Button>
          </form>
          <h2 id="found">{t(lang, found.total === 1 ? 'staff.firms.found.one' : 'staff.firms.found.many', { n: number(found.total, lang) })}</h2>
          {found.rows.length ? (
            <DataTable id="firms" caption={t(lang, 'staff.firms.caption')}
              head={[t(lang, 'staff.firms.name'), t(lang, 'staff.firms.orgNumber'), t(lang, 'staff.firms.municipality'),
                t(lang, 'staff.firms.categories'), t(lang, 'staff.firms.csrShort'), t(lang, 'staff.firms.status')]}>
              {found.rows.map((f) => {
                const divisions = [...new Set(found.categories.filter((c) => c.company_id === f.id).map((c) => c.code.slice(0, 2)))];
                const held = found.capabilities.filter((c) => c.company_id === f.id && (!c.valid_until || c.valid_until >= today));
                return (
                  <tr class="table__row" key={f.id}>
                    <Cell><a href={`/staff/firms/${f.id}`}>{f.name}</a></Cell>
                    <Cell>{shownOrgNumber(f.org_number, { full: has(principalOf(res), 'admin') })}</Cell>
                    <Cell>{names.get(f.municipality_code) ?? f.municipality_code}</Cell>
                    <Cell>{divisions.map((d) => divisionName(d)).join(', ') || '–'}</Cell>
                    <Cell>{held.map((c) => capabilityName(c.capability)).join(', ') || '–'}</Cell>
                    <Cell>{t(lang, emailStatusKey(f.email_status))}</Cell>
                  </tr>
                );
              })}
            </DataTable>
          ) : <p>{t(lang, 'staff.firms.none')}</p>}
          {pages > 1 ? (
            <nav class="pagination" aria-label={t(lang, 'staff.pages.label')}>
              {q.page > 1 ? <a href={link({ page: q.page - 1 })} rel="prev">{t(lang, 'staff.pages.previous')}</a> : null}
              <span>{t(lang, 'staff.pages.of', { page: String(q.page), pages: String(pages) })}</span>
              {q.page < pages ? <a href={link({ page: q.page + 1 })} rel="next">{t(lang, 'staff.pages.next')}</a> : null}
            </nav>
          ) : null}
          <div class="facets">
            <section aria-labelledby="by-category">
              <h2 id="by-category">{t(lang, 'staff.firms.byCategory')}</h2>
              {facets.divisions.length ? (
                <ul>{facets.divisions.map((d) => (
                  <li key={d.division}><a href={link({ division: d.division, capability: null })}>{divisionName(d.division)}</a>: {t(lang, d.firms === 1 ? 'staff.firms.count.one' : 'staff.firms.count.many', { n: number(d.firms, lang) })}</li>
                ))}</ul>
              ) : <p>{t(lang, 'staff.firms.none')}</p>}
            </section>
            <section aria-labelledby="by-csr">
              <h2 id="by-csr">{t(lang, 'staff.firms.byCsr')}</h2>
              {facets.capabilities.length ? (
                <ul>{facets.capabilities.map((c) => (
                  <li key={c.capability}><a href={link({ capability: c.capability, division: null })}>{capabilityName(c.capability)}</a>: {t(lang, c.firms === 1 ? 'staff.firms.count.one' : 'staff.firms.count.many', { n: number(c.firms, lang) })}</li>
                ))}</ul>
              ) : <p>{t(lang, 'staff.firms.none')}</p>}
            </section>
          </div>
        </>
      );
    });
  });

  router.get('/firms/:id', staff, async (req, res) => {
    const admin = has(principalOf(res), 'admin');
    const firm = await getCompany(db, req.params.id, { full: admin }).catch(() => null);
    if (!firm) throw notFound('Company');
    const [deliveries, names] = await Promise.all([recentDeliveries(db, firm.id, 20), municipalityNames()]);
    const today = new Date().toISOString().slice(0, 10);
    page(req, res, { title: firm.name }, ({ lang }) => (
      <>
        <StaffNav lang={lang} current="/staff/firms" />
        <p><a href="/staff/firms">{t(lang, 'staff.firm.back')}</a></p>
        <h1>{firm.name}</h1>
        <dl class="definition-list">
          {([
            ['staff.firms.orgNumber', firm.orgNumber],
            ['staff.firm.email', firm.email],
            ['staff.firms.municipality', names.get(firm.municipalityCode) ?? firm.municipalityCode],
            ['staff.firm.language', firm.language === 'en' ? 'English' : 'Svenska'],
            ['staff.firms.status', t(lang, emailStatusKey(firm.emailStatus))],
            ['staff.firm.registered', when(firm.createdAt, lang)],
          ] as [MessageKey, string][]).map(([key, value]) => (
            <><dt class="definition-list__term">{t(lang, key)}</dt><dd class="definition-list__definition">{value}</dd></>
          ))}
        </dl>
        <h2>{t(lang, 'staff.firms.categories')}</h2>
        {firm.categories.length ? <ul>{firm.categories.map((code) => <li key={code}>{code} {cpvLabel(code, lang).text ?? ''}</li>)}</ul> : <p>–</p>}
        <h2>{t(lang, 'staff.firms.csr')}</h2>
        {firm.csr.length ? (
          <ul>{firm.csr.map((c) => (
            <li key={c.capability}>
              {isCapability(c.capability) ? CAPABILITIES[c.capability][lang] : c.capability}
              {c.validUntil ? ` – ${t(lang, c.validUntil >= today ? 'staff.firm.validUntil' : 'staff.firm.expired', { date: formatDate(c.validUntil, lang) })}` : ''}
            </li>
          ))}</ul>
        ) : <p>–</p>}
        <h2>{t(lang, 'staff.firm.subscriptions')}</h2>
        {firm.subscriptions.length ? (
          <DataTable id="subscriptions" caption={t(lang, 'staff.firm.subscriptions')}
            head={[t(lang, 'staff.firm.subscription'), t(lang, 'staff.firm.frequency'), t(lang, 'staff.firm.active'), t(lang, 'staff.firms.categories')]}>
            {firm.subscriptions.map((s) => (
              <tr class="table__row" key={s.id}>
                <Cell>{s.name}</Cell>
                <Cell>{t(lang, `staff.firm.frequency.${s.frequency as 'instant' | 'daily' | 'weekly'}`)}</Cell>
                <Cell>{t(lang, s.active ? 'staff.yes' : 'staff.no')}</Cell>
                <Cell>{s.cpv.join(', ') || '–'}</Cell>
              </tr>
            ))}
          </DataTable>
        ) : <p>{t(lang, 'staff.firm.noSubscriptions')}</p>}
        <h2>{t(lang, 'staff.firm.deliveries')}</h2>
        {deliveries.length ? (
          <DataTable id="deliveries" caption={t(lang, 'staff.firm.deliveriesCaption')}
            head={[t(lang, 'staff.firm.delivery.kind'), t(lang, 'staff.firm.delivery.status'), t(lang, 'staff.firm.delivery.created'), t(lang, 'staff.firm.delivery.sent')]}>
            {deliveries.map((d) => (
              <tr class="table__row" key={d.id}>
                <Cell>{d.kind}</Cell>
                <Cell>{d.status}{d.error ? ` (${d.error})` : ''}</Cell>
                <Cell>{when(d.created_at, lang)}</Cell>
                <Cell>{when(d.sent_at, lang)}</Cell>
              </tr>
            ))}
          </DataTable>
        ) : <p>{t(lang, 'staff.firm.noDeliveries')}</p>}
      </>
    ));
  });

  // --- suspended addresses ----------------------------------------------------

  router.get('/suspended', staff, async (req, res) => {
    const rows = await suspendedAddresses(db);
    const held = await heldDeliveries(db, rows.map((r) => r.id));
    const liftedId = typeof req.query.lifted === 'string' ? req.query.lifted : null;
    const lifted = liftedId ? await findCompany(db, liftedId) : undefined;
    page(req, res, { title: t('sv', 'staff.suspended.title') }, (ctx) => {
      const { lang } = ctx;
      return (
        <>
          <StaffNav lang={lang} current="/staff/suspended" />
          {lifted ? <Notice>{t(lang, 'staff.suspended.lifted', { name: lifted.name })}</Notice> : null}
          <h1>{t(lang, 'staff.suspended.title')}</h1>
          <p>{t(lang, 'staff.suspended.intro')}</p>
          {rows.length ? (
            <DataTable id="suspended" caption={t(lang, 'staff.suspended.caption')} numeric={[2, 3]}
              head={[t(lang, 'staff.firms.name'), t(lang, 'staff.firm.email'), t(lang, 'staff.suspended.failures'), t(lang, 'staff.suspended.held'),
                t(lang, 'staff.suspended.since'), t(lang, 'staff.suspended.action')]}>
              {rows.map((r) => (
                <tr class="table__row" key={r.id}>
                  <Cell><a href={`/staff/firms/${r.id}`}>{r.name}</a></Cell>
                  <Cell>{r.email}</Cell>
                  <Cell numeric>{number(r.permanent_failures, lang)}</Cell>
                  <Cell numeric>{number(held.get(r.id) ?? 0, lang)}</Cell>
                  <Cell>{when(r.updated_at, lang)}</Cell>
                  <Cell>
                    <PostForm ctx={ctx} action={`/staff/suspended/${r.id}/lift`}>
                      <button type="submit" class="button button--secondary button--small">
                        {t(lang, 'staff.suspended.lift')}<span class="visually-hidden"> {t(lang, 'staff.suspended.liftFor', { name: r.name })}</span>
                      </button>
                    </PostForm>
                  </Cell>
                </tr>
              ))}
            </DataTable>
          ) : <p>{t(lang, 'staff.suspended.none')}</p>}
        </>
      );
    });
  });

  router.post('/suspended/:companyId/lift', staff, ...formPost, async (req, res) => {
    const companyId = req.params.companyId;
    const lifted = await liftSuspensionOf(db, companyId);
    if (lifted === undefined) throw notFound('Company');
    if (lifted) await audit(db, res, 'company.lift-suspension', 'company', companyId);
    // Lifted already (by someone else, or a confirmation): the list says so by no longer showing it.
    seeOther(res, `/staff/suspended?lifted=${encodeURIComponent(companyId)}`);
  });

  // --- imports ----------------------------------------------------------------

  const importsPage = async (req: Request, res: Response, errors: FormErrors = {}, values: { format?: string } = {}) => {
    const recent = await auditPage(db, 20, { action: 'import.run' });
    const running = imports.running();
    page(req, res, { title: t('sv', 'staff.imports.title'), status: Object.keys(errors).length ? 400 : 200 }, (ctx) => {
      const { lang } = ctx;
      return (
        <>
          <StaffNav lang={lang} current="/staff/imports" />
          <h1>{t(lang, 'staff.imports.title')}</h1>
          <p>{t(lang, 'staff.imports.intro', { limit: config.importLimit })}</p>
          <ErrorSummary ctx={ctx} errors={errors} />
          <PostForm ctx={ctx} action="/staff/imports" enctype="multipart/form-data" novalidate>
            <TextField type="file" name="file" label={t(lang, 'staff.imports.file')} hint={t(lang, 'staff.imports.fileHint')} error={errors.file} />
            <SelectField name="format" label={t(lang, 'staff.imports.format')} value={values.format ?? 'auto'} error={errors.format}
              options={FORMATS.map((f) => ({ value: f, label: t(lang, `staff.imports.format.${f}`) }))} />
            <Button>{t(lang, 'staff.imports.upload')}</Button>
          </PostForm>
          {running.length ? (
            <>
              <h2>{t(lang, 'staff.imports.running')}</h2>
              <ul>{running.map((r) => <li key={r.id}><a href={`/staff/imports/${r.id}`}>{r.file}</a> ({percentOf(r)} %)</li>)}</ul>
            </>
          ) : null}
          <h2>{t(lang, 'staff.imports.recent')}</h2>
          {recent.length ? (
            <DataTable id="recent-imports" caption={t(lang, 'staff.imports.recentCaption')} numeric={[3, 4, 5, 6]}
              head={[t(lang, 'staff.imports.when'), t(lang, 'staff.imports.file'), t(lang, 'staff.audit.actor'), t(lang, 'staff.imports.new'),
                t(lang, 'staff.imports.updated'), t(lang, 'staff.imports.unchanged'), t(lang, 'staff.imports.rejected')]}>
              {recent.slice(0, 20).map((row) => {
                const d = JSON.parse(row.details) as { file?: string; new?: number; updated?: number; unchanged?: number; rejected?: number; error?: string | null };
                return (
                  <tr class="table__row" key={row.id}>
                    <Cell>{when(row.at, lang)}</Cell>
                    <Cell>{imports.get(row.object_id ?? '') ? <a href={`/staff/imports/${row.object_id}`}>{d.file}</a> : d.file}{d.error ? ` – ${t(lang, 'staff.imports.refused')}` : ''}</Cell>
                    <Cell>{row.email ?? '–'}</Cell>
                    <Cell numeric>{number(d.new ?? 0, lang)}</Cell>
                    <Cell numeric>{number(d.updated ?? 0, lang)}</Cell>
                    <Cell numeric>{number(d.unchanged ?? 0, lang)}</Cell>
                    <Cell numeric>{number((d.rejected ?? 0) + (d.error ? 1 : 0), lang)}</Cell>
                  </tr>
                );
              })}
            </DataTable>
          ) : <p>{t(lang, 'staff.imports.noneYet')}</p>}
        </>
      );
    });
  };

  router.get('/imports', staff, (req, res) => importsPage(req, res));

  // A multipart upload: read within the import limit, split, then the form token is checked (as formPost does for other forms).
  const upload: RequestHandler[] = [
    (req, res, next) => express.raw({ type: 'multipart/form-data', limit: config.importLimit })(req, res, (error?: unknown) => {
      if ((error as { type?: string } | undefined)?.type === 'entity.too.large') {
        res.locals.tooLarge = true;
        req.body = {};
        return next();
      }
      next(error);
    }),
    (req, res, next) => {
      const boundary = boundaryOf(req.headers['content-type']);
      const parsed = boundary && Buffer.isBuffer(req.body) ? parseMultipart(req.body, boundary) : null;
      res.locals.upload = parsed;
      if (parsed) req.body = parsed.fields;
      else if (!req.body || typeof req.body !== 'object' || Buffer.isBuffer(req.body)) req.body = {};
      next();
    },
    // A body over the limit was not read, so its token cannot be checked: it only gets the form back with the error, changing nothing.
    (req, res, next) => (res.locals.tooLarge ? next() : requireCsrf(req, res, next)),
  ];

  router.post('/imports', staff, ...upload, async (req, res) => {
    const lang = requestLang(req);
    const parsed = res.locals.upload as ReturnType<typeof parseMultipart>;
    const format = FORMATS.find((f) => f === (req.body as Record<string, string>).format);
    const file = parsed?.files.find((f) => f.field === 'file');
    const errors: FormErrors = {};
    if (res.locals.tooLarge) errors.file = t(lang, 'staff.imports.tooLarge', { limit: config.importLimit });
    else if (!file || !file.filename) errors.file = t(lang, 'staff.imports.noFile');
    else if (!file.data.length) errors.file = t(lang, 'staff.imports.emptyFile');
    if (!format) errors.format = t(lang, 'staff.imports.badFormat');
    if (Object.keys(errors).length || !file || !format) return importsPage(req, res, errors, { format: format ?? 'auto' });
    const { run, finished } = imports.start(actorOf(res), file.filename.slice(0, 200), Buffer.from(file.data), format);
    // A small file is done before the page is asked for: wait a moment so it opens on the summary.
    await Promise.race([finished, new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
    seeOther(res, `/staff/imports/${run.id}`);
  });

  router.get('/imports/:id', staff, (req, res) => {
    const run = imports.get(req.params.id);
    if (!run) throw notFound('Import');
    page(req, res, { title: t('sv', 'staff.import.title', { file: run.file }), scripts: run.state === 'running' ? ['staff-import'] : [] }, (ctx) => (
      <>
        <StaffNav lang={ctx.lang} current="/staff/imports" />
        <h1>{t(ctx.lang, 'staff.import.title', { file: run.file })}</h1>
        <ImportView ctx={ctx} run={run} />
        <p><a href="/staff/imports">{t(ctx.lang, 'staff.import.back')}</a></p>
      </>
    ));
  });

  /** For the page's script: how far the import has come. */
  router.get('/imports/:id/status', staff, (req, res) => {
    const run = imports.get(req.params.id);
    if (!run) throw notFound('Import');
    res.set('Cache-Control', 'no-store').json({ state: run.state, pass: run.pass, bytesRead: run.bytesRead, size: run.size, percent: percentOf(run) });
  });

  // --- the audit log -----------------------------------------------------------

  router.get('/audit', staff, async (req, res) => {
    const actions = await auditActions(db);
    const lang = requestLang(req);
    const parsed = auditQuerySchema.safeParse(req.query);
    const values = {
      actor: str(req.query.actor), action: str(req.query.action), from: str(req.query.from), to: str(req.query.to),
    };
    const labels = {
      actor: t(lang, 'staff.audit.actor'), action: t(lang, 'staff.audit.action'), from: t(lang, 'staff.audit.from'), to: t(lang, 'staff.audit.to'),
    };
    const errors: FormErrors = parsed.success ? {} : formErrors(parsed.error, lang, labels, { to: t(lang, 'staff.audit.toBeforeFrom') });
    if (!parsed.success && parsed.error.issues.some((i) => i.path[0] === 'from' || (i.path[0] === 'to' && i.code !== 'custom'))) {
      if (errors.from) errors.from = t(lang, 'staff.audit.badDate', { label: labels.from });
      if (errors.to && parsed.error.issues.some((i) => i.path[0] === 'to' && i.code !== 'custom')) errors.to = t(lang, 'staff.audit.badDate', { label: labels.to });
    }
    const q = parsed.success ? parsed.data : null;
    const rows = q
      ? await auditPage(db, PAGE_SIZE + 1, { // one more than a page tells that there is a next page
        actor: q.actor, action: q.action, from: q.from ? stockholmStart(q.from) : null,
        until: q.to ? stockholmStart(nextDay(q.to)) : null, before: q.before,
      })
      : [];
    const next = rows.length > PAGE_SIZE ? rows[PAGE_SIZE - 1].id : null;
    const params = (before?: string) => new URLSearchParams(Object.entries({ ...values, ...(before ? { before } : {}) }).filter(([, v]) => v)).toString();
    page(req, res, { title: t('sv', 'staff.audit.title'), status: q ? 200 : 400 }, (ctx) => (
      <>
        <StaffNav lang={ctx.lang} current="/staff/audit" />
        <h1>{t(ctx.lang, 'staff.audit.title')}</h1>
        <p>{t(ctx.lang, 'staff.audit.intro')}</p>
        <ErrorSummary ctx={ctx} errors={errors} />
        <form method="get" action="/staff/audit" class="filter-form" noValidate>
          <TextField name="actor" label={labels.actor} hint={t(ctx.lang, 'staff.audit.actorHint')} value={values.actor} error={errors.actor} />
          <SelectField name="action" label={labels.action} value={values.action} error={errors.action}
            options={[{ value: '', label: t(ctx.lang, 'staff.audit.anyAction') }, ...actions.map((a) => ({ value: a, label: a }))]} />
          <TextField type="date" name="from" label={labels.from} value={values.from} error={errors.from} />
          <TextField type="date" name="to" label={labels.to} value={values.to} error={errors.to} />
          <Button>{t(ctx.lang, 'staff.firms.show')}</Button>
        </form>
        {q ? (
          rows.length ? (
            <DataTable id="audit" caption={t(ctx.lang, 'staff.audit.caption')}
              head={[t(ctx.lang, 'staff.audit.when'), t(ctx.lang, 'staff.audit.actor'), t(ctx.lang, 'staff.audit.action'), t(ctx.lang, 'staff.audit.object'), t(ctx.lang, 'staff.audit.details')]}>
              {rows.slice(0, PAGE_SIZE).map((r) => {
                const details = JSON.parse(r.details) as Record<string, unknown>;
                return (
                  <tr class="table__row" key={r.id}>
                    <Cell>{when(r.at, ctx.lang)}</Cell>
                    <Cell>{r.email ?? (r.user_id ? t(ctx.lang, 'staff.audit.removedUser') : t(ctx.lang, 'staff.audit.commandLine'))}{r.roles ? ` (${r.roles})` : ''}</Cell>
                    <Cell>{r.action}</Cell>
                    <Cell>{r.object_type}{r.object_id ? ` ${r.object_id}` : ''}</Cell>
                    <Cell><code class="audit-details">{JSON.stringify(details)}</code></Cell>
                  </tr>
                );
              })}
            </DataTable>
          ) : <p>{t(ctx.lang, 'staff.audit.none')}</p>
        ) : null}
        <nav class="pagination" aria-label={t(ctx.lang, 'staff.pages.label')}>
          {q?.before ? <a href={`/staff/audit?${params()}`}>{t(ctx.lang, 'staff.pages.first')}</a> : null}
          {next ? <a href={`/staff/audit?${params(next)}`} rel="next">{t(ctx.lang, 'staff.pages.older')}</a> : null}
        </nav>
      </>
    ));
  });

  return router;
}

// --- the import's page ------------------------------------------------------

const REJECTED_SHOWN = 200;

function ImportView({ ctx, run }: { ctx: WebContext; run: ImportRun }) {
  const { lang } = ctx;
  if (run.state === 'running') {
    return (
      <div class="import-progress" data-status={`/staff/imports/${run.id}/status`}
        data-reading={t(lang, 'staff.import.reading', { percent: '{percent}' })} data-storing={t(lang, 'staff.import.storing', { percent: '{percent}' })}>
        <p id="import-status" role="status" aria-live="polite">
          {t(lang, run.pass > 1 ? 'staff.import.storing' : 'staff.import.reading', { percent: String(percentOf(run)) })}
        </p>
        <label for="import-meter">{t(lang, 'staff.import.progress')}</label>
        <progress id="import-meter" max={100} value={percentOf(run)}>{percentOf(run)} %</progress>
        <p>{t(lang, 'staff.import.refresh')}</p>
        <p><a href={`/staff/imports/${run.id}`}>{t(lang, 'staff.import.refreshLink')}</a></p>
      </div>
    );
  }
  if (run.state === 'failed' || !run.result) return <Notice kind="error">{t(lang, 'staff.import.failed')}</Notice>;
  const r = run.result;
  return (
    <>
      {r.error
        ? <Notice kind="error">{t(lang, 'staff.import.refused', { reason: r.error })}</Notice>
        : <Notice>{t(lang, 'staff.import.done', { format: r.format ?? '–' })}</Notice>}
      <DataTable id="import-summary" caption={t(lang, 'staff.import.summary')} numeric={[1]} head={[t(lang, 'staff.import.outcome'), t(lang, 'staff.import.count')]}>
        {([['staff.imports.new', r.new], ['staff.imports.updated', r.updated], ['staff.imports.unchanged', r.unchanged], ['staff.imports.rejected', r.rejected.length]] as [MessageKey, number][])
          .map(([key, n]) => <tr class="table__row" key={key}><Cell>{t(lang, key)}</Cell><Cell numeric>{number(n, lang)}</Cell></tr>)}
      </DataTable>
      {r.rejected.length ? (
        <>
          <h2>{t(lang, 'staff.import.rejectedHeading')}</h2>
          <DataTable id="import-rejected" caption={t(lang, 'staff.import.rejectedCaption')} head={[t(lang, 'staff.import.ref'), t(lang, 'staff.import.reason')]}>
            {r.rejected.slice(0, REJECTED_SHOWN).map((x, i) => <tr class="table__row" key={i}><Cell>{x.ref}</Cell><Cell>{x.reason}</Cell></tr>)}
          </DataTable>
          {r.rejected.length > REJECTED_SHOWN ? <p>{t(lang, 'staff.import.more', { n: number(r.rejected.length - REJECTED_SHOWN, lang) })}</p> : null}
        </>
      ) : null}
    </>
  );
}

// --- helpers -----------------------------------------------------------------

const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

type DirectoryQuery = { area: string; division: string | null; capability: string | null; page: number };

function directoryQuery(query: Request['query'], localArea: string[]): DirectoryQuery {
  const area = str(query.area);
  const division = str(query.category);
  const capability = str(query.csr);
  const pageNo = Number.parseInt(str(query.page), 10);
  return {
    area: area === 'all' || localArea.includes(area) ? area : 'local',
    division: Object.hasOwn(CPV_DIVISIONS, division) ? division : null,
    capability: isCapability(capability) ? capability : null,
    page: Number.isFinite(pageNo) && pageNo > 0 && pageNo < 100_000 ? pageNo : 1,
  };
}

const directoryParams = (q: DirectoryQuery) => new URLSearchParams(Object.entries({
  area: q.area === 'local' ? '' : q.area, category: q.division ?? '', csr: q.capability ?? '', page: q.page > 1 ? String(q.page) : '',
}).filter(([, v]) => v)).toString();

const emailStatusKey = (status: string): MessageKey =>
  status === 'confirmed' ? 'staff.status.confirmed' : status === 'suspended' ? 'staff.status.suspended' : 'staff.status.unconfirmed';

const day = z.union([z.literal(''), z.iso.date()]).optional();
const auditQuerySchema = z.object({
  actor: z.string().trim().max(254).optional(),
  action: z.string().trim().max(100).optional(),
  from: day,
  to: day,
  before: z.string().regex(/^[0-9A-Z]{26}$/).optional().catch(undefined),
}).refine((q) => !q.from || !q.to || q.from <= q.to, { path: ['to'], message: 'to before from' });

/** Midnight at the start of a day in Swedish time, as a UTC instant. */
function stockholmStart(date: string): string {
  const noonUtc = new Date(`${date}T00:00:00Z`);
  const offset = new Intl.DateTimeFormat('en', { timeZone: 'Europe/Stockholm', timeZoneName: 'longOffset' })
    .formatToParts(noonUtc).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const match = /GMT([+-]\d{2}):?(\d{2})?/.exec(offset);
  return new Date(`${date}T00:00:00${match ? `${match[1]}:${match[2] ?? '00'}` : 'Z'}`).toISOString();
}

const nextDay = (date: string) => new Date(Date.parse(`${date}T12:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

type QueueRow = { name: string; counts: Record<(typeof QUEUE_STATES)[number], number> };

/** Jobs per queue by state, or null when Redis does not answer in time. */
async function queueCounts(producer: Producer): Promise<QueueRow[] | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((resolve) => { timer = setTimeout(() => resolve(null), QUEUE_TIMEOUT_MS); });
  try {
    return await Promise.race([
      Promise.all(QUEUES.map(async (name) => {
        const counts = await producer.queue(name).getJobCounts(...QUEUE_STATES);
        return { name, counts: Object.fromEntries(QUEUE_STATES.map((s) => [s, counts[s] ?? 0])) as QueueRow['counts'] };
      })),
      timeout,
    ]);
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
  }
}
