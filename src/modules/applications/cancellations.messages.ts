import { registerMessages } from '../../platform/i18n';

/**
 * The applications module's messages of SVC-2 (a session cancelled by the service): the status
 * and the reason its history tells. French is the reference.
 */
const fr = {
  'apps.status.session_cancelled': 'Session annulée par le service',
  'apps.reason.sessionCancelled': 'le service a annulé la session : les frais payés vous seront remboursés',
  'apps.preselection.sessionCancelled': 'Le service a annulé cette session : vous ne pouvez plus envoyer cette candidature. Supprimez-la et choisissez une autre session dans le catalogue.',
};

const en: typeof fr = {
  'apps.status.session_cancelled': 'Session cancelled by the service',
  'apps.reason.sessionCancelled': 'the service cancelled the session: fees paid will be refunded to you',
  'apps.preselection.sessionCancelled': 'The service cancelled this session: this application can no longer be sent. Delete it and choose another session in the catalogue.',
};

type CancellationMessages = typeof fr;
declare module '../../platform/i18n' {
  interface Messages extends CancellationMessages {}
}

registerMessages('applications.cancellations', { fr, en });
