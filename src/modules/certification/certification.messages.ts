import { registerMessages } from '../../platform/i18n';

/**
 * The certification module's own messages (its parts have theirs: `history.messages.ts`…),
 * registered when this file is loaded (src/messages.ts loads every module's). French is the
 * reference; English has the same keys and placeholders.
 */
const fr = {};
const en: typeof fr = {};

registerMessages('certification', { fr, en });
