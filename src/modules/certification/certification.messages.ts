import { registerMessages } from '../../platform/i18n';

/**
 * The certification module's own messages (its parts have theirs: levels.messages.ts). Empty
 * so far: the module's other parts add their keys here.
 */
const fr = {};
const en: Record<keyof typeof fr, string> = {};

registerMessages('certification', { fr, en });
