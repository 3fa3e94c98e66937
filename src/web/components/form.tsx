/** @jsxRuntime automatic @jsxImportSource preact */
// Form pieces in FKUI's markup, with the error-summary pattern: the errors
// listed at the top (each a link to its field), each repeated beside its
// field, every value kept. Field ids are `field-<name>`.
import type { ComponentChildren, InputHTMLAttributes } from 'preact';
import type { z } from 'zod';
import { t, type Lang } from '../../i18n/messages.ts';
import type { WebContext } from '../context.ts';
import { CSRF_FIELD } from '../csrf.ts';

/** Field name (a zod path joined with dots) → the message shown for it. */
export type FormErrors = Record<string, string>;

export const fieldId = (name: string) => `field-${name.replace(/[^\w-]/g, '-')}`;

/**
 * Zod's issues in the reader's words, named by the field's label. `labels`
 * maps a field name to its label; an issue on an unlabelled path goes to the
 * nearest labelled parent ("lots.0.title" → "lots"). `messages` can override
 * a field's message (e.g. a refinement's own explanation).
 */
export function formErrors(error: z.ZodError, lang: Lang, labels: Record<string, string>, messages: Record<string, string> = {}): FormErrors {
  const errors: FormErrors = {};
  for (const issue of error.issues) {
    const path = issue.path.map(String);
    while (path.length > 1 && !(path.join('.') in labels)) path.pop();
    const name = path.join('.');
    if (name in errors) continue;
    errors[name] = messages[name] ?? issueMessage(issue, lang, labels[name] ?? name);
  }
  return errors;
}

function issueMessage(issue: z.core.$ZodIssue, lang: Lang, label: string): string {
  const vars = { label };
  switch (issue.code) {
    case 'invalid_type':
      return t(lang, issue.input === undefined || issue.input === '' ? 'web.form.required' : 'web.form.invalid', vars);
    case 'too_small': {
      const min = String(issue.minimum);
      if (issue.origin === 'string') return t(lang, Number(issue.minimum) <= 1 ? 'web.form.required' : 'web.form.tooShort', { ...vars, min });
      if (issue.origin === 'array' || issue.origin === 'set') return t(lang, 'web.form.tooFew', { ...vars, min });
      return t(lang, 'web.form.tooSmall', { ...vars, min });
    }
    case 'too_big': {
      const max = String(issue.maximum);
      if (issue.origin === 'string') return t(lang, 'web.form.tooLong', { ...vars, max });
      if (issue.origin === 'array' || issue.origin === 'set') return t(lang, 'web.form.tooMany', { ...vars, max });
      return t(lang, 'web.form.tooBig', { ...vars, max });
    }
    default:
      return t(lang, 'web.form.invalid', vars);
  }
}

/** The list of errors at the top of a form; the page's script moves focus to it. */
export function ErrorSummary({ ctx, errors }: { ctx: WebContext; errors: FormErrors }) {
  const entries = Object.entries(errors);
  if (!entries.length) return null;
  return (
    <div class="message-box message-box--error error-summary" role="alert" tabIndex={-1} id="error-summary">
      <div class="message-box__content">
        <h2 class="message-box__heading">{t(ctx.lang, 'web.form.errors')}</h2>
        <p>{t(ctx.lang, 'web.form.errorsIntro')}</p>
        <ul class="error-list__list">
          {entries.map(([name, message]) => (
            <li key={name} class="error-list__link"><a href={`#${fieldId(name)}`}>{message}</a></li>
          ))}
        </ul>
      </div>
    </div>
  );
}

export const CsrfField = ({ ctx }: { ctx: WebContext }) => <input type="hidden" name={CSRF_FIELD} value={ctx.csrf} />;

/** A `<form method="post">` that carries the form token. */
export function PostForm({ ctx, action, children, id, enctype, novalidate, data }: {
  ctx: WebContext; action: string; children: ComponentChildren; id?: string; enctype?: string; novalidate?: boolean; data?: Record<string, string>;
}) {
  return (
    <form method="post" action={action} id={id} enctype={enctype} noValidate={novalidate} {...dataAttributes(data)}>
      <CsrfField ctx={ctx} />
      {children}
    </form>
  );
}

type FieldProps = {
  name: string;
  label: string;
  hint?: string;
  error?: string;
  /** `data-*` attributes, for the page's scripts. */
  data?: Record<string, string>;
};

const dataAttributes = (data: Record<string, string> = {}) =>
  Object.fromEntries(Object.entries(data).map(([key, value]) => [`data-${key}`, value]));

type InputExtras = {
  autocomplete?: string; required?: boolean; inputMode?: 'text' | 'numeric' | 'decimal' | 'email' | 'search' | 'tel' | 'url';
  maxLength?: number; minLength?: number; min?: string | number; max?: string | number; step?: string | number;
  pattern?: string; list?: string; spellcheck?: boolean; disabled?: boolean; size?: number;
};

