import { registerMessages } from '../../platform/i18n';

/**
 * The staff module's messages, registered when this file is loaded (src/messages.ts loads every
 * module's). French is the reference; English has the same keys and placeholders.
 */
const fr = {
  'home.welcome': 'Bonjour {name}',

  'staff.title': 'Espace personnel',
  'staff.intro': 'Vous êtes connecté en tant que {role}. Les écrans de gestion arrivent bientôt.',
  'staff.sessions': 'Les sessions de votre périmètre',
  'staff.scopeAll': 'Vous voyez toutes les sessions du service.',
  'staff.scopeNone': 'Aucune session ne vous est encore attribuée. L’administration du service vous les attribue.',
  'staff.filter': 'Filtrer',
  'staff.export': 'Exporter la liste',
  'staff.exportCsv': 'Tableur CSV',
  'staff.exportXlsx': 'Classeur Excel',
  'staff.filterPeriod': 'Période',
  'staff.allPeriods': 'Toutes les périodes',
  'staff.filterShow': 'Afficher',
  'staff.sortAsc': 'trier par ordre croissant',
  'staff.sortDesc': 'trier par ordre décroissant',
  'staff.changeRequests': 'Demandes de changement de jour en attente ({count})',
  'staff.learnersLink': 'Rechercher un apprenant (changements de nom)',

  'staff.col.session': 'Session',
  'staff.col.course': 'Cours',
  'staff.col.school': 'Établissement',
  'staff.col.period': 'Période',
  'staff.col.slots': 'Jours et horaires',
  'staff.col.capacity': 'Places',
  'staff.col.processing': 'Candidatures en cours',
  'staff.col.accepted': 'Acceptées',
  'staff.col.enrolled': 'Inscrites',
  'staff.col.waiting': 'En liste d’attente',
  'staff.col.free': 'Places libres',

  'staff.count.one': '{count} session',
  'staff.count.other': '{count} sessions',

  'staff.show.all': 'Toutes les sessions',
  'staff.show.free': 'Avec des places libres',
  'staff.show.waiting': 'Avec une liste d’attente',
  'staff.show.processing': 'Avec des candidatures en cours',

  'admin.link': 'Administration',

  'learners.title': 'Apprenants',
  'learners.scopeAll': 'Vous voyez tous les apprenants du service.',
  'learners.scopeCoordinator': 'Vous voyez les apprenants qui ont une candidature dans une session de votre périmètre.',
  'learners.results': 'Résultats ({count})',
  'learners.none': 'Aucun apprenant de votre périmètre ne correspond.',
  'learners.tooMany': 'Seuls les {count} premiers sont affichés : précisez la recherche.',
  'learners.born': 'nom de naissance : {name}',
  'learners.requestPending': 'demande en attente',
  'learners.pending': 'Demandes de changement de nom en attente ({count})',
  'learners.pendingNone': 'Aucune demande en attente.',
  'learners.requestedOn': 'Demande envoyée le {date}.',
  'learners.nameChange': 'Demande de changement de nom',
  'learners.noRequest': 'Aucune demande en attente.',
  'learners.apply': 'Appliquer le changement',
  'learners.declineTitle': 'Refuser la demande',
  'learners.declineNote': 'Message à l’apprenant',
  'learners.declineNoteHint': 'Facultatif. Il figure dans le courriel envoyé à l’apprenant : dites ce qui manque ou pourquoi.',
  'learners.decline': 'Refuser la demande',

  'learners.search.q': 'Nom, prénom ou adresse électronique',
  'learners.search.qHint': 'Un ou plusieurs mots du nom, ou une partie de l’adresse (avec le @).',
  'learners.search.birthDate': 'Date de naissance',
  'learners.search.birthDateHint': 'Par exemple 14/07/1985.',
  'learners.search.submit': 'Rechercher',

  'learners.col.name': 'Nom',
  'learners.col.birthDate': 'Date de naissance',
  'learners.col.email': 'Adresse électronique',
  'learners.col.request': 'Changement de nom',

  'learners.flash.applied': 'Le changement de nom est appliqué ; l’apprenant est prévenu par courriel.',
  'learners.flash.declined': 'La demande est refusée ; l’apprenant est prévenu par courriel.',
  'learners.notice.stale': 'Cette demande a déjà été traitée ou remplacée. Voici la fiche telle qu’elle est maintenant.',
  'learners.notice.duplicatePerson': 'Une autre fiche porte déjà ce nom, ce prénom et cette date de naissance : le changement n’est pas appliqué. Vérifiez s’il s’agit de la même personne (règle : un compte par personne).',
} as const;

