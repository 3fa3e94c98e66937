// The e-mails Brygga sends, in Swedish or English, as plain text and HTML.
// Every notice is shown the same way: buyer, deadline, value, CSR criteria,
// what changed, why the firm got it, and the links from alert to bid.
import { criterionLabel, requirementLabel } from '../domain/csr.ts';
import type { Reason } from '../domain/match.ts';
import { formatMoment, formatMoney, t, type Lang, type MessageKey } from '../i18n/messages.ts';
import type { Notice } from '../notices/notice.schema.ts';
import { escapeHtml } from '../domain/text.ts';

export type Rendered = { subject: string; text: string; html: string };
export type MailNotice = {
  notice: Notice;
  reasons: Reason[];
  url: string;
  /** Material changes in words (see change-text.ts). */
  changes?: string[];
};
export type UnsubscribeLink = { label: string; url: string };

/** A part of a message: its notices (at most MAX_PER_SECTION shown) and how many there are in all. */
export type Section = { heading: string | null; items: MailNotice[]; total: number };

export const MAX_PER_SECTION = 50;

type Message = {
  subject: string;
  intro: string;
  company: string;
  sections: Section[];
  /** Where "and N more" leads. */
  moreUrl: string;
  unsubscribe: UnsubscribeLink[];
};

function facts(lang: Lang, { notice }: MailNotice): [string, string][] {
  const rows: [string, string][] = [[t(lang, 'notice.buyer'), notice.buyer.name]];
  if (notice.reference) rows.push([t(lang, 'notice.reference'), notice.reference]);
  if (notice.kind !== 'planning' || notice.deadline) {
    rows.push([t(lang, 'notice.deadline'), notice.deadline ? formatMoment(notice.deadline, lang) : t(lang, 'notice.noDeadline')]);
  }
  if (notice.estimatedValue) rows.push([t(lang, 'notice.value'), formatMoney(notice.estimatedValue, lang)]);
  const c = notice.criteria;
  const csr = [
    ...c.requirements.map((r) => requirementLabel(r)[lang]),
    ...(['strategic', 'social', 'green', 'reserved'] as const).flatMap((kind) => c[kind].map((code) => criterionLabel(kind, code)[lang])),
  ];
  if (csr.length) rows.push([t(lang, 'notice.criteria'), [...new Set(csr)].join(', ')]);
  return rows;
}

/** "Läs hela upphandlingen" first, then the buyer's own documents, submission and the official notice. */
function links(lang: Lang, item: MailNotice): [string, string][] {
  const { documents, submission, source } = item.notice.links;
  const rows: [string, string | null][] = [
    [t(lang, 'mail.alert.link'), item.url],
    [t(lang, 'notice.documents'), documents],
    [t(lang, 'notice.submission'), submission],
    [t(lang, 'notice.source'), source],
  ];
  return rows.filter((r): r is [string, string] => r[1] !== null);
}

function noticeText(lang: Lang, item: MailNotice): string {
  return [
    item.notice.title,
    ...facts(lang, item).map(([k, v]) => `  ${k}: ${v}`),
    ...(item.changes?.length ? ['', ...item.changes.map((c) => `  * ${c}`)] : []),
    ...(item.reasons.length ? ['', `  ${t(lang, 'mail.alert.why')}:`, ...item.reasons.map((r) => `  - ${r[lang]}`)] : []),
    '',
    ...links(lang, item).map(([k, v]) => `  ${k}: ${v}`),
  ].join('\n');
}

