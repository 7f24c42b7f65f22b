import { registerMessages } from '../../platform/i18n';

/**
 * The open-data module's own messages. Its parts keep theirs beside them (`csv.messages.ts`,
 * registered as `opendata.csv`); this file is the module's, which the parts' files need
 * (src/messages.unit.test.ts).
 */
const fr = {
  'opendata.name': 'Données ouvertes',
};

const en: typeof fr = {
  'opendata.name': 'Open data',
};

type OpenDataMessages = typeof fr;
declare module '../../platform/i18n' {
  interface Messages extends OpenDataMessages {}
}

registerMessages('opendata', { fr, en });
