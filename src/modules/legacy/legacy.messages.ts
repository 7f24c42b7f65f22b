import { registerMessages } from '../../platform/i18n';

/**
 * The legacy module's messages (ACC-9: the previous system's accounts and their history),
 * registered when this file is loaded (src/messages.ts loads every module's). French is the
 * reference; English has the same keys and placeholders.
 */
const fr = {};
const en: typeof fr = {};

registerMessages('legacy', { fr, en });
