import type { ComponentChildren } from 'preact';
import type { MessageKey, Translator } from '../platform/i18n';
import type { FieldError, FormState, PageContext } from './context';

function errorText(t: Translator, error: FieldError | undefined): string | undefined {
  return error ? t(error.message, error.params) : undefined;
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

/** What a `FieldShell` hands to the control it wraps: its id, name and the marks tying it to its label, hint and error. */
export interface ControlProps {
  id: string;
  name: string;
  required?: boolean;
  'aria-required'?: 'true';
  'aria-invalid'?: 'true';
  'aria-describedby'?: string;
}

export interface FieldShellProps {
  t: Translator;
  form: FormState;
  /** The form field's name; also the control's id, which the error summary links to. */
  name: string;
  /** The label (or, for radios, the legend). */
  label: ComponentChildren;
  hint?: ComponentChildren;
  /** Required fields say so to assistive technology; the others show "(optional)" after their label. */
  required?: boolean;
  /**
   * `stacked`: label, hint, error, then the control (text, text area, select);
   * `checkbox`: error, the box, its label, then the hint;
   * `radios`: a fieldset (radio group) with the legend, hint and error; the marks go on the group.
   */
  layout?: 'stacked' | 'checkbox' | 'radios';
  children: (control: ControlProps) => ComponentChildren;
}

/**
 * The frame of every form field: label or legend with the optional mark, hint, error message
 * (`<name>-error`), and the control's `aria-required`, `aria-invalid` and `aria-describedby`,
 * so that each kind of field is marked the same way.
 */
export function FieldShell(p: FieldShellProps) {
  const error = p.form.errors[p.name];
  const hintId = p.hint ? `${p.name}-hint` : undefined;
  const errorId = error ? `${p.name}-error` : undefined;
  const marks = {
    'aria-required': p.required ? ('true' as const) : undefined,
    'aria-invalid': error ? ('true' as const) : undefined,
    'aria-describedby': [hintId, errorId].filter(Boolean).join(' ') || undefined,
  };
  const layout = p.layout ?? 'stacked';
  const optional = p.required ? null : <span class="optional">{p.t('form.optional')}</span>;
  const hint = p.hint ? (
    <p class="hint" id={hintId}>
      {p.hint}
    </p>
  ) : null;
  const message = error ? (
    <p class="error-message" id={errorId}>
      {errorText(p.t, error)}
    </p>
  ) : null;
  const classes = `field${layout === 'checkbox' ? ' field-checkbox' : ''}${error ? ' field-error' : ''}`;
  if (layout === 'radios') {
    // A radio group: the group carries required/invalid (ARIA allows neither on a radio).
    return (
      <fieldset class={classes} role="radiogroup" aria-labelledby={`${p.name}-legend`} {...marks}>
        <legend id={`${p.name}-legend`}>
          {p.label} {optional}
        </legend>
        {hint}
        {message}
        {p.children({ id: p.name, name: p.name, required: p.required })}
      </fieldset>
    );
  }
  const control = p.children({ id: p.name, name: p.name, required: p.required, ...marks });
  const label = (
    <label for={p.name}>
      {p.label} {optional}
    </label>
  );
  if (layout === 'checkbox') {
    return (
      <div class={classes}>
        {message}
        {control}
        {label}
        {hint}
      </div>
    );
  }
  return (
    <div class={classes}>
      {label}
      {hint}
      {message}
      {control}
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
  const value = p.keepValue === false || p.type === 'password' ? undefined : p.form.values[p.name];
  return (
    <FieldShell t={p.t} form={p.form} name={p.name} label={p.label} hint={p.hint} required={p.required}>
      {(control) => (
        <input
          {...control}
          type={(p.type ?? 'text') as 'text'}
          value={value ?? ''}
          autocomplete={p.autocomplete}
          inputMode={p.inputMode}
          maxLength={p.maxLength}
          class={`input input-${p.width ?? 'long'}`}
          spellcheck={p.type === 'email' || p.type === 'password' ? false : undefined}
        />
      )}
    </FieldShell>
  );
}

export function TextArea(p: Omit<FieldProps, 'type' | 'autocomplete' | 'inputMode' | 'width' | 'keepValue'> & { rows?: number }) {
  return (
    <FieldShell t={p.t} form={p.form} name={p.name} label={p.label} hint={p.hint} required={p.required}>
      {(control) => (
        <textarea {...control} rows={p.rows ?? 4} maxLength={p.maxLength} class="input input-long">
          {p.form.values[p.name] ?? ''}
        </textarea>
      )}
    </FieldShell>
  );
}

/** One checkbox, its label after the box; checked when the form holds "on". */
export function Checkbox(p: { t: Translator; form: FormState; name: string; label: ComponentChildren; hint?: string; required?: boolean }) {
  return (
    <FieldShell t={p.t} form={p.form} name={p.name} label={p.label} hint={p.hint} required={p.required} layout="checkbox">
      {(control) => <input {...control} type="checkbox" value="on" checked={p.form.values[p.name] === 'on'} />}
    </FieldShell>
  );
}

export function Select(p: {
  t: Translator;
  form: FormState;
  name: string;
  label: string;
  hint?: string;
  options: { value: string; label: string }[];
  placeholder?: string;
  required?: boolean;
  autocomplete?: string;
}) {
  const current = p.form.values[p.name] ?? '';
  return (
    <FieldShell t={p.t} form={p.form} name={p.name} label={p.label} hint={p.hint} required={p.required}>
      {(control) => (
        <select {...control} autocomplete={p.autocomplete} class="input input-medium">
          {p.placeholder !== undefined ? <option value="">{p.placeholder}</option> : null}
          {p.options.map((o) => (
            <option key={o.value} value={o.value} selected={o.value === current}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </FieldShell>
  );
}

/** Radio buttons in a fieldset; the first radio carries the field's id so the summary link lands on it. */
export function Radios(p: {
  t: Translator;
  form: FormState;
  name: string;
  legend: string;
  hint?: string;
  /** `disabled`: shown but not to be chosen (the hint says why). */
  options: { value: string; label: string; disabled?: boolean }[];
  required?: boolean;
  inline?: boolean;
}) {
  const current = p.form.values[p.name];
  return (
    <FieldShell t={p.t} form={p.form} name={p.name} label={p.legend} hint={p.hint} required={p.required} layout="radios">
      {(control) => (
        <div class={p.inline ? 'radios radios-inline' : 'radios'}>
          {p.options.map((o, i) => {
            const id = i === 0 ? control.id : `${control.id}-${o.value}`;
            return (
              <div class="radio" key={o.value}>
                <input type="radio" id={id} name={control.name} value={o.value} checked={current === o.value} required={control.required} disabled={o.disabled} />
                <label for={id}>{o.label}</label>
              </div>
            );
          })}
        </div>
      )}
    </FieldShell>
  );
}

/**
 * A file to send: the form around it posts `multipart/form-data` (platform/uploads). A browser
 * never fills a file input again, so a form shown again with an error asks for the file again.
 */
export function FileField(p: { t: Translator; form: FormState; name: string; label: string; hint?: string; accept?: string; required?: boolean }) {
  return (
    <FieldShell t={p.t} form={p.form} name={p.name} label={p.label} hint={p.hint} required={p.required}>
      {(control) => <input {...control} type="file" accept={p.accept} class="input input-file" />}
    </FieldShell>
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

/** One column of a `Table`: its head cell and how it draws each row's cell. */
export interface TableColumn<R> {
  /** The head cell's text. */
  label: string;
  /** Shown to screen readers only (a column of buttons needs a name, not a visible title). */
  labelHidden?: boolean;
  /**
   * A column the table can be sorted by: the link that sorts by it, the words a screen reader says
   * after the label ("sort in ascending order"), and the current direction when sorted by it now.
   */
  sort?: { href: string; hint: string; direction?: 'ascending' | 'descending' };
  /** The first column(s) can name their row: a `<th scope="row">` instead of a `<td>`. */
  rowHeader?: boolean;
  cell: (row: R, index: number) => ComponentChildren;
}

export interface TableProps<R> {
  /** Unique on the page: the caption's id is `<id>-caption`, and it names the scrolling region. */
  id: string;
  caption: string;
  /** When a heading just above already says what the table is: the caption is for screen readers only. */
  captionHidden?: boolean;
  /** `false`, `null` and `undefined` entries are left out, for columns shown only sometimes. */
  columns: (TableColumn<R> | false | null | undefined)[];
  rows: readonly R[];
}

/**
 * A data table in a region that scrolls sideways by itself (WCAG 1.4.10: the page never does).
 * The region is named by the caption and takes the keyboard focus, so it can be scrolled with the arrows.
 */
export function Table<R>(p: TableProps<R>) {
  const columns = p.columns.filter((c): c is TableColumn<R> => Boolean(c));
  const captionId = `${p.id}-caption`;
  return (
    <div class="table-scroll" role="region" aria-labelledby={captionId} tabindex={0}>
      <table class="table" id={p.id}>
        <caption id={captionId} class={p.captionHidden ? 'visually-hidden' : undefined}>
          {p.caption}
        </caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th scope="col" aria-sort={c.sort?.direction}>
                {c.sort ? (
                  <a href={c.sort.href}>
                    {c.labelHidden ? <span class="visually-hidden">{c.label}</span> : c.label}
                    <span class="visually-hidden"> — {c.sort.hint}</span>
                    {c.sort.direction ? <span aria-hidden="true">{c.sort.direction === 'descending' ? ' ▼' : ' ▲'}</span> : null}
                  </a>
                ) : c.labelHidden ? (
                  <span class="visually-hidden">{c.label}</span>
                ) : (
                  c.label
                )}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {p.rows.map((row, i) => (
            <tr>{columns.map((c) => (c.rowHeader ? <th scope="row">{c.cell(row, i)}</th> : <td>{c.cell(row, i)}</td>))}</tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
