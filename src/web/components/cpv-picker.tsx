/** @jsxRuntime automatic @jsxImportSource preact */
// The CPV picker: choose categories among all 9,454 CPV codes without knowing
// them by heart. Without JavaScript it is part of its form: a search field
// with a button (`cpvq`), the tree to browse (`cpvopen`: the code whose
// children show), and checkboxes named `name`; the buttons post the form to
// its own route, which shows the form again with every value kept
// (`isPickerAction`). With /assets/js/cpv-picker.js the search runs as you
// type against GET /api/cpv, and an aria-live line says how many were found.
// Each choice shows how many notices of the last 12 months it would have matched.
//
// Use: `const picker = await cpvPickerData(db, selected, pickerInput(req))`, then
// `<CpvPicker name="categories" label=… selected={selected} lang={lang} error={…} data={picker} />`
// and `scripts: ['cpv-picker']` in the page's options.
import type { Request } from 'express';
import type { Db } from '../../../db/database.ts';
import { cpvChildren, cpvEntries, cpvText, searchCpv, yearCounts, type CpvEntry } from '../../cpv/cpv-catalogue.ts';
import { cpvAncestors, tryNormalizeCpv } from '../../domain/cpv.ts';
import { t, type Lang } from '../../i18n/messages.ts';
import { one } from '../form-post.ts';
import { fieldId } from './form.tsx';

export const PICKER_QUERY = 'cpvq';
export const PICKER_OPEN = 'cpvopen';
export const PICKER_SEARCH = 'cpvsearch';

type Choice = CpvEntry & { count: number; hasChildren?: boolean };
export type CpvPickerData = {
  selected: Choice[];
  query: string;
  results: Choice[] | null;
  total: number;
  /** The code whose children the tree shows ('' for the divisions), and the path to it. */
  open: string;
  path: CpvEntry[];
  tree: Choice[];
};

/** The picker's own fields of a request (from the query string, or the posted form). */
export function pickerInput(req: Request): { query: string; open: string } {
  const source = (req.method === 'POST' ? req.body : req.query) as Record<string, unknown>;
  const open = tryNormalizeCpv(one(source?.[PICKER_OPEN])) ?? '';
  return { query: one(source?.[PICKER_QUERY]).slice(0, 100), open };
}

/** A post of the picker's search or browse button: show the form again, do not submit it. */
export const isPickerAction = (body: Record<string, unknown>) => PICKER_SEARCH in body || PICKER_OPEN in body;

export async function cpvPickerData(db: Db, selectedCodes: string[], { query, open }: { query: string; open: string }): Promise<CpvPickerData> {
  const selected = await cpvEntries(db, [...new Set(selectedCodes)]);
  const search = query ? await searchCpv(db, query, 20) : null;
  const children = await cpvChildren(db, open || null);
  const grandchildren = await Promise.all(children.map(async (c) => (await cpvChildren(db, c.code)).length > 0));
  const path = open ? await cpvEntries(db, [...cpvAncestors(open).reverse(), open]) : [];
  const counts = await yearCounts(db, [...selected, ...(search?.items ?? []), ...children].map((c) => c.code));
  const withCount = (e: CpvEntry): Choice => ({ ...e, count: counts.get(e.code) ?? 0 });
  return {
    selected: selected.map(withCount),
    query,
    results: search ? search.items.map(withCount) : null,
    total: search?.total ?? 0,
    open,
    path,
    tree: children.map((c, i) => ({ ...withCount(c), hasChildren: grandchildren[i] })),
  };
}

function ChoiceBox({ name, idPrefix, choice, lang, checked }: { name: string; idPrefix: string; choice: Choice; lang: Lang; checked: boolean }) {
  const id = `${idPrefix}-${choice.code}`;
  return (
    <div class="checkbox cpv-picker__choice">
      <input class="checkbox__input" type="checkbox" id={id} name={name} value={choice.code} checked={checked} />
      <label class="checkbox__label" for={id}>
        {cpvText(choice, lang)}
        <span class="label__description">{t(lang, 'web.cpv.count', { n: String(choice.count) })}</span>
      </label>
    </div>
  );
}

