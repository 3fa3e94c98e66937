/** @jsxRuntime automatic @jsxImportSource preact */
// Pieces the staff and admin pages share: a table in FKUI's markup that
// scrolls sideways on a narrow screen (and can be reached and scrolled with
// the keyboard), a status message after a form, and small formatters.
import type { ComponentChildren } from 'preact';
import { formatDateTime, t, type Lang } from '../../i18n/messages.ts';

export function DataTable({ id, caption, head, numeric = [], children }: {
  id: string; caption: string; head: string[]; numeric?: number[]; children: ComponentChildren;
}) {
  return (
    <div class="table__scroll data-table" role="region" aria-labelledby={`${id}-caption`} tabIndex={0}>
      <table class="table table--striped" id={id}>
        <caption id={`${id}-caption`} class="table-caption">{caption}</caption>
        <thead>
          <tr class="table__row">
            {head.map((h, i) => <th key={h} scope="col" class={`table__column ${numeric.includes(i) ? 'table__column--numeric' : 'table__column--text'}`}>{h}</th>)}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

/** A cell; `numeric` aligns numbers to the right. */
export const Cell = ({ children, numeric }: { children?: ComponentChildren; numeric?: boolean }) => (
  <td class={`table__column ${numeric ? 'table__column--numeric' : 'table__column--text'}`}>{children}</td>
);

/** A success message after a form (role=status, read out when it appears). */
export const Notice = ({ children, kind = 'success' }: { children: ComponentChildren; kind?: 'success' | 'error' | 'info' }) => (
  <div class={`message-box message-box--${kind} page-message`} role={kind === 'error' ? 'alert' : 'status'}>
    <div class="message-box__content"><p>{children}</p></div>
  </div>
);

export const number = (n: number, lang: Lang) => n.toLocaleString(lang === 'sv' ? 'sv-SE' : 'en-GB');
export const when = (iso: string | null, lang: Lang) => (iso ? formatDateTime(iso, lang) : '–');

/** The links at the top of each staff page: where else to go. */
export function StaffNav({ lang, current }: { lang: Lang; current: string }) {
  const links: [string, Parameters<typeof t>[1]][] = [
    ['/staff', 'staff.nav.start'], ['/staff/firms', 'staff.nav.firms'], ['/staff/suspended', 'staff.nav.suspended'],
    ['/staff/imports', 'staff.nav.imports'], ['/staff/queues', 'staff.nav.queues'], ['/staff/audit', 'staff.nav.audit'],
  ];
  return (
    <nav class="sub-nav" aria-label={t(lang, 'staff.nav.label')}>
      <ul>
        {links.map(([href, key]) => (
          <li key={href}><a href={href} aria-current={href === current ? 'page' : undefined}>{t(lang, key)}</a></li>
        ))}
      </ul>
    </nav>
  );
}
