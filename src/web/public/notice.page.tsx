/** @jsxRuntime automatic @jsxImportSource preact */
// A notice's page: every fact Brygga holds about it, in words rather than codes.
import type { ComponentChildren } from 'preact';
import { cpvLabel } from '../../domain/cpv.ts';
import { criterionLabel, requirementLabel } from '../../domain/csr.ts';
import { formatDate, formatDateTime, formatMoment, formatMoney, messages, t, type Lang, type MessageKey } from '../../i18n/messages.ts';
import { describeChanges } from '../../mail/change-text.ts';
import type { NoticeChange } from '../../notices/notice-changes.repo.ts';
import type { Notice } from '../../notices/notice.schema.ts';
import type { WebContext } from '../context.ts';
import { codeLabel, StatusBadge } from './search.page.tsx';

export type NoticeStatus = 'open' | 'closed' | 'awarded' | 'withdrawn';
type Money = { amount: number; currency: string } | null | undefined;
type CpvSet = { main: string; additional: string[] } | null | undefined;

/** "45214200 Byggarbeten för skolor", or "45214200 (within Bygg- och anläggningsarbeten)" without the full list. */
export function cpvText(code: string, lang: Lang): string {
  const label = cpvLabel(code, lang);
  if (!label.text) return code;
  return label.exact ? `${code} ${label.text}` : `${code} (${t(lang, 'pub.cpv.within', { division: label.text })})`;
}

