// The e-mails Brygga sends, in Swedish or English, as plain text and HTML.
// Every notice is shown the same way: buyer, deadline, value, CSR criteria,
// why the firm got it, and a link.
import { criterionLabel, requirementLabel } from '../domain/csr.ts';
import type { Reason } from '../domain/match.ts';
import { formatDateTime, formatMoney, t, type Lang } from '../i18n/messages.ts';
import type { Notice } from '../notices/notice.schema.ts';
import { escapeHtml } from '../web/html.ts';

export type Rendered = { subject: string; text: string; html: string };
export type MailNotice = { notice: Notice; reasons: Reason[]; url: string; changedFields?: string[] };
export type UnsubscribeLink = { label: string; url: string };

function facts(lang: Lang, { notice }: MailNotice): [string, string][] {
  const rows: [string, string][] = [
    [t(lang, 'notice.buyer'), notice.buyer.name],
    [t(lang, 'notice.deadline'), notice.deadline ? formatDateTime(notice.deadline, lang) : t(lang, 'notice.noDeadline')],
  ];
  if (notice.estimatedValue) rows.push([t(lang, 'notice.value'), formatMoney(notice.estimatedValue, lang)]);
  const c = notice.criteria;
  const csr = [
    ...c.requirements.map((r) => requirementLabel(r)[lang]),
    ...(['strategic', 'social', 'green', 'reserved'] as const).flatMap((kind) => c[kind].map((code) => criterionLabel(kind, code)[lang])),
  ];
  if (csr.length) rows.push([t(lang, 'notice.criteria'), [...new Set(csr)].join(', ')]);
  return rows;
}

function noticeText(lang: Lang, item: MailNotice): string {
  return [
    item.notice.title,
    ...facts(lang, item).map(([k, v]) => `  ${k}: ${v}`),
    ...(item.changedFields?.length ? [`  ${t(lang, 'mail.digest.changedFields', { fields: item.changedFields.join(', ') })}`] : []),
    ...item.reasons.map((r) => `  - ${r[lang]}`),
    `  ${item.url}`,
  ].join('\n');
}

function noticeHtml(lang: Lang, item: MailNotice): string {
  const changed = item.changedFields?.length
    ? `<p><strong>${escapeHtml(t(lang, 'mail.digest.changedFields', { fields: item.changedFields.join(', ') }))}</strong></p>`
    : '';
  return `<div style="margin:0 0 1.5em">
<h3 style="margin:0 0 .3em"><a href="${escapeHtml(item.url)}">${escapeHtml(item.notice.title)}</a></h3>
<table>${facts(lang, item).map(([k, v]) => `<tr><th align="left" style="padding-right:1em">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('')}</table>
${changed}<ul>${item.reasons.map((r) => `<li>${escapeHtml(r[lang])}</li>`).join('')}</ul>
</div>`;
}

function page(lang: Lang, intro: string, body: string, unsubscribe: UnsubscribeLink[]): string {
  const links = unsubscribe.map((u) => `<a href="${escapeHtml(u.url)}">${escapeHtml(u.label)}</a>`).join(' · ');
  return `<!doctype html><html lang="${lang}"><body style="font-family:sans-serif;max-width:40em">
<p>${escapeHtml(intro)}</p>
${body}
<hr><p style="color:#555;font-size:.9em">${escapeHtml(t(lang, 'fairness'))}<br>${links}</p>
</body></html>`;
}

function footerText(lang: Lang, unsubscribe: UnsubscribeLink[]): string {
  return ['--', t(lang, 'fairness'), ...unsubscribe.map((u) => `${u.label}: ${u.url}`)].join('\n');
}

export function renderAlert(lang: Lang, company: string, item: MailNotice, unsubscribe: UnsubscribeLink[]): Rendered {
  const intro = t(lang, 'mail.alert.intro', { company });
  const deadline = item.notice.deadline;
  const subject = deadline
    ? t(lang, 'mail.alert.subjectDeadline', { title: item.notice.title, date: formatDateTime(deadline, lang) })
    : t(lang, 'mail.alert.subject', { title: item.notice.title });
  return {
    subject,
    text: [intro, '', noticeText(lang, item), '', footerText(lang, unsubscribe)].join('\n'),
    html: page(lang, intro, noticeHtml(lang, item), unsubscribe),
  };
}

export type DigestSections = { new: MailNotice[]; closing: MailNotice[]; changed: MailNotice[] };

export function renderDigest(
  lang: Lang,
  company: string,
  frequency: 'daily' | 'weekly',
  period: string,
  sections: DigestSections,
  unsubscribe: UnsubscribeLink[],
): Rendered {
  const intro = t(lang, 'mail.digest.intro', { company });
  const parts = (['new', 'closing', 'changed'] as const).filter((s) => sections[s].length);
  const summary = parts.map((s) => t(lang, `mail.digest.${s}`, { n: String(sections[s].length) })).join(', ');
  const shownPeriod = frequency === 'weekly' ? String(Number(period.split('-W')[1])) : period;
  const heading = (s: (typeof parts)[number]) => t(lang, `mail.digest.section.${s}`);
  return {
    subject: t(lang, `mail.digest.subject.${frequency}`, { period: shownPeriod, summary }),
    text: [
      intro, '',
      ...parts.flatMap((s) => [`== ${heading(s)} ==`, '', ...sections[s].map((item) => noticeText(lang, item) + '\n')]),
      footerText(lang, unsubscribe),
    ].join('\n'),
    html: page(lang, intro, parts.map((s) => `<h2>${escapeHtml(heading(s))}</h2>${sections[s].map((item) => noticeHtml(lang, item)).join('')}`).join(''), unsubscribe),
  };
}

export function renderConfirmation(lang: Lang, company: string, email: string, url: string): Rendered {
  const body = t(lang, 'mail.confirm.body', { company, email });
  return {
    subject: t(lang, 'mail.confirm.subject'),
    text: [body, '', `${t(lang, 'mail.confirm.link')}: ${url}`, '', t(lang, 'mail.confirm.ignore')].join('\n'),
    html: `<!doctype html><html lang="${lang}"><body style="font-family:sans-serif;max-width:40em"><p>${escapeHtml(body)}</p>
<p><a href="${escapeHtml(url)}">${escapeHtml(t(lang, 'mail.confirm.link'))}</a></p><p style="color:#555">${escapeHtml(t(lang, 'mail.confirm.ignore'))}</p></body></html>`,
  };
}