function noticeHtml(lang: Lang, item: MailNotice): string {
  const [read, ...more] = links(lang, item);
  const changes = item.changes?.length ? `<ul>${item.changes.map((c) => `<li><strong>${escapeHtml(c)}</strong></li>`).join('')}</ul>` : '';
  const why = item.reasons.length
    ? `<p style="margin:.5em 0 0">${escapeHtml(t(lang, 'mail.alert.why'))}:</p><ul>${item.reasons.map((r) => `<li>${escapeHtml(r[lang])}</li>`).join('')}</ul>`
    : '';
  return `<div style="margin:0 0 1.5em">
<h3 style="margin:0 0 .3em"><a href="${escapeHtml(read[1])}">${escapeHtml(item.notice.title)}</a></h3>
<table>${facts(lang, item).map(([k, v]) => `<tr><th align="left" style="padding-right:1em">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('')}</table>
${changes}${why}<p><a href="${escapeHtml(read[1])}">${escapeHtml(read[0])}</a>${more.map(([k, v]) => ` · <a href="${escapeHtml(v)}">${escapeHtml(k)}</a>`).join('')}</p>
</div>`;
}


export function render(lang: Lang, m: Message): Rendered {
  const shown = (s: Section) => s.items.slice(0, MAX_PER_SECTION);
  const hidden = (s: Section) => s.total > shown(s).length;
  const moreText = (s: Section) => t(lang, 'mail.more', { n: String(s.total - shown(s).length) });
  const footer = t(lang, 'mail.footer', { company: m.company });
  const text = [
    m.intro,
    '',
    ...m.sections.flatMap((s) => [
      ...(s.heading ? [`== ${s.heading} ==`, ''] : []),
      ...shown(s).map((item) => noticeText(lang, item) + '\n'),
      ...(hidden(s) ? [`… ${moreText(s)}: ${m.moreUrl}`, ''] : []),
    ]),
    '--',
    footer,
    t(lang, 'fairness'),
    ...m.unsubscribe.map((u) => `${u.label}: ${u.url}`),
  ].join('\n');
  const body = m.sections
    .map((s) => [
      s.heading ? `<h2>${escapeHtml(s.heading)}</h2>` : '',
      ...shown(s).map((item) => noticeHtml(lang, item)),
      hidden(s) ? `<p>… <a href="${escapeHtml(m.moreUrl)}">${escapeHtml(moreText(s))}</a></p>` : '',
    ].join(''))
    .join('');
  const unsubscribe = m.unsubscribe.map((u) => `<a href="${escapeHtml(u.url)}">${escapeHtml(u.label)}</a>`).join(' · ');
  const html = `<!doctype html><html lang="${lang}"><body style="font-family:sans-serif;max-width:40em">
<p>${escapeHtml(m.intro)}</p>
${body}
<hr><p style="color:#555;font-size:.9em">${escapeHtml(footer)}<br>${escapeHtml(t(lang, 'fairness'))}<br>${unsubscribe}</p>
</body></html>`;
  return { subject: m.subject, text, html };
}

/** "1 ny upphandling" / "3 nya upphandlingar": the key's .one or .many form. */
export function counted(lang: Lang, key: string, n: number): string {
  return t(lang, `${key}.${n === 1 ? 'one' : 'many'}` as MessageKey, { n: String(n) });
}

/** "A, B och C". */
export function listed(lang: Lang, parts: string[]): string {
  return parts.length <= 1 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} ${t(lang, 'mail.and')} ${parts[parts.length - 1]}`;
}

export function renderConfirmation(lang: Lang, company: string, email: string, url: string, days: number): Rendered {
  return plainMessage(lang, t(lang, 'mail.confirm.subject'), [
    t(lang, 'mail.confirm.body', { company, email }),
    { label: t(lang, 'mail.confirm.link'), url },
    t(lang, 'mail.confirm.expires', { days: String(days) }),
    { muted: t(lang, 'mail.confirm.ignore') },
  ]);
}

/**
 * A registration named what Brygga knows: a registered firm (told to its
 * owners) or an address that is already a user's (told to that address).
 * Only stored facts and fixed sentences: nothing the registrant typed.
 */
export function renderRegistrationAttempt(lang: Lang, known: { firm: string } | { email: string }): Rendered {
  if ('firm' in known) {
    return plainMessage(lang, t(lang, 'mail.known.firm.subject'), [
      t(lang, 'mail.known.firm.body', { company: known.firm }),
      t(lang, 'mail.known.firm.colleague'),
      { muted: t(lang, 'mail.known.ignore') },
    ]);
  }
  return plainMessage(lang, t(lang, 'mail.known.address.subject'), [
    t(lang, 'mail.known.address.body', { email: known.email }),
    t(lang, 'mail.known.address.you'),
    { muted: t(lang, 'mail.known.ignore') },
  ]);
}

type Paragraph = string | { label: string; url: string } | { muted: string };

/** A short message of paragraphs (and at most a link or two), as text and HTML. */
function plainMessage(lang: Lang, subject: string, paragraphs: Paragraph[]): Rendered {
  const text = paragraphs.map((p) => (typeof p === 'string' ? p : 'url' in p ? `${p.label}: ${p.url}` : p.muted)).join('\n\n');
  const html = paragraphs
    .map((p) => typeof p === 'string' ? `<p>${escapeHtml(p)}</p>`
      : 'url' in p ? `<p><a href="${escapeHtml(p.url)}">${escapeHtml(p.label)}</a></p>`
        : `<p style="color:#555">${escapeHtml(p.muted)}</p>`)
    .join('\n');
  return { subject, text, html: `<!doctype html><html lang="${lang}"><body style="font-family:sans-serif;max-width:40em">${html}</body></html>` };
}
