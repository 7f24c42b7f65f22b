import type { HelpLine } from '../config';
import type { Profile } from '../domain/profile';
import type { Role } from '../domain/vocabulary';
import type { Locale, MessageKey, Params, Translator } from '../platform/i18n';

/** What every page needs to know about the request, built once per request by the app. */
export interface PageContext {
  t: Translator;
  locale: Locale;
  path: string;
  requestId: string;
  csrfToken: () => string;
  user?: { id: string; email: string; role: Role };
  devTools: boolean;
  /** SVC-1: the help line the footer shows (config `HELP_LINE_*`; the FAQ's when absent). */
  helpLine?: HelpLine;
  /** Issue 18: the institution's profile (config `CURSUS_PROFILE`): which parts of the journey a page shows (municipal when absent). */
  profile?: Profile;
}

export interface FieldError {
  message: MessageKey;
  params?: Params;
}

/** A form as shown: what the person typed, and the errors to show next to each field. */
export interface FormState {
  values: Record<string, string | undefined>;
  errors: Record<string, FieldError | undefined>;
}

export const emptyForm = (values: Record<string, string | undefined> = {}): FormState => ({ values, errors: {} });
