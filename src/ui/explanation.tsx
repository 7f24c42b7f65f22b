import type { MessageKey, Params, Translator } from '../platform/i18n';

/**
 * SEL-11, SEL-12: one sentence of an explanation, as a message key and its parameters, so that
 * a pure rule can write it and each page says it in the reader's language. A parameter is a
 * value, another message (`{ key }`: a situation's name…) or a day (`{ day: 'YYYY-MM-DD' }`).
 */
export type LineParam = string | number | { key: MessageKey } | { day: string };
export interface Line {
  key: MessageKey;
  params?: Record<string, LineParam>;
}

/** The line in words. */
export function lineText(t: Translator, line: Line): string {
  if (!line.params) return t(line.key);
  const params: Params = {};
  for (const [name, value] of Object.entries(line.params))
    params[name] = typeof value === 'object' ? ('key' in value ? t(value.key) : t.date(value.day, 'date')) : value;
  return t(line.key, params);
}

/** The lines as a short list, one idea each (the learner's application and the staff ranking show the same). */
export function Explanation(props: { t: Translator; lines: readonly Line[]; class?: string }) {
  if (props.lines.length === 0) return null;
  return (
    <ul class={props.class ?? 'explanation'}>
      {props.lines.map((line) => (
        <li>{lineText(props.t, line)}</li>
      ))}
    </ul>
  );
}
