import { registerMessages } from '../../platform/i18n';

/**
 * The attendance module's messages of the calendars (CAT-8): the `.ics` files' texts and the
 * learner's page of their private feed. French is the reference; English has the same keys and
 * placeholders.
 */
const fr = {
  'att.calendar.cancelledTitle': 'Annulée — {title}',
  'att.calendar.cancelled': 'Séance annulée par le service.',
  'att.calendar.cancelledReason': 'Séance annulée par le service : {reason}',
  'att.calendar.sessionCancelled': 'Session annulée par le service : ses séances n’ont pas lieu.',
  'att.calendar.sheet': 'Fiche du cours : {url}',
  'att.calendar.group': 'Groupe {code}, {school}.',
  'att.calendar.sessionName': '{title} ({school})',
  'att.calendar.feedName': 'Mes cours — {service}',
  'att.calendar.downloadOf': 'Ajouter les séances de ce groupe, {school}, à mon agenda (fichier .ics)',

  'att.calendar.title': 'Mon calendrier des cours',
  'att.calendar.intro':
    'Un lien secret met toutes les séances des cours où vous avez une place dans l’agenda de votre téléphone ou de votre messagerie. Les séances annulées par le service y apparaissent comme annulées, et l’agenda se met à jour de lui-même.',
  'att.calendar.none': 'Vous n’avez pas encore de lien de calendrier.',
  'att.calendar.create': 'Créer mon lien de calendrier',
  'att.calendar.made': 'Votre lien actuel a été créé le {date}.',
  'att.calendar.shownOnce':
    'Par sécurité, le lien n’est affiché qu’au moment où il est créé. Si vous ne l’avez plus, ou si quelqu’un d’autre l’a vu, créez-en un nouveau : l’ancien cessera aussitôt de fonctionner.',
  'att.calendar.renew': 'Créer un nouveau lien (l’ancien ne marchera plus)',
  'att.calendar.yourLink': 'Votre lien de calendrier',
  'att.calendar.linkLabel': 'Adresse du calendrier, à copier',
  'att.calendar.yourLinkHint': 'Copiez-le maintenant : il ne sera plus affiché. Ne le partagez pas : il donne accès à vos horaires de cours.',
  'att.calendar.renewed': 'Un nouveau lien a été créé ; l’ancien ne fonctionne plus.',
  'att.calendar.subscribe': 'S’abonner avec l’agenda de cet appareil',
  'att.calendar.how': 'Comment l’ajouter à votre agenda',
  'att.calendar.how.iphone': 'iPhone ou iPad : Réglages › Calendrier › Comptes › Ajouter un compte › Autre › Ajouter un calendrier avec abonnement, puis collez le lien.',
  'att.calendar.how.android': 'Android (Google Agenda) : sur un ordinateur, ouvrez Google Agenda › Autres agendas › + › À partir de l’URL, collez le lien ; l’agenda apparaît ensuite sur le téléphone.',
  'att.calendar.how.outlook': 'Outlook : Calendrier › Ajouter un calendrier › S’abonner à partir du web, collez le lien.',
  'att.calendar.how.other': 'Autres agendas : cherchez « s’abonner à un calendrier » ou « ajouter par URL ». Les mises à jour peuvent prendre quelques heures.',
  'att.calendar.sessions': 'Cours dans votre calendrier',
  'att.calendar.noSessions': 'Vous n’avez encore de place dans aucun cours : votre calendrier est vide pour l’instant.',
  'att.calendar.back': 'Retour à mon compte',
};

const en: Record<keyof typeof fr, string> = {
  'att.calendar.cancelledTitle': 'Cancelled — {title}',
  'att.calendar.cancelled': 'Meeting cancelled by the service.',
  'att.calendar.cancelledReason': 'Meeting cancelled by the service: {reason}',
  'att.calendar.sessionCancelled': 'Session cancelled by the service: its meetings do not take place.',
  'att.calendar.sheet': 'Course sheet: {url}',
  'att.calendar.group': 'Group {code}, {school}.',
  'att.calendar.sessionName': '{title} ({school})',
  'att.calendar.feedName': 'My courses — {service}',
  'att.calendar.downloadOf': 'Add this group’s meetings, {school}, to my calendar (.ics file)',

  'att.calendar.title': 'My course calendar',
  'att.calendar.intro':
    'A secret link puts every meeting of the courses where you hold a place into your phone’s or your mailbox’s calendar. Meetings the service cancels show as cancelled, and the calendar updates itself.',
  'att.calendar.none': 'You have no calendar link yet.',
  'att.calendar.create': 'Create my calendar link',
  'att.calendar.made': 'Your current link was created on {date}.',
  'att.calendar.shownOnce':
    'For your security, the link is shown only when it is created. If you no longer have it, or someone else has seen it, create a new one: the old one stops working at once.',
  'att.calendar.renew': 'Create a new link (the old one will stop working)',
  'att.calendar.yourLink': 'Your calendar link',
  'att.calendar.linkLabel': 'Calendar address, to copy',
  'att.calendar.yourLinkHint': 'Copy it now: it will not be shown again. Do not share it: it gives access to your course times.',
  'att.calendar.renewed': 'A new link has been created; the old one no longer works.',
  'att.calendar.subscribe': 'Subscribe with this device’s calendar',
  'att.calendar.how': 'How to add it to your calendar',
  'att.calendar.how.iphone': 'iPhone or iPad: Settings › Calendar › Accounts › Add Account › Other › Add Subscribed Calendar, then paste the link.',
  'att.calendar.how.android': 'Android (Google Calendar): on a computer, open Google Calendar › Other calendars › + › From URL, paste the link; the calendar then shows on the phone.',
  'att.calendar.how.outlook': 'Outlook: Calendar › Add calendar › Subscribe from web, paste the link.',
  'att.calendar.how.other': 'Other calendars: look for “subscribe to a calendar” or “add by URL”. Updates may take a few hours.',
  'att.calendar.sessions': 'Courses in your calendar',
  'att.calendar.noSessions': 'You do not hold a place in any course yet: your calendar is empty for now.',
  'att.calendar.back': 'Back to my account',
};

type CalendarMessages = typeof fr;
declare module '../../platform/i18n' {
  interface Messages extends CalendarMessages {}
}

registerMessages('attendance.calendar', { fr, en });