const cpvCodes = (set: CpvSet) => (set ? [set.main, ...set.additional] : []);
const money = (m: Money, lang: Lang) => (m ? formatMoney(m, lang) : t(lang, 'pub.notice.noValue'));
/** Only web addresses become links (the schema allows nothing else; stored data is checked again). */
const safeUrl = (url: string | null | undefined) => (url && /^https?:\/\//i.test(url) ? url : null);

function fieldName(lang: Lang, field: string): string {
  const key = `pub.field.${field}`;
  return Object.hasOwn(messages[lang], key) ? t(lang, key as MessageKey) : t(lang, 'pub.field.other');
}

export function NoticePage({ ctx, notice: n, status, changes, createdAt }: {
  ctx: WebContext; notice: Notice & { status: string }; status: NoticeStatus; changes: NoticeChange[]; createdAt: string;
}) {
  const { lang } = ctx;
  const facts: [string, ComponentChildren][] = [
    [t(lang, 'pub.notice.status'), <StatusBadge lang={lang} status={status} />],
    [t(lang, 'notice.buyer'), n.buyer.orgNumber ? `${n.buyer.name} (${t(lang, 'pub.notice.orgNumber', { orgnr: formatOrgNumber(n.buyer.orgNumber) })})` : n.buyer.name],
    [t(lang, 'pub.notice.kind'), codeLabel(lang, 'pub.kind', n.kind)],
  ];
  if (n.procedure) facts.push([t(lang, 'pub.notice.procedure'), codeLabel(lang, 'pub.procedure', n.procedure)]);
  facts.push([t(lang, 'notice.deadline'), n.deadline ? formatMoment(n.deadline, lang) : t(lang, 'notice.noDeadline')]);
  if (n.estimatedValue) facts.push([t(lang, 'notice.value'), formatMoney(n.estimatedValue, lang)]);
  facts.push([t(lang, 'pub.notice.mainCpv'), cpvText(n.cpv.main, lang)]);
  if (n.cpv.additional.length) facts.push([t(lang, 'pub.notice.additionalCpv'), <ul class="plain-list">{n.cpv.additional.map((c) => <li key={c}>{cpvText(c, lang)}</li>)}</ul>]);
  const place = [n.placeOfPerformance?.town, n.placeOfPerformance?.postalCode, ...(n.placeOfPerformance?.nuts ?? [])].filter(Boolean);
  if (place.length) facts.push([t(lang, 'pub.notice.place'), place.join(', ')]);
  if (n.reference) facts.push([t(lang, 'notice.reference'), n.reference]);
  if (n.procedureId) facts.push([t(lang, 'pub.notice.procedureId'), n.procedureId]);
  if (n.publishedAt) facts.push([t(lang, 'notice.published'), formatDateTime(n.publishedAt, lang)]);
  facts.push([t(lang, 'pub.notice.sourceName'), codeLabel(lang, 'pub.notice.source', n.source)]);

  return (
    <>
      <h1 lang={n.language && n.language !== lang && /^[a-z]{2}$/.test(n.language) ? n.language : undefined}>{n.title}</h1>
      {status === 'withdrawn' ? (
        <div class="message-box message-box--warning" role="status">
          <div class="message-box__content">
            <h2 class="message-box__heading">{t(lang, 'pub.notice.withdrawn.title')}</h2>
            <p>{t(lang, 'pub.notice.withdrawn.text')}</p>
          </div>
        </div>
      ) : null}
      <h2>{t(lang, 'pub.notice.facts')}</h2>
      <dl class="facts">
        {facts.map(([term, value], i) => <div key={i} class="facts__row"><dt>{term}</dt><dd>{value}</dd></div>)}
      </dl>
      {n.description ? (
        <>
          <h2>{t(lang, 'pub.notice.description')}</h2>
          <p class="notice-description">{n.description}</p>
        </>
      ) : null}
      <Links lang={lang} links={n.links} />
      {n.lots.length ? <Lots lang={lang} lots={n.lots} /> : null}
      <Criteria lang={lang} criteria={n.criteria} />
      <Awards lang={lang} notice={n} />
      <History lang={lang} changes={changes} createdAt={createdAt} />
      <p><a href="/">{t(lang, 'notice.back')}</a></p>
    </>
  );
}

function formatOrgNumber(digits: string): string {
  return /^\d{10}$/.test(digits) ? `${digits.slice(0, 6)}-${digits.slice(6)}` : digits;
}

function Links({ lang, links }: { lang: Lang; links: Notice['links'] }) {
  const items = ([['documents', 'notice.documents'], ['submission', 'notice.submission'], ['source', 'notice.source']] as const)
    .map(([key, label]) => [safeUrl(links?.[key]), label] as const)
    .filter(([url]) => url);
  return (
    <>
      <h2>{t(lang, 'pub.notice.links')}</h2>
      {items.length ? (
        <ul>
          {items.map(([url, label]) => (
            <li key={label}><a class="anchor" href={url!} rel="noopener noreferrer">{t(lang, label)}</a> <span class="meta">{t(lang, 'pub.notice.links.external')}</span></li>
          ))}
        </ul>
      ) : <p>{t(lang, 'pub.notice.links.none')}</p>}
    </>
  );
}

function Lots({ lang, lots }: { lang: Lang; lots: Notice['lots'] }) {
  return (
    <>
      <h2>{t(lang, 'pub.notice.lots')}</h2>
      <div class="table-scroll">
        <table class="table">
          <thead>
            <tr class="table__row">
              <th scope="col" class="table__column">{t(lang, 'pub.notice.lot')}</th>
              <th scope="col" class="table__column">{t(lang, 'pub.notice.lotTitle')}</th>
              <th scope="col" class="table__column">{t(lang, 'pub.notice.lotCpv')}</th>
              <th scope="col" class="table__column">{t(lang, 'pub.notice.lotValue')}</th>
            </tr>
          </thead>
          <tbody>
            {lots.map((lot) => (
              <tr key={lot.id} class="table__row">
                <td class="table__column">{lot.id}</td>
                <td class="table__column">{lot.title ?? ''}</td>
                <td class="table__column">
                  <ul class="plain-list">{cpvCodes(lot.cpv).map((c) => <li key={c}>{cpvText(c, lang)}</li>)}</ul>
                </td>
                <td class="table__column">{money(lot.estimatedValue, lang)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function Criteria({ lang, criteria: c }: { lang: Lang; criteria: Notice['criteria'] }) {
  const groups = [
    { key: 'requirements', codes: c.requirements, label: (code: string) => requirementLabel(code)[lang] },
    ...(['strategic', 'social', 'green', 'gpp'] as const).map((kind) => ({ key: kind, codes: c[kind], label: (code: string) => criterionLabel(kind, code)[lang] })),
  ].filter((g) => g.codes.length);
  const any = groups.length > 0 || c.smeSuitable !== null;
  return (
    <>
      <h2>{t(lang, 'pub.notice.criteria')}</h2>
      {any ? <p>{t(lang, 'pub.notice.criteria.intro')}</p> : <p>{t(lang, 'pub.notice.criteria.none')}</p>}
      {groups.map((g) => (
        <section key={g.key} class="criteria-group" aria-labelledby={`criteria-${g.key}`}>
          <h3 id={`criteria-${g.key}`}>{t(lang, `pub.notice.criteria.${g.key}` as MessageKey)}</h3>
          <p class="meta">{t(lang, `pub.notice.criteria.${g.key}.explain` as MessageKey)}</p>
          <ul>{g.codes.map((code) => <li key={code}>{g.label(code)}</li>)}</ul>
        </section>
      ))}
      {c.smeSuitable !== null ? <p>{t(lang, c.smeSuitable ? 'pub.notice.sme.yes' : 'pub.notice.sme.no')}</p> : null}
      <h3>{t(lang, 'pub.notice.reserved')}</h3>
      {c.reserved.length ? (
        <div class="message-box message-box--info">
          <div class="message-box__content">
            <p><strong>{t(lang, 'pub.notice.reserved.yes')}</strong></p>
            <ul>{c.reserved.map((code) => <li key={code}>{criterionLabel('reserved', code)[lang]}</li>)}</ul>
            <p>{t(lang, 'pub.notice.reserved.explain')}</p>
          </div>
        </div>
      ) : <p>{t(lang, 'pub.notice.reserved.no')}</p>}
    </>
  );
}

function Awards({ lang, notice: n }: { lang: Lang; notice: Notice }) {
  const lotTitle = (id: string | null) => (id ? `${id}${n.lots.find((l) => l.id === id)?.title ? ` ${n.lots.find((l) => l.id === id)!.title}` : ''}` : t(lang, 'pub.notice.whole'));
  return (
    <>
      <h2>{t(lang, 'pub.notice.awards')}</h2>
      {n.awards.length ? (
        <div class="table-scroll">
          <table class="table">
            <thead>
              <tr class="table__row">
                <th scope="col" class="table__column">{t(lang, 'pub.notice.award.winner')}</th>
                <th scope="col" class="table__column">{t(lang, 'pub.notice.award.lot')}</th>
                <th scope="col" class="table__column">{t(lang, 'pub.notice.award.value')}</th>
                <th scope="col" class="table__column">{t(lang, 'pub.notice.award.tenders')}</th>
              </tr>
            </thead>
            <tbody>
              {n.awards.map((a, i) => (
                <tr key={i} class="table__row">
                  <td class="table__column">
                    {a.winner.name}
                    {a.winner.orgNumber ? <><br /><span class="meta">{t(lang, 'pub.notice.orgNumber', { orgnr: formatOrgNumber(a.winner.orgNumber) })}</span></> : null}
                    {a.winner.size ? <><br /><span class="meta">{t(lang, `pub.notice.award.size.${a.winner.size}`)}</span></> : null}
                  </td>
                  <td class="table__column">{lotTitle(a.lotId)}</td>
                  <td class="table__column">{money(a.value, lang)}{a.date ? <><br /><span class="meta">{formatDate(a.date, lang)}</span></> : null}</td>
                  <td class="table__column">{a.tendersReceived ?? '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : <p>{t(lang, 'pub.notice.awards.none')}</p>}
    </>
  );
}

function History({ lang, changes, createdAt }: { lang: Lang; changes: NoticeChange[]; createdAt: string }) {
  return (
    <>
      <h2>{t(lang, 'pub.notice.history')}</h2>
      {changes.length ? null : <p>{t(lang, 'pub.notice.history.none')}</p>}
      <ol class="history" reversed>
        {[...changes].reverse().map((c) => {
          const material = describeChanges(c.details, c.reason, lang);
          const minor = c.fields.filter((f) => !c.details.some((d) => d.field === f));
          const minorNames = [...new Set(minor.map((f) => fieldName(lang, f)))];
          return (
            <li key={c.revision}>
              <p class="history__when"><strong>{formatDateTime(c.at, lang)}</strong> <span class="meta">{t(lang, 'pub.notice.history.revision', { n: String(c.revision) })}</span></p>
              {material.length ? <ul>{material.map((line, i) => <li key={i}>{line}</li>)}</ul> : null}
              {minorNames.length ? <p>{t(lang, 'pub.notice.history.minor', { fields: minorNames.join(', ') })}</p> : null}
            </li>
          );
        })}
        <li>
          <p class="history__when"><strong>{formatDateTime(createdAt, lang)}</strong></p>
          <p>{t(lang, 'pub.notice.history.created')}</p>
        </li>
      </ol>
    </>
  );
}
