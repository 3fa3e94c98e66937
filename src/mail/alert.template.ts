// The instant alert: what the notice is, when it closes, and why this firm got it.
import type { Reason } from '../domain/match.ts';
import { formatDateTime, formatMoney, t, type Lang } from '../i18n/messages.ts';
import type { Notice } from '../notices/notice.schema.ts';
import { escapeHtml } from '../web/html.ts';

export type AlertContent = { subject: string; text: string; html: string };

export function renderAlert(input: {
  lang: Lang;
  companyName: string;
  notice: Notice;
  reasons: Reason[];
  url: string;
}): AlertContent {
  const { lang, companyName, notice, reasons, url } = input;
  const facts: [string, string][] = [
    [t(lang, 'notice.buyer'), notice.buyer.name],
    [t(lang, 'notice.deadline'), notice.deadline ? formatDateTime(notice.deadline, lang) : t(lang, 'notice.noDeadline')],
  ];
  if (notice.estimatedValue) facts.push([t(lang, 'notice.value'), formatMoney(notice.estimatedValue, lang)]);
  const why = reasons.map((r) => r[lang]);
  const intro = t(lang, 'mail.alert.intro', { company: companyName });
  const footer = t(lang, 'mail.footer', { company: companyName });

  const text = [
    intro, '', notice.title, '',
    ...facts.map(([k, v]) => `${k}: ${v}`), '',
    `${t(lang, 'mail.alert.why')}:`, ...why.map((w) => `- ${w}`), '',
    `${t(lang, 'mail.alert.link')}: ${url}`, '', '--', footer, t(lang, 'fairness'),
  ].join('\n');

  const html = `<!doctype html><html lang="${lang}"><body>
<p>${escapeHtml(intro)}</p>
<h1 style="font-size:1.3em">${escapeHtml(notice.title)}</h1>
<table>${facts.map(([k, v]) => `<tr><th align="left">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('')}</table>
<h2 style="font-size:1.1em">${escapeHtml(t(lang, 'mail.alert.why'))}</h2>
<ul>${why.map((w) => `<li>${escapeHtml(w)}</li>`).join('')}</ul>
<p><a href="${escapeHtml(url)}">${escapeHtml(t(lang, 'mail.alert.link'))}</a></p>
<hr><p style="color:#555;font-size:.9em">${escapeHtml(footer)}<br>${escapeHtml(t(lang, 'fairness'))}</p>
</body></html>`;

  return { subject: t(lang, 'mail.alert.subject', { title: notice.title }), text, html };
}
