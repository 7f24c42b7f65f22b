import { registerMessages } from '../../platform/i18n';

/**
 * The payments module's own messages. A placeholder in the reconciliation branch: the messages
 * test wants a module's part files (statements.messages.ts) beside the module's own file. The
 * payments service's branch brings the real one.
 */
const fr = {};
const en: Record<keyof typeof fr, string> = {};

registerMessages('payments', { fr, en });
