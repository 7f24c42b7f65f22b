import { registerMessages } from '../../platform/i18n';

/**
 * The privacy module's messages of "download my data" (ACC-11): the page, the readable copy, the
 * privacy set's own words. French is the reference; English has the same keys and placeholders.
 */
const fr = {
  'privacy.export.title': 'Télécharger mes données',
  'privacy.export.intro':
    'Vous pouvez obtenir tout ce que le service des cours municipaux d’adultes conserve sur vous : votre compte et votre fiche, vos candidatures et leur historique, vos paiements, votre assiduité, les documents délivrés, vos consentements, vos connexions et sessions, et qui, parmi le personnel, a consulté ou modifié votre dossier.',
  'privacy.export.formats': 'Vous obtenez un fichier JSON, lisible par un logiciel (pour réutiliser vos données ailleurs), et une page lisible que vous pouvez imprimer.',
  'privacy.export.private': 'Vous seul pouvez l’ouvrir, connecté à votre compte ; le personnel n’y a pas accès. Il est effacé au bout de {hours} heures.',
  'privacy.export.request': 'Préparer mes données',
  'privacy.export.requestAgain': 'Préparer à nouveau mes données',
  'privacy.export.preparing': 'Vos données sont en cours de préparation (demande du {date}). Cela peut prendre quelques minutes : rechargez cette page pour voir le lien.',
  'privacy.export.refresh': 'Recharger la page',
  'privacy.export.ready': 'Vos données du {date} sont prêtes. Elles restent disponibles jusqu’au {expires}, puis sont effacées.',
  'privacy.export.read': 'Lire mes données (page imprimable)',
  'privacy.export.file': 'Télécharger le fichier JSON ({size})',
  'privacy.export.size': '{size} ko',
  'privacy.export.kept': 'Ce que nous conservons, pourquoi et jusqu’à quand',
  'privacy.export.back': 'Retour à mon compte',

  'privacy.export.report.title': 'Mes données',
  'privacy.export.report.generated': 'Données extraites le {date}. Pour les imprimer, utilisez la commande « Imprimer » de votre navigateur.',
  'privacy.export.report.contents': 'Sommaire',
  'privacy.export.report.empty': 'Rien n’est conservé dans cette partie.',
  'privacy.export.report.rows.one': '{count} élément',
  'privacy.export.report.rows.other': '{count} éléments',
  'privacy.export.report.back': 'Retour à « Télécharger mes données »',
  'privacy.export.value.yes': 'oui',
  'privacy.export.value.no': 'non',

  'privacy.export.sectionTitle': 'Téléchargements de vos données',
  'privacy.export.purpose': 'Vous remettre une copie de vos données (droit d’accès et droit à la portabilité)',
  'privacy.export.retentionFrom': 'la demande du téléchargement',
};

const en: typeof fr = {
  'privacy.export.title': 'Download my data',
  'privacy.export.intro':
    'You can get everything the municipal adult courses service keeps about you: your account and learner record, your applications and their history, your payments, your attendance, the documents issued, your consents, your sign-ins and sessions, and who on the staff viewed or changed your file.',
  'privacy.export.formats': 'You get a JSON file, readable by software (to reuse your data elsewhere), and a readable page you can print.',
  'privacy.export.private': 'Only you can open it, signed in to your account; the staff have no access to it. It is deleted after {hours} hours.',
  'privacy.export.request': 'Prepare my data',
  'privacy.export.requestAgain': 'Prepare my data again',
  'privacy.export.preparing': 'Your data is being prepared (asked for on {date}). This may take a few minutes: reload this page to see the link.',
  'privacy.export.refresh': 'Reload the page',
  'privacy.export.ready': 'Your data of {date} is ready. It stays available until {expires}, then it is deleted.',
  'privacy.export.read': 'Read my data (printable page)',
  'privacy.export.file': 'Download the JSON file ({size})',
  'privacy.export.size': '{size} KB',
  'privacy.export.kept': 'What we keep, why, and until when',
  'privacy.export.back': 'Back to my account',

  'privacy.export.report.title': 'My data',
  'privacy.export.report.generated': 'Data extracted on {date}. To print it, use your browser’s “Print” command.',
  'privacy.export.report.contents': 'Contents',
  'privacy.export.report.empty': 'Nothing is kept in this part.',
  'privacy.export.report.rows.one': '{count} item',
  'privacy.export.report.rows.other': '{count} items',
  'privacy.export.report.back': 'Back to “Download my data”',
  'privacy.export.value.yes': 'yes',
  'privacy.export.value.no': 'no',

  'privacy.export.sectionTitle': 'Downloads of your data',
  'privacy.export.purpose': 'Giving you a copy of your data (right of access and right to data portability)',
  'privacy.export.retentionFrom': 'the request for the download',
};

type ExportMessages = typeof fr;
declare module '../../platform/i18n' {
  interface Messages extends ExportMessages {}
}

registerMessages('privacy.export', { fr, en });
