import { registerMessages } from '../../platform/i18n';

/**
 * The applications module's messages of SVC-2 (a session cancelled by the service): the status
 * and the reason its history tells. French is the reference.
 */
const fr = {
  'apps.status.session_cancelled': 'Session annulée par le service',
  'apps.reason.sessionCancelled': 'le service a annulé la session : les frais payés vous seront remboursés',
};

const en: typeof fr = {
  'apps.status.session_cancelled': 'Session cancelled by the service',
  'apps.reason.sessionCancelled': 'the service cancelled the session: fees paid will be refunded to you',
};

type CancellationMessages = typeof fr;
declare module '../../platform/i18n' {
  interface Messages extends CancellationMessages {}
}

registerMessages('applications.cancellations', { fr, en });