export function CpvPicker({ name, label, selected, lang, error, hint, data }: {
  name: string; label: string; selected: string[]; lang: Lang; error?: string; hint?: string; data: CpvPickerData;
}) {
  const id = fieldId(name);
  const chosen = new Set(selected);
  const alreadyChosen = (c: Choice) => chosen.has(c.code);
  const status = data.results === null ? '' : data.total === 0
    ? t(lang, 'web.cpv.none', { q: data.query })
    : t(lang, data.total > data.results.length ? 'web.cpv.resultsFirst' : 'web.cpv.results', { n: String(data.total), shown: String(data.results.length), q: data.query });
  return (
    <fieldset class="fieldset cpv-picker" id={id} data-cpv-picker="" data-name={name} aria-describedby={error ? `${id}-error` : undefined}
      data-msg-results={t(lang, 'web.cpv.results')} data-msg-results-first={t(lang, 'web.cpv.resultsFirst')} data-msg-none={t(lang, 'web.cpv.none')}
      data-msg-count={t(lang, 'web.cpv.count')} data-msg-added={t(lang, 'web.cpv.added')} data-msg-chosen={t(lang, 'web.cpv.chosen')} data-lang={lang}>
      <legend class="label fieldset__label">
        {label}
        <span class="label__description">{hint ?? t(lang, 'web.cpv.hint')}</span>
        {error ? <span class="label__message label__message--error" id={`${id}-error`}>{error}</span> : null}
      </legend>
      <div class="fieldset__content">
        <p class="cpv-picker__heading" id={`${id}-chosen`}>{t(lang, 'web.cpv.selected', { n: String(data.selected.length) })}</p>
        <div class="checkbox-group cpv-picker__selected" data-cpv-selected="">
          {data.selected.map((c) => <ChoiceBox key={c.code} name={name} idPrefix={`${id}-sel`} choice={c} lang={lang} checked />)}
        </div>
        {data.selected.length === 0 ? <p class="meta" data-cpv-empty="">{t(lang, 'web.cpv.noneSelected')}</p> : null}

        <div class="text-field cpv-picker__search">
          <label class="label" for={`${id}-q`}>
            {t(lang, 'web.cpv.search')}
            <span class="label__description" id={`${id}-q-hint`}>{t(lang, 'web.cpv.searchHint')}</span>
          </label>
          <div class="cpv-picker__search-row">
            <input class="text-field__input" type="search" id={`${id}-q`} name={PICKER_QUERY} value={data.query} autocomplete="off"
              aria-describedby={`${id}-q-hint`} aria-controls={`${id}-results`} data-cpv-query="" />
            <button type="submit" class="button button--secondary button--small" name={PICKER_SEARCH} value="1" data-cpv-search-button="">{t(lang, 'web.cpv.searchButton')}</button>
          </div>
        </div>
        <p class="cpv-picker__status" role="status" aria-live="polite" data-cpv-status="">{status}</p>
        <div class="checkbox-group cpv-picker__results" id={`${id}-results`} data-cpv-results="">
          {(data.results ?? []).map((c) =>
            alreadyChosen(c)
              ? <p key={c.code} class="cpv-picker__taken">{cpvText(c, lang)} – {t(lang, 'web.cpv.chosen')}</p>
              : <ChoiceBox key={c.code} name={name} idPrefix={`${id}-res`} choice={c} lang={lang} checked={false} />)}
        </div>

        <details class="cpv-picker__browse" open={data.open !== ''}>
          <summary>{t(lang, 'web.cpv.browse')}</summary>
          <nav aria-label={t(lang, 'web.cpv.path')} class="cpv-picker__path">
            <ol>
              <li>{data.open ? <button type="submit" class="button button--tertiary button--small" name={PICKER_OPEN} value="">{t(lang, 'web.cpv.divisions')}</button> : t(lang, 'web.cpv.divisions')}</li>
              {data.path.map((p) => (
                <li key={p.code}>
                  {p.code === data.open
                    ? <span aria-current="location">{cpvText(p, lang)}</span>
                    : <button type="submit" class="button button--tertiary button--small" name={PICKER_OPEN} value={p.code}>{cpvText(p, lang)}</button>}
                </li>
              ))}
            </ol>
          </nav>
          <ul class="cpv-picker__tree">
            {data.tree.map((c) => (
              <li key={c.code}>
                {alreadyChosen(c)
                  ? <p class="cpv-picker__taken">{cpvText(c, lang)} – {t(lang, 'web.cpv.chosen')}</p>
                  : <ChoiceBox name={name} idPrefix={`${id}-tree`} choice={c} lang={lang} checked={false} />}
                {c.hasChildren ? (
                  <button type="submit" class="button button--tertiary button--small" name={PICKER_OPEN} value={c.code}
                    aria-label={t(lang, 'web.cpv.openLabel', { label: cpvText(c, lang) })}>{t(lang, 'web.cpv.open')}</button>
                ) : null}
              </li>
            ))}
          </ul>
          {data.tree.length === 0 ? <p class="meta">{t(lang, 'web.cpv.noChildren')}</p> : null}
        </details>
      </div>
    </fieldset>
  );
}
