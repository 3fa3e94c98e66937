/** @jsxRuntime automatic @jsxImportSource preact */
// The firm's delivery history: every e-mail Brygga sent it (or tried to), when,
// of what kind and why — the notices each told it about and in which section.
// Read from the delivery ledger (src/mail/ledger.repo.ts), newest first.
import type { Db } from '../../../db/database.ts';
import type { SecuredRouter } from '../../http/secured-router.ts';
import { formatDateTime, t, type MessageKey } from '../../i18n/messages.ts';
import { deliveryHistory } from '../../mail/ledger.repo.ts';
import { requestLang } from '../context.ts';
import { page } from '../render.tsx';
import { companyOf, firmPages, FirmNav } from './firm-nav.tsx';

const PAGE_SIZE = 50;
const known = (prefix: string, value: string, keys: string[]) => (keys.includes(value) ? (`${prefix}.${value}` as MessageKey) : null);

export function deliveryRoutes(router: SecuredRouter, db: Db) {
  router.get('/firm/deliveries', firmPages, async (req, res) => {
    const lang = requestLang(req);
    const pageNo = Math.min(Math.max(Number.parseInt(String(req.query.page ?? '1'), 10) || 1, 1), 10_000);
    const rows = await deliveryHistory(db, companyOf(res), PAGE_SIZE + 1, (pageNo - 1) * PAGE_SIZE);
    const more = rows.length > PAGE_SIZE;
    page(req, res, { title: t(lang, 'web.firm.deliveries.title') }, (ctx) => (
      <>
        <FirmNav ctx={ctx} />
        <h1>{t(lang, 'web.firm.deliveries.title')}</h1>
        <p>{t(lang, 'web.firm.deliveries.intro')}</p>
        {rows.length === 0 ? <p>{t(lang, 'web.firm.deliveries.none')}</p> : (
          <div class="table-scroll">
            <table class="table">
              <thead class="table__head">
                <tr class="table__row">
                  <th scope="col" class="table__column">{t(lang, 'web.firm.deliveries.when')}</th>
                  <th scope="col" class="table__column">{t(lang, 'web.firm.deliveries.what')}</th>
                  <th scope="col" class="table__column">{t(lang, 'web.firm.deliveries.status')}</th>
                  <th scope="col" class="table__column">{t(lang, 'web.firm.deliveries.notices')}</th>
                </tr>
              </thead>
              <tbody class="table__body">
                {rows.slice(0, PAGE_SIZE).map((d) => {
                  const kind = known('web.firm.kind', d.kind, ['instant', 'change', 'opening', 'reminder', 'daily', 'weekly', 'confirm']);
                  const status = known('web.firm.status', d.status, ['sent', 'pending', 'sending', 'failed', 'held', 'released']);
                  return (
                    <tr key={d.id} class="table__row">
                      <td class="table__column">{formatDateTime(d.sent_at ?? d.created_at, lang)}</td>
                      <td class="table__column">{kind ? t(lang, kind) : d.kind}</td>
                      <td class="table__column">{status ? t(lang, status) : d.status}</td>
                      <td class="table__column">
                        {d.items.length ? (
                          <ul>
                            {d.items.map((i) => {
                              const section = known('web.firm.section', i.section, ['new', 'closing', 'changed', 'reminder']);
                              return (
                                <li key={`${i.notice_id}-${i.section}`}>
                                  {i.title ? <a href={`/notices/${i.notice_id}`}>{i.title}</a> : i.notice_id} ({section ? t(lang, section) : i.section})
                                </li>
                              );
                            })}
                          </ul>
                        ) : null}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
        {pageNo > 1 || more ? (
          <nav aria-label={t(lang, 'web.firm.page.label')} class="pager">
            {pageNo > 1 ? <a href={`/firm/deliveries?page=${pageNo - 1}`}>{t(lang, 'web.firm.page.previous')}</a> : null}{' '}
            {more ? <a href={`/firm/deliveries?page=${pageNo + 1}`}>{t(lang, 'web.firm.page.next')}</a> : null}
          </nav>
        ) : null}
      </>
    ));
  });
}
