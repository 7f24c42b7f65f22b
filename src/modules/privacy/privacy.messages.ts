import { registerMessages } from '../../platform/i18n';

/**
 * The privacy module's own messages (its parts have theirs: `export.messages.ts`,
 * `closure.messages.ts`, `retention.messages.ts`…), registered when this file is loaded
 * (src/messages.ts loads every module's). French is the reference; English has the same keys.
 */
const fr = {};
const en: typeof fr = {};

registerMessages('privacy', { fr, en });
