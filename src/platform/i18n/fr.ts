/**
 * The platform's French messages, the reference: the layout, forms, error pages, generic field
 * messages, the development mailbox. en.ts has the same keys. Each module keeps its own messages
 * beside it, in src/modules/<module>/<module>.messages.ts.
 */
export const fr = {
  'service.name': 'Cours municipaux d’adultes',
  'service.tagline': 'Inscriptions en ligne',

  'layout.skip': 'Aller au contenu',
  'layout.nav': 'Menu principal',
  'layout.home': 'Accueil',
  'layout.login': 'Se connecter',
  'layout.signup': 'Créer un compte',
  'layout.account': 'Mon compte',
  'layout.staff': 'Espace personnel',
  'layout.logout': 'Se déconnecter',
  'layout.switchLanguage': 'English',
  'layout.switchLanguageLabel': 'Read this site in English',
  'layout.help': 'Besoin d’aide ? Appelez le 3975 (du lundi au vendredi, de 8 h 30 à 18 h).',
  'layout.mailbox': 'Boîte mail de développement',
  'layout.requestId': 'Référence de la demande : {id}',
  'layout.search': 'Rechercher une formation',

  'form.errorSummary.one': 'Le formulaire contient une erreur',
  'form.errorSummary.other': 'Le formulaire contient {count} erreurs',
  'form.optional': '(facultatif)',

  'error.notFound.title': 'Page introuvable',
  'error.notFound.message': 'Cette page n’existe pas ou n’existe plus. Vérifiez l’adresse ou revenez à l’accueil.',
  'error.forbidden.title': 'Accès refusé',
  'error.forbidden.message': 'Vous n’avez pas le droit de voir cette page.',
  'error.unauthenticated.title': 'Connexion nécessaire',
  'error.unauthenticated.message': 'Connectez-vous pour continuer.',
  'error.csrf.title': 'Formulaire expiré',
  'error.csrf.message': 'Ce formulaire n’est plus valable (il a peut-être été ouvert il y a longtemps). Revenez à la page précédente, rechargez-la et recommencez.',
  'error.rateLimited.title': 'Trop de tentatives',
  'error.rateLimited.message': 'Vous avez fait trop de tentatives en peu de temps. Attendez quelques minutes avant de recommencer.',
  'error.validation.title': 'Demande incorrecte',
  'error.validation.message': 'Cette demande n’a pas pu être comprise.',
  'error.conflict.title': 'Action impossible',
  'error.conflict.message': 'Cette action n’est plus possible.',
  'error.unavailable.title': 'Service momentanément indisponible',
  'error.unavailable.message': 'Le service est très sollicité. Réessayez dans quelques instants.',
  'error.server.title': 'Erreur du service',
  'error.server.message': 'Une erreur s’est produite de notre côté. Rien n’a été perdu ; réessayez dans un instant. Si le problème continue, appelez le 3975 en donnant la référence ci-dessous.',
  'error.backHome': 'Revenir à l’accueil',

  'field.required': 'Ce champ est obligatoire.',
  'field.tooLong': 'Ce texte est trop long ({max} caractères au maximum).',
  'field.invalidChoice': 'Choisissez une des options proposées.',
  'field.invalidCharacters': 'Ce texte contient un caractère invisible qui n’est pas accepté : retapez-le.',

  'upload.required': 'Choisissez un fichier.',
  'upload.empty': 'Ce fichier est vide : choisissez le bon fichier.',
  'upload.tooLarge': 'Ce fichier est trop lourd : {max} Mo au maximum. Réduisez-le (une photo moins grande, un scan en PDF) et recommencez.',
  'upload.type': 'Ce fichier n’est pas un PDF, une image JPEG ou une image PNG (c’est son contenu qui est vérifié, pas son nom). Enregistrez-le dans l’un de ces formats et recommencez.',
  'upload.oneFile': 'Envoyez un seul fichier à la fois.',
  'upload.unreadable': 'Le formulaire n’a pas pu être lu en entier. Choisissez à nouveau votre fichier et recommencez.',
  'upload.chooseAgain': 'Le fichier choisi n’est pas gardé quand le formulaire revient avec une erreur : choisissez-le à nouveau.',

  'email.invalid': 'Saisissez une adresse électronique valide, par exemple nom@exemple.fr.',
  'email.footer': 'Ce message a été envoyé automatiquement, merci de ne pas y répondre. Besoin d’aide ? Appelez le 3975.',

  'date.invalid': 'Saisissez une date valide, par exemple 14/07/1985.',

  'mailbox.title': 'Boîte mail de développement',
  'mailbox.intro': 'Sans SMTP_URL, les courriels restent ici au lieu d’être envoyés. Cette page n’existe pas en production et ne répond qu’à un navigateur de la machine où tourne l’application.',
  'mailbox.empty': 'Aucun courriel pour le moment.',
  'mailbox.to': 'Destinataire',
  'mailbox.subject': 'Objet',
  'mailbox.date': 'Date',
  'mailbox.back': 'Retour à la boîte mail',
  'mailbox.attachments': 'Pièces jointes',
  'mailbox.totp': 'Codes TOTP des comptes de démonstration',
  'mailbox.totpIntro': 'Pour essayer la connexion du personnel sans application d’authentification.',
  'mailbox.sms.title': 'SMS',
  'mailbox.sms.intro': 'Sans fournisseur (SMS_PROVIDER), les SMS restent ici, à l’état « sent ». Le texte est celui qui part, déjà écrit dans l’alphabet GSM 7 bits quand c’est possible.',
  'mailbox.sms.empty': 'Aucun SMS pour le moment.',
  'mailbox.sms.to': 'Numéro',
  'mailbox.sms.text': 'Texte',
  'mailbox.sms.encoding': 'Codage',
  'mailbox.sms.segments': 'Segments',
  'mailbox.sms.state': 'État',

  'arrondissement.n': '{n}e arrondissement',
  'arrondissement.1': '1er arrondissement',

  'slot': '{day} de {from} à {to}',

  'apps.nav': 'Mes candidatures',
} as const;
