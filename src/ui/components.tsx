import type { ComponentChildren } from 'preact';
import type { MessageKey, Translator } from '../platform/i18n';
import type { FieldError, FormState, PageContext } from './context';

function errorText(t: Translator, error: FieldError | undefined): string | undefined {
  return error ? t(error.message, error.params) : undefined;
}

function describedBy(name: string, hint: boolean, error: boolean): string | undefined {
  const ids = [hint ? `${name}-hint` : '', error ? `${name}-error` : ''].filter(Boolean).join(' ');
  return ids || undefined;
}

/** Hidden CSRF field: every form carries one. */
export function Csrf(props: { ctx: PageContext }) {
  return <input type="hidden" name="_csrf" value={props.ctx.csrfToken()} />;
}

/** The error summary at the top of a form; each entry links to its field. */
export function ErrorSummary(props: { t: Translator; form: FormState; labels: Record<string, string> }) {
  const entries = Object.entries(props.form.errors).filter((e): e is [string, FieldError] => Boolean(e[1]));
  if (entries.length === 0) return null;
  return (
    <div class="error-summary" role="alert" tabindex={-1} aria-labelledby="error-summary-title" data-error-summary>
      <h2 id="error-summary-title">{props.t.plural('form.errorSummary', entries.length)}</h2>
      <ul>
        {entries.map(([name, error]) => (
          <li key={name}>
            <a href={`#${name}`}>
              {props.labels[name] ? `${props.labels[name]}${props.t.locale === 'fr' ? ' : ' : ': '}` : ''}
              {errorText(props.t, error)}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}

interface FieldProps {
  t: Translator;
  form: FormState;
  name: string;
  label: string;
  hint?: string;
  type?: 'text' | 'email' | 'password' | 'tel' | 'date';
  autocomplete?: string;
  inputMode?: 'numeric' | 'tel' | 'email' | 'text';
  required?: boolean;
  maxLength?: number;
  width?: 'short' | 'medium' | 'long';
  /** Passwords are never sent back to the browser. */
  keepValue?: boolean;
}

export function TextField(p: FieldProps) {
  const error = p.form.errors[p.name];
  const value = p.keepValue === false || p.type === 'password' ? undefined : p.form.values[p.name];
  return (
    <div class={`field${error ? ' field-error' : ''}`}>
      <label for={p.name}>
        {p.label} {!p.required ? <span class="optional">{p.t('form.optional')}</span> : null}
      </label>
      {p.hint ? (
        <p class="hint" id={`${p.name}-hint`}>
          {p.hint}
        </p>
      ) : null}
      {error ? (
        <p class="error-message" id={`${p.name}-error`}>
          {errorText(p.t, error)}
        </p>
      ) : null}
      <input
        id={p.name}
        name={p.name}
        type={(p.type ?? 'text') as 'text'}
        value={value ?? ''}
        autocomplete={p.autocomplete}
        inputMode={p.inputMode}
        required={p.required}
        aria-required={p.required ? 'true' : undefined}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy(p.name, Boolean(p.hint), Boolean(error))}
        maxLength={p.maxLength}
        class={`input input-${p.width ?? 'long'}`}
        spellcheck={p.type === 'email' || p.type === 'password' ? false : undefined}
      />
    </div>
  );
}

export function TextArea(p: Omit<FieldProps, 'type' | 'autocomplete' | 'inputMode'> & { rows?: number }) {
  const error = p.form.errors[p.name];
  return (
    <div class={`field${error ? ' field-error' : ''}`}>
      <label for={p.name}>{p.label}</label>
      {p.hint ? (
        <p class="hint" id={`${p.name}-hint`}>
          {p.hint}
        </p>
      ) : null}
      {error ? (
        <p class="error-message" id={`${p.name}-error`}>
          {errorText(p.t, error)}
        </p>
      ) : null}
      <textarea
        id={p.name}
        name={p.name}
        rows={p.rows ?? 4}
        required={p.required}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy(p.name, Boolean(p.hint), Boolean(error))}
        maxLength={p.maxLength}
        class="input input-long"
      >
        {p.form.values[p.name] ?? ''}
      </textarea>
    </div>
  );
}

export function Checkbox(p: { t: Translator; form: FormState; name: string; label: ComponentChildren; required?: boolean }) {
  const error = p.form.errors[p.name];
  return (
    <div class={`field field-checkbox${error ? ' field-error' : ''}`}>
      {error ? (
        <p class="error-message" id={`${p.name}-error`}>
          {errorText(p.t, error)}
        </p>
      ) : null}
      <input
        type="checkbox"
        id={p.name}
        name={p.name}
        value="on"
        checked={p.form.values[p.name] === 'on'}
        required={p.required}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={error ? `${p.name}-error` : undefined}
      />
      <label for={p.name}>{p.label}</label>
    </div>
  );
}

export function Select(p: {
  t: Translator;
  form: FormState;
  name: string;
  label: string;
  options: { value: string; label: string }[];
  placeholder?: string;
  required?: boolean;
  autocomplete?: string;
}) {
  const error = p.form.errors[p.name];
  const current = p.form.values[p.name] ?? '';
  return (
    <div class={`field${error ? ' field-error' : ''}`}>
      <label for={p.name}>{p.label}</label>
      {error ? (
        <p class="error-message" id={`${p.name}-error`}>
          {errorText(p.t, error)}
        </p>
      ) : null}
      <select
        id={p.name}
        name={p.name}
        required={p.required}
        autocomplete={p.autocomplete}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={error ? `${p.name}-error` : undefined}
        class="input input-medium"
      >
        {p.placeholder !== undefined ? <option value="">{p.placeholder}</option> : null}
        {p.options.map((o) => (
          <option key={o.value} value={o.value} selected={o.value === current}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** Radio buttons in a fieldset; the first radio carries the field's id so the summary link lands on it. */
export function Radios(p: {
  t: Translator;
  form: FormState;
  name: string;
  legend: string;
  options: { value: string; label: string }[];
  inline?: boolean;
}) {
  const error = p.form.errors[p.name];
  const current = p.form.values[p.name];
  return (
    <fieldset
      class={`field${error ? ' field-error' : ''}`}
      aria-describedby={error ? `${p.name}-error` : undefined}
    >
      <legend>{p.legend}</legend>
      {error ? (
        <p class="error-message" id={`${p.name}-error`}>
          {errorText(p.t, error)}
        </p>
      ) : null}
      <div class={p.inline ? 'radios radios-inline' : 'radios'}>
        {p.options.map((o, i) => (
          <div class="radio" key={o.value}>
            <input
              type="radio"
              id={i === 0 ? p.name : `${p.name}-${o.value}`}
              name={p.name}
              value={o.value}
              checked={current === o.value}
            />
            <label for={i === 0 ? p.name : `${p.name}-${o.value}`}>{o.label}</label>
          </div>
        ))}
      </div>
    </fieldset>
  );
}

export function SubmitButton(props: { children: ComponentChildren; secondary?: boolean }) {
  return (
    <button type="submit" class={props.secondary ? 'button button-secondary' : 'button'}>
      {props.children}
    </button>
  );
}

export function Notice(props: { t: Translator; message: MessageKey; kind?: 'info' | 'success' | 'warning' }) {
  return (
    <div class={`notice notice-${props.kind ?? 'info'}`} role={props.kind === 'warning' ? 'alert' : 'status'}>
      {props.t(props.message)}
    </div>
  );
}