const en: Record<keyof typeof fr, string> = {
  'home.welcome': 'Hello {name}',

  'staff.title': 'Staff area',
  'staff.intro': 'You are logged in as {role}. The management screens are coming soon.',
  'staff.sessions': 'Sessions in your scope',
  'staff.scopeAll': 'You see every session of the service.',
  'staff.scopeNone': 'No session is assigned to you yet. The service’s administration assigns them.',
  'staff.filter': 'Filter',
  'staff.export': 'Export the list',
  'staff.exportCsv': 'CSV spreadsheet',
  'staff.exportXlsx': 'Excel workbook',
  'staff.filterPeriod': 'Period',
  'staff.allPeriods': 'All periods',
  'staff.filterShow': 'Show',
  'staff.sortAsc': 'sort in ascending order',
  'staff.sortDesc': 'sort in descending order',
  'staff.changeRequests': 'Requests to change day, pending ({count})',
  'staff.learnersLink': 'Find a learner (name changes)',

  'staff.col.session': 'Session',
  'staff.col.course': 'Course',
  'staff.col.school': 'School',
  'staff.col.period': 'Period',
  'staff.col.slots': 'Days and times',
  'staff.col.capacity': 'Places',
  'staff.col.processing': 'Applications in progress',
  'staff.col.accepted': 'Accepted',
  'staff.col.enrolled': 'Enrolled',
  'staff.col.waiting': 'On the waiting list',
  'staff.col.free': 'Free places',

  'staff.count.one': '{count} session',
  'staff.count.other': '{count} sessions',

  'staff.show.all': 'All sessions',
  'staff.show.free': 'With free places',
  'staff.show.waiting': 'With a waiting list',
  'staff.show.processing': 'With applications in progress',

  'admin.link': 'Administration',

  'learners.title': 'Learners',
  'learners.scopeAll': 'You see every learner of the service.',
  'learners.scopeCoordinator': 'You see the learners who have an application in a session of your scope.',
  'learners.results': 'Results ({count})',
  'learners.none': 'No learner of your scope matches.',
  'learners.tooMany': 'Only the first {count} are shown: narrow the search.',
  'learners.born': 'birth name: {name}',
  'learners.requestPending': 'request pending',
  'learners.pending': 'Name change requests pending ({count})',
  'learners.pendingNone': 'No request pending.',
  'learners.requestedOn': 'Request sent on {date}.',
  'learners.nameChange': 'Name change request',
  'learners.noRequest': 'No request pending.',
  'learners.apply': 'Apply the change',
  'learners.declineTitle': 'Decline the request',
  'learners.declineNote': 'Message to the learner',
  'learners.declineNoteHint': 'Optional. It is part of the email sent to the learner: say what is missing or why.',
  'learners.decline': 'Decline the request',

  'learners.search.q': 'Last name, first name or email address',
  'learners.search.qHint': 'One or more words of the name, or part of the address (with the @).',
  'learners.search.birthDate': 'Date of birth',
  'learners.search.birthDateHint': 'For example 14/07/1985.',
  'learners.search.submit': 'Search',

  'learners.col.name': 'Name',
  'learners.col.birthDate': 'Date of birth',
  'learners.col.email': 'Email address',
  'learners.col.request': 'Name change',

  'learners.flash.applied': 'The name change is applied; the learner is told by email.',
  'learners.flash.declined': 'The request is declined; the learner is told by email.',
  'learners.notice.stale': 'This request has already been dealt with or replaced. Here is the record as it is now.',
  'learners.notice.duplicatePerson': 'Another record already has this last name, first name and date of birth: the change is not applied. Check whether it is the same person (rule: one account per person).',
};

type StaffMessages = typeof fr;
declare module '../../platform/i18n' {
  interface Messages extends StaffMessages {}
}

registerMessages('staff', { fr, en });
