/** @jsxRuntime automatic @jsxImportSource preact */
// The officer's page bodies: the publish form with its reach preview, and the small confirmation forms.
import { EFORMS_CRITERIA, REQUIREMENTS, type Label } from '../../domain/csr.ts';
import type { ReachPreview } from '../../matching/match-engine.ts';
import { PROCEDURE_TYPES } from '../../notices/notice.schema.ts';
import { t, type Lang, type MessageKey } from '../../i18n/messages.ts';
import { CpvPicker, type CpvPickerData } from '../components/cpv-picker.tsx';
import { ChoiceGroup, ErrorSummary, PostForm, SelectField, TextArea, TextField, type FormErrors, type Option } from '../components/form.tsx';
import type { WebContext } from '../context.ts';
import { EFORMS_KINDS, mainCode, type NoticeFormValues } from './notice-form.ts';

/** Set when the form was sent without JavaScript (from <noscript>), and the search text the page was drawn with. */
export const NO_SCRIPT = 'nojs';
export const QUERY_SHOWN = 'cpvqShown';

export const UHM_CRITERIA = 'https://www.upphandlingsmyndigheten.se/kriterier/';

const tk = (lang: Lang, key: string, vars?: Record<string, string>) => t(lang, key as MessageKey, vars);
const label = (l: Label, lang: Lang) => l[lang];

export type ReachState = { kind: 'none' } | { kind: 'unavailable' } | { kind: 'preview'; preview: ReachPreview };

