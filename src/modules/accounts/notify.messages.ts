import { registerMessages } from '../../platform/i18n';

/**
 * SVC-7's messages: the page where a learner chooses how to be told (`/compte/notifications`)
 * and its link from the account page and the learner record. French is the reference.
 */
const fr = {
  'notify.title': 'Comment être prévenu·e',
  'notify.accountLink': 'Comment être prévenu·e : courriel, SMS ou les deux',
  'notify.intro':
    'Choisissez comment nous vous prévenons des nouvelles de vos candidatures et de vos cours : réponse à une candidature, convocation, place proposée, paiement, absences, attestations, remboursement.',
  'notify.legend': 'Me prévenir par',
  'notify.choice.email': 'Courriel',
  'notify.choice.sms': 'SMS',
  'notify.choice.both': 'Courriel et SMS',
  'notify.choice.emailTo': 'Courriel, à l’adresse {email}',
  'notify.choice.smsTo': 'SMS, au {mobile}',
  'notify.choice.bothTo': 'Courriel et SMS ({email} et {mobile})',
  'notify.noMobile':
    'Le SMS n’est pas possible : aucun numéro de téléphone portable n’est connu. Ajoutez-en un dans vos coordonnées, puis revenez sur cette page.',
  'notify.addMobile': 'Ajouter un numéro de portable dans mes coordonnées',
  'notify.noEmail': 'Aucune adresse de courriel n’est connue : vous êtes prévenu·e par SMS. Ajoutez une adresse depuis votre compte pour recevoir aussi des courriels.',
  'notify.submit': 'Enregistrer mon choix',
  'notify.saved': 'Votre choix est enregistré.',
  'notify.current': 'Aujourd’hui, vous êtes prévenu·e par : {choice}.',
  'notify.urgent':
    'Quand un cours est annulé, passe à distance ou qu’une séance est annulée, nous vous prévenons par courriel et par SMS, quel que soit votre choix.',
  'notify.accountEmails':
    'Les messages de votre compte lui-même restent envoyés par courriel seulement : activation du compte, mot de passe oublié ou changé, changement d’adresse, code pour relier un ancien compte, fermeture du compte.',
  'notify.error.noMobile': 'Ajoutez d’abord un numéro de téléphone portable dans vos coordonnées pour être prévenu·e par SMS.',
  'notify.error.noEmail': 'Ajoutez d’abord une adresse de courriel pour être prévenu·e par courriel.',
  'notify.back': 'Retour à mon compte',
  'notify.recordHint':
    'Nous vous prévenons par courriel. Après l’enregistrement, vous pourrez choisir le SMS, ou le courriel et le SMS, dans votre compte (« Comment être prévenu·e »).',
};

const en: Record<keyof typeof fr, string> = {
  'notify.title': 'How you are told',
  'notify.accountLink': 'How you are told: email, text message or both',
  'notify.intro':
    'Choose how we tell you news about your applications and courses: an answer to an application, an invitation to a test, a place offered, a payment, absences, certificates, a refund.',
  'notify.legend': 'Tell me by',
  'notify.choice.email': 'Email',
  'notify.choice.sms': 'Text message (SMS)',
  'notify.choice.both': 'Email and text message',
  'notify.choice.emailTo': 'Email, to {email}',
  'notify.choice.smsTo': 'Text message, to {mobile}',
  'notify.choice.bothTo': 'Email and text message ({email} and {mobile})',
  'notify.noMobile': 'Text messages are not possible: no mobile phone number is known. Add one in your contact details, then come back to this page.',
  'notify.addMobile': 'Add a mobile number in my contact details',
  'notify.noEmail': 'No email address is known: you are told by text message. Add an address from your account to get emails too.',
  'notify.submit': 'Save my choice',
  'notify.saved': 'Your choice has been saved.',
  'notify.current': 'Today you are told by: {choice}.',
  'notify.urgent': 'When a course is cancelled or moves online, or a class is cancelled, we tell you by email and by text message, whatever you choose.',
  'notify.accountEmails':
    'Messages about your account itself are still sent by email only: account activation, forgotten or changed password, change of address, the code to link a former account, account closure.',
  'notify.error.noMobile': 'First add a mobile phone number in your contact details to be told by text message.',
  'notify.error.noEmail': 'First add an email address to be told by email.',
  'notify.back': 'Back to my account',
  'notify.recordHint': 'We tell you by email. Once this is saved, you can choose text messages, or email and text messages, in your account (“How you are told”).',
};

type NotifyMessages = typeof fr;
declare module '../../platform/i18n' {
  interface Messages extends NotifyMessages {}
}

registerMessages('accounts.notify', { fr, en });
