import type { PageContext } from '../../../ui/context';
import type { ApplicationView } from '../applications.service';
import { transitions } from '../lifecycle';

/** SEL-13: where the learner orders their applications; offered once they have two that may be ordered. */
export const PREFERENCES_PATH = '/candidatures/preferences';

/** SEL-13: the link to the preference page, when there is something to order. */
export function PreferencesLink(props: { ctx: PageContext; apps: ApplicationView[] }) {
  const orderable = props.apps.filter((a) => transitions.giveUpForPreference.from.includes(a.status)).length;
  if (orderable < 2) return null;
  return (
    <p>
      <a href={PREFERENCES_PATH}>{props.ctx.t('apps.preference.link')}</a>
    </p>
  );
}

/** SEL-13: this application's place in the learner's list, while the responder answers for them. */
export function PreferenceLine(props: { ctx: PageContext; app: ApplicationView }) {
  const p = props.app.preference;
  if (!p) return null;
  return (
    <p class="preference">
      {props.ctx.t('apps.preference', { position: p.position, of: p.of })} <a href={PREFERENCES_PATH}>{props.ctx.t('apps.preference.link')}</a>
    </p>
  );
}