/** The reach figures (also drawn by officer-reach.js from the same strings, kept on the panel). */
export function ReachResult({ lang, state }: { lang: Lang; state: ReachState }) {
  if (state.kind === 'none') return <p>{t(lang, 'officer.reach.none')}</p>;
  if (state.kind === 'unavailable') return <p>{t(lang, 'officer.reach.unavailable')}</p>;
  const { firms, criteria, lots } = state.preview;
  const n = (x: number) => String(x);
  return (
    <>
      <p class="reach__total"><strong>{t(lang, 'officer.reach.firms', { total: n(firms.total), local: n(firms.local) })}</strong></p>
      {criteria.length ? (
        <>
          <h3>{t(lang, 'officer.reach.criteria')}</h3>
          <ul class="reach__list">
            {criteria.map((c) => (
              <li key={c.criterion}>
                <strong>{label(c.label, lang)}</strong>: {t(lang, 'officer.reach.meeting', { total: n(c.meeting.total), local: n(c.meeting.local) })};{' '}
                {t(lang, 'officer.reach.without', { more: n(c.withoutIt.total - firms.total), moreLocal: n(c.withoutIt.local - firms.local) })}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {lots.length ? (
        <>
          <h3>{t(lang, 'officer.reach.lots')}</h3>
          <ul class="reach__list">
            {lots.map((l) => <li key={l.lotId}>{t(lang, 'officer.reach.lot', { title: l.title ?? l.lotId, total: n(l.firms.total), local: n(l.firms.local) })}</li>)}
          </ul>
        </>
      ) : null}
    </>
  );
}

function ReachPanel({ lang, state, buyer }: { lang: Lang; state: ReachState; buyer: { name: string; orgNumber: string | null } }) {
  // The strings officer-reach.js needs, in the page's language.
  const strings = Object.fromEntries((['firms', 'criteria', 'meeting', 'without', 'lots', 'lot', 'loading', 'unavailable'] as const)
    .map((k) => [`data-t-${k}`, t(lang, `officer.reach.${k}`)]));
  return (
    <aside class="reach" aria-labelledby="reach-heading" id="reach" data-lang={lang} data-buyer={JSON.stringify(buyer)} {...strings}>
      <h2 id="reach-heading">{t(lang, 'officer.reach.heading')}</h2>
      <p class="meta">{t(lang, 'officer.reach.intro')}</p>
      <div id="reach-result" class="reach__result" aria-live="polite"><ReachResult lang={lang} state={state} /></div>
      <button type="submit" form="notice-form" name="action" value="preview" class="button button--secondary">{t(lang, 'officer.reach.button')}</button>
      <p class="meta">{t(lang, 'officer.reach.fairness')}</p>
    </aside>
  );
}

export type NoticeFormProps = {
  ctx: WebContext; action: string; values: NoticeFormValues; errors: FormErrors; reach: ReachState;
  mode: 'new' | 'edit'; draftId: string | null; buyer: { name: string; orgNumber: string | null }; notice?: string;
  /** The CPV picker's state, and the text of every code the form names (the chosen ones and the lots'). */
  picker: CpvPickerData; codeText: Map<string, string>;
  /** An administrator chooses the buyer organisation: its options and the one chosen. */
  buyers?: Option[]; buyerId?: string;
};

export function NoticeFormPage({ ctx, action, values: v, errors, reach, mode, draftId, buyer, notice, picker, codeText, buyers, buyerId }: NoticeFormProps) {
  const { lang } = ctx;
  const codeOption = (code: string): Option => ({ value: code, label: codeText.get(code) ?? code });
  const main = mainCode(v) ?? '';
  const mainOptions: Option[] = v.cpv.length ? v.cpv.map(codeOption) : [{ value: '', label: t(lang, 'officer.form.cpvMainNone') }];
  // A lot's main code is one of the notice's codes (or its own, kept from before), not a picker of its own: see LotValues.
  const lotOptions = (own: string): Option[] => [{ value: '', label: t(lang, 'officer.form.lotCpvNone') },
    ...[...v.cpv, ...(own && !v.cpv.includes(own) ? [own] : [])].map(codeOption)];
  const procedures: Option[] = [{ value: '', label: t(lang, 'officer.form.procedureNone') },
    ...PROCEDURE_TYPES.map((p) => ({ value: p, label: tk(lang, `officer.procedure.${p}`) }))];
  const csrOptions = (kind: 'requirements' | keyof typeof EFORMS_CRITERIA): Option[] => {
    const list: Record<string, Label> = kind === 'requirements' ? REQUIREMENTS : EFORMS_CRITERIA[kind];
    const hintKind = kind === 'requirements' ? 'requirement' : kind;
    return Object.entries(list).map(([code, l]) => ({ value: code, label: label(l, lang), hint: tk(lang, `officer.csr.hint.${hintKind}.${code}`) }));
  };
  return (
    <>
      <h1>{t(lang, mode === 'new' ? 'officer.form.newTitle' : 'officer.form.editTitle')}</h1>
      {notice ? <p role="status" class="message-box message-box--success">{notice}</p> : null}
      <p>{t(lang, mode === 'new' ? 'officer.form.intro' : 'officer.form.editIntro')}</p>
      <ErrorSummary ctx={ctx} errors={errors} />
      <div class="officer-layout">
        <PostForm ctx={ctx} action={action} id="notice-form" data={{ reach: 'live' }}>
          {/* Enter in a field previews the reach (the first submit button is the default): it never publishes by accident. */}
          <button type="submit" name="action" value="preview" hidden tabIndex={-1}>{t(lang, 'officer.reach.button')}</button>
          <input type="hidden" name={QUERY_SHOWN} value={picker.query} />
          <noscript><input type="hidden" name={NO_SCRIPT} value="1" /></noscript>
          {draftId ? <input type="hidden" name="draftId" value={draftId} /> : null}
          <input type="hidden" name="lotCount" value={String(v.lots.length)} />
          <h2>{t(lang, 'officer.form.basics')}</h2>
          {buyers ? (
            <SelectField name="buyerId" label={t(lang, 'officer.form.buyer')} hint={t(lang, 'officer.form.buyerHint')} value={buyerId ?? ''} error={errors.buyerId}
              options={[{ value: '', label: t(lang, 'officer.form.buyerChoose') }, ...buyers]} />
          ) : null}
          {mode === 'new'
            ? <TextField name="reference" label={t(lang, 'officer.form.reference')} hint={t(lang, 'officer.form.referenceHint')} value={v.reference} error={errors.reference} />
            : <p>{t(lang, 'officer.form.referenceFixed', { reference: v.reference })}</p>}
          <TextField name="title" label={t(lang, 'officer.form.title')} value={v.title} error={errors.title} />
          <TextArea name="description" label={t(lang, 'officer.form.description')} value={v.description} error={errors.description} optional lang={lang} />
          <CpvPicker name="cpv" label={t(lang, 'officer.form.cpv')} hint={t(lang, 'officer.form.cpvHint')} selected={v.cpv} lang={lang} error={errors.cpv} data={picker} />
          <SelectField name="cpvMain" label={t(lang, 'officer.form.cpvMain')} hint={t(lang, 'officer.form.cpvMainHint')} value={main} options={mainOptions}
            data={{ 'cpv-main': '', 'none-label': t(lang, 'officer.form.cpvMainNone') }} />
          <TextField name="estimatedValue" label={t(lang, 'officer.form.value')} hint={t(lang, 'officer.form.valueHint')} value={v.estimatedValue}
            error={errors.estimatedValue} inputMode="numeric" optional lang={lang} />
          <div class="officer-deadline">
            <TextField name="deadline" label={t(lang, 'officer.form.deadline')} hint={t(lang, 'officer.form.deadlineHint')} value={v.deadline}
              error={errors.deadline} inputMode="numeric" autocomplete="off" />
            <TextField name="deadlineTime" label={t(lang, 'officer.form.deadlineTime')} hint={t(lang, 'officer.form.deadlineTimeHint')} value={v.deadlineTime}
              error={errors.deadlineTime} inputMode="numeric" autocomplete="off" />
          </div>
          <SelectField name="procedure" label={t(lang, 'officer.form.procedure')} options={procedures} value={v.procedure} error={errors.procedure} />
          <TextField name="links.documents" type="url" label={t(lang, 'officer.form.documents')} hint={t(lang, 'officer.form.documentsHint')}
            value={v.documents} error={errors['links.documents']} optional lang={lang} />

          <section id="field-criteria" aria-labelledby="csr-heading" tabIndex={-1}>
            <h2 id="csr-heading">{t(lang, 'officer.csr.heading')}</h2>
            {errors.criteria ? <p class="label__message label__message--error">{errors.criteria}</p> : null}
            <p>{t(lang, 'officer.csr.intro')} <a href={UHM_CRITERIA}>{t(lang, 'officer.csr.uhm')}</a></p>
            <ChoiceGroup name="requirements" legend={t(lang, 'officer.csr.requirements')} hint={t(lang, 'officer.csr.requirementsHint')}
              options={csrOptions('requirements')} checked={v.criteria.requirements} />
            {EFORMS_KINDS.map((kind) => (
              <ChoiceGroup key={kind} name={kind} legend={tk(lang, `officer.csr.${kind}`)} hint={kind === 'reserved' ? t(lang, 'officer.csr.reservedHint') : undefined}
                options={csrOptions(kind)} checked={v.criteria[kind]} />
            ))}
            <ChoiceGroup name="sme" type="radio" legend={t(lang, 'officer.csr.sme')} checked={[v.sme]} options={[
              { value: 'yes', label: t(lang, 'officer.csr.sme.yes') }, { value: 'no', label: t(lang, 'officer.csr.sme.no') },
              { value: '', label: t(lang, 'officer.csr.sme.unknown') },
            ]} />
          </section>

          <section id="field-lots" aria-labelledby="lots-heading" tabIndex={-1}>
            <h2 id="lots-heading">{t(lang, 'officer.form.lots')}</h2>
            {errors.lots ? <p class="label__message label__message--error">{errors.lots}</p> : null}
            <p>{t(lang, 'officer.form.lotsHint')}</p>
            {v.lots.map((lot, i) => {
              const n = String(i + 1);
              return (
                <fieldset class="fieldset officer-lot" key={lot.id}>
                  <legend class="label fieldset__label">{t(lang, 'officer.form.lot', { n })}</legend>
                  <input type="hidden" name={`lots.${i}.id`} value={lot.id} />
                  <TextField name={`lots.${i}.title`} label={t(lang, 'officer.form.lotTitle', { n })} value={lot.title} error={errors[`lots.${i}.title`]} optional lang={lang} />
                  <SelectField name={`lots.${i}.cpv`} label={t(lang, 'officer.form.lotCpv', { n })} hint={t(lang, 'officer.form.lotCpvHint')} value={lot.cpv}
                    options={lotOptions(lot.cpv)} error={errors[`lots.${i}.cpv`]} data={{ 'lot-cpv': '' }} />
                  {lot.cpvMore.filter((c) => c !== lot.cpv).length ? (
                    <p class="meta">
                      {t(lang, 'officer.form.lotCpvMore', { codes: lot.cpvMore.filter((c) => c !== lot.cpv).join(', ') })}
                      {lot.cpvMore.map((c) => <input key={c} type="hidden" name={`lots.${i}.cpvMore`} value={c} />)}
                    </p>
                  ) : null}
                  <TextField name={`lots.${i}.estimatedValue`} label={t(lang, 'officer.form.lotValue', { n })} value={lot.estimatedValue}
                    error={errors[`lots.${i}.estimatedValue`]} inputMode="numeric" optional lang={lang} />
                  <button type="submit" class="button button--tertiary button--small" name="action" value={`remove-lot-${i}`}>{t(lang, 'officer.form.removeLot', { n })}</button>
                </fieldset>
              );
            })}
            <button type="submit" class="button button--secondary" name="action" value="add-lot">{t(lang, 'officer.form.addLot')}</button>
          </section>

          <div class="button-group officer-actions">
            <button type="submit" class="button button--primary" name="action" value="publish">{t(lang, mode === 'new' ? 'officer.form.publish' : 'officer.form.saveChanges')}</button>
            {mode === 'new' ? <button type="submit" class="button button--secondary" name="action" value="draft">{t(lang, 'officer.form.saveDraft')}</button> : null}
            <a href="/officer" class="officer-cancel">{t(lang, 'officer.form.cancel')}</a>
          </div>
        </PostForm>
        <ReachPanel lang={lang} state={reach} buyer={buyer} />
      </div>
    </>
  );
}