function Label({ name, label, hint, error, optional, lang }: FieldProps & { optional?: boolean; lang?: Lang }) {
  return (
    <label class="label" for={fieldId(name)}>
      {label}
      {optional && lang ? ` ${t(lang, 'web.form.optional')}` : ''}
      {hint ? <span class="label__description" id={`${fieldId(name)}-hint`}>{hint}</span> : null}
      {error ? <span class="label__message label__message--error" id={`${fieldId(name)}-error`}>{error}</span> : null}
    </label>
  );
}

const describedBy = ({ name, hint, error }: FieldProps) =>
  [hint && `${fieldId(name)}-hint`, error && `${fieldId(name)}-error`].filter(Boolean).join(' ') || undefined;

export function TextField(props: FieldProps & { value?: string | number | null; type?: 'text' | 'email' | 'number' | 'date' | 'datetime-local' | 'search' | 'tel' | 'url' | 'file'; optional?: boolean; lang?: Lang } & InputExtras) {
  const { name, label, hint, error, data, value, type = 'text', optional, lang, ...rest } = props;
  return (
    <div class={`text-field${error ? ' text-field--error' : ''}`}>
      <Label name={name} label={label} hint={hint} error={error} optional={optional} lang={lang} />
      <div class="text-field__input-wrapper">
        {/* Preact types <input> by its type; these few attributes fit every type used here. */}
        <input {...({
          class: 'text-field__input', id: fieldId(name), name, type, value: value ?? '',
          'aria-invalid': error ? 'true' : undefined, 'aria-describedby': describedBy(props), ...dataAttributes(data), ...rest,
        } as InputHTMLAttributes)} />
      </div>
    </div>
  );
}

export function TextArea(props: FieldProps & { value?: string | null; rows?: number; optional?: boolean; lang?: Lang } & { required?: boolean; maxLength?: number; spellcheck?: boolean }) {
  const { name, label, hint, error, data, value, rows = 5, optional, lang, ...rest } = props;
  return (
    <div class="textarea-field">
      <Label name={name} label={label} hint={hint} error={error} optional={optional} lang={lang} />
      <textarea class="textarea-field__textarea" id={fieldId(name)} name={name} rows={rows}
        aria-invalid={error ? 'true' : undefined} aria-describedby={describedBy(props)} {...dataAttributes(data)} {...rest}>{value ?? ''}</textarea>
    </div>
  );
}

export type Option = { value: string; label: string; hint?: string };

export function SelectField(props: FieldProps & { value?: string | null; options: Option[] } & { required?: boolean; disabled?: boolean }) {
  const { name, label, hint, error, data, value, options, ...rest } = props;
  return (
    <div class="select-field">
      <Label name={name} label={label} hint={hint} error={error} />
      <select class="select-field__select" id={fieldId(name)} name={name}
        aria-invalid={error ? 'true' : undefined} aria-describedby={describedBy(props)} {...dataAttributes(data)} {...rest}>
        {options.map((o) => <option key={o.value} value={o.value} selected={o.value === value}>{o.label}</option>)}
      </select>
    </div>
  );
}

/** Checkboxes (several may be chosen) or radio buttons (one), in a fieldset with a legend. */
export function ChoiceGroup({ name, legend, hint, error, options, checked, type = 'checkbox' }: {
  name: string; legend: string; hint?: string; error?: string; options: Option[]; checked: readonly string[]; type?: 'checkbox' | 'radio';
}) {
  const kind = type === 'checkbox' ? 'checkbox' : 'radio-button';
  return (
    <fieldset class={`fieldset ${kind}-group`} id={fieldId(name)} aria-describedby={error ? `${fieldId(name)}-error` : undefined}>
      <legend class="label fieldset__label">
        {legend}
        {hint ? <span class="label__description">{hint}</span> : null}
        {error ? <span class="label__message label__message--error" id={`${fieldId(name)}-error`}>{error}</span> : null}
      </legend>
      <div class="fieldset__content">
        {options.map((o, i) => {
          const id = `${fieldId(name)}-${i}`;
          return (
            <div class={kind} key={o.value}>
              <input class={`${kind}__input`} type={type} id={id} name={name} value={o.value} checked={checked.includes(o.value)} />
              <label class={`${kind}__label`} for={id}>
                {o.label}
                {o.hint ? <span class="label__description">{o.hint}</span> : null}
              </label>
            </div>
          );
        })}
      </div>
    </fieldset>
  );
}

export const Button = ({ children, variant = 'primary', name, value }: { children: ComponentChildren; variant?: 'primary' | 'secondary' | 'tertiary' } & { name?: string; value?: string }) => (
  <button type="submit" class={`button button--${variant}`} name={name} value={value}>{children}</button>
);
