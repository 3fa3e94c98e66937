/** @jsxRuntime automatic @jsxImportSource preact */
// Suggestions from award history on the firm's pages (issue 16): the evidence
// ("Ni har vunnit 3 kontrakt inom …"), the categories firms winning the same
// things also win, and the subscription that lets the evidence decide. The
// same service as GET /api/companies/:id/suggestions (src/matching/
// suggestions.service.ts); the registration form and the profile only add
// their one-click buttons (plain form posts: it works without JavaScript).
import type { ComponentChildren } from 'preact';
import { cpvLabel } from '../../domain/cpv.ts';
import { t, type Lang } from '../../i18n/messages.ts';
import type { Suggestions } from '../../matching/suggestions.service.ts';

const named = (code: string, lang: Lang) => {
  const label = cpvLabel(code, lang).text;
  return label ? `${code} ${label}` : code;
};

/** The categories taking the suggestions adds: the codes won and the related categories. */
export function suggestedCategories(s: Suggestions): string[] {
  return [...new Set([...s.categories.map((c) => c.code), ...s.related.map((r) => r.code)])];
}

/** Adds the suggested categories to those chosen, at most `max` in all (the schema's limit). */
export function withSuggested(chosen: string[], s: Suggestions, max = 200): string[] {
  return [...new Set([...chosen, ...suggestedCategories(s)])].slice(0, max);
}

/** The evidence and the suggestions for a firm called `name`; `children` are the page's buttons. */
export function SuggestionsPanel({ suggestions: s, name, lang, children }: { suggestions: Suggestions; name: string; lang: Lang; children?: ComponentChildren }) {
  if (!s.wins) return <p class="suggestions__none">{t(lang, 'web.suggest.none', { name })}</p>;
  return (
    <div class="suggestions" data-suggestions="">
      <p>{t(lang, 'web.suggest.found', { n: String(s.wins), name })}</p>
      <h3>{t(lang, 'web.suggest.evidence')}</h3>
      <ul class="suggestions__list" data-suggestions-evidence="">
        {s.categories.map((c) => <li key={c.code}>{c.reason[lang]}</li>)}
      </ul>
      {s.related.length ? (
        <>
          <h3>{t(lang, 'web.suggest.related')}</h3>
          <ul class="suggestions__list" data-suggestions-related="">
            {s.related.map((r) => <li key={r.code}>{named(r.code, lang)}</li>)}
          </ul>
        </>
      ) : null}
      {s.subscription ? (
        <p>{t(lang, 'web.suggest.subscription', {
          name: s.subscription.name, codes: s.subscription.cpv.map((c) => named(c, lang)).join(', '), minScore: String(s.subscription.minScore),
        })}</p>
      ) : null}
      {children}
    </div>
  );
}
