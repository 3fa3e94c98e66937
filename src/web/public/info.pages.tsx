/** @jsxRuntime automatic @jsxImportSource preact */
// "Så fungerar Brygga" and the accessibility statement (tillgänglighetsredogörelse,
// in the structure of DIGG's model statement).
import { formatDate, t } from '../../i18n/messages.ts';
import type { WebContext } from '../context.ts';

/** When the statement was last reviewed (update with each assessment). */
export const ACCESSIBILITY_ASSESSED = '2026-11-30';
const DIGG_REPORT_URL = 'https://www.digg.se/tdosanmalan';

export function AboutPage({ ctx }: { ctx: WebContext }) {
  const { lang, principal } = ctx;
  return (
    <>
      <h1>{t(lang, 'pub.about.title')}</h1>
      <p class="lead">{t(lang, 'pub.about.intro')}</p>
      <h2>{t(lang, 'pub.about.fair.title')}</h2>
      <p>{t(lang, 'pub.about.fair.text1')}</p>
      <p>{t(lang, 'pub.about.fair.text2')}</p>
      <h2>{t(lang, 'pub.about.match.title')}</h2>
      <p>{t(lang, 'pub.about.match.text')}</p>
      <ul>
        <li>{t(lang, 'pub.about.match.cpv')}</li>
        <li>{t(lang, 'pub.about.match.csr')}</li>
        <li>{t(lang, 'pub.about.match.reserved')}</li>
        <li>{t(lang, 'pub.about.match.filters')}</li>
      </ul>
      <p>{t(lang, 'pub.about.match.score')}</p>
      <h2>{t(lang, 'pub.about.mail.title')}</h2>
      <p>{t(lang, 'pub.about.mail.text')}</p>
      <h2>{t(lang, 'pub.about.data.title')}</h2>
      <ul>
        <li>{t(lang, 'pub.about.data.notices')}</li>
        <li>{t(lang, 'pub.about.data.firms')}</li>
        <li>{t(lang, 'pub.about.data.regions')}</li>
        <li>{t(lang, 'pub.about.data.stats')}</li>
      </ul>
      <p>{t(lang, 'pub.about.data.rights')}</p>
      {principal ? null : <p><a href="/register">{t(lang, 'pub.about.start')}</a></p>}
    </>
  );
}

export function AccessibilityPage({ ctx, organisation, contact }: { ctx: WebContext; organisation: string; contact: string }) {
  const { lang } = ctx;
  const date = formatDate(ACCESSIBILITY_ASSESSED, lang);
  return (
    <>
      <h1>{t(lang, 'pub.a11y.title')}</h1>
      <p class="lead">{t(lang, 'pub.a11y.intro', { org: organisation })}</p>
      <h2>{t(lang, 'pub.a11y.status.title')}</h2>
      <p>{t(lang, 'pub.a11y.status.text')}</p>
      <h2>{t(lang, 'pub.a11y.contact.title')}</h2>
      <p>{t(lang, 'pub.a11y.contact.text')}</p>
      <p>{t(lang, 'pub.a11y.contact.mail')} <a href={`mailto:${contact}`}>{contact}</a></p>
      <h2>{t(lang, 'pub.a11y.report.title')}</h2>
      <p>{t(lang, 'pub.a11y.report.text')}</p>
      <h2>{t(lang, 'pub.a11y.enforcement.title')}</h2>
      <p>{t(lang, 'pub.a11y.enforcement.text')}</p>
      <p><a href={DIGG_REPORT_URL}>{t(lang, 'pub.a11y.enforcement.link')}</a></p>
      <h2>{t(lang, 'pub.a11y.technical.title')}</h2>
      <p><strong>{t(lang, 'pub.a11y.status.level')}</strong></p>
      <h3>{t(lang, 'pub.a11y.gaps.title')}</h3>
      <p>{t(lang, 'pub.a11y.gaps.text')}</p>
      <ul>
        <li>{t(lang, 'pub.a11y.gap.documents')}</li>
        <li>{t(lang, 'pub.a11y.gap.data')}</li>
        <li>{t(lang, 'pub.a11y.gap.mail')}</li>
        <li>{t(lang, 'pub.a11y.gap.queue')}</li>
      </ul>
      <h2>{t(lang, 'pub.a11y.method.title')}</h2>
      <p>{t(lang, 'pub.a11y.method.text')}</p>
      <p>{t(lang, 'pub.a11y.method.date', { date })}</p>
      <p class="meta">{t(lang, 'pub.a11y.updated', { date })}</p>
    </>
  );
}
