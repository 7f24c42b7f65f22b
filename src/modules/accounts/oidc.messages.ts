import { registerMessages } from '../../platform/i18n';

/**
 * ACC-13's messages: signing in with an OpenID provider (FranceConnect, the city's account),
 * a first sign-in's choices, the errors in plain words. French is the reference.
 */
const fr = {
  'oidc.or': 'ou',
  'oidc.franceconnect.login': 'S’identifier avec',
  'oidc.franceconnect.what': 'Qu’est-ce que FranceConnect ?',
  'oidc.franceconnect.whatTitle': 'Qu’est-ce que FranceConnect ? - nouvelle fenêtre',
  'oidc.generic.login': 'Se connecter avec {provider}',
  'oidc.signupIntro': 'Vous pouvez aussi créer votre compte en vous identifiant avec :',

  'oidc.unavailable': '{provider} ne répond pas pour le moment. Réessayez dans quelques minutes, ou connectez-vous avec votre adresse électronique et votre mot de passe.',
  'oidc.expired': 'La connexion avec {provider} n’a pas pu être terminée : elle a expiré, a déjà été utilisée ou a été commencée dans un autre navigateur. Recommencez.',
  'oidc.refused': 'La réponse de {provider} n’a pas pu être vérifiée, la connexion est refusée. Recommencez ; si cela se reproduit, connectez-vous avec votre adresse électronique et votre mot de passe.',
  'oidc.cancelled': 'Vous avez annulé la connexion avec {provider}. Vous pouvez recommencer, ou vous connecter avec votre adresse électronique et votre mot de passe.',
  'oidc.providerError': '{provider} n’a pas pu vous identifier. Recommencez, ou connectez-vous avec votre adresse électronique et votre mot de passe.',
  'oidc.providerSaid': 'Message de {provider} : « {description} »',
  'oidc.staff': 'Les comptes du personnel se connectent avec leur mot de passe et leur code à 6 chiffres, pas avec {provider}.',
  'oidc.disabled': 'Ce compte est désactivé. Adressez-vous à l’accueil des cours municipaux d’adultes.',
  'oidc.reauthMismatch': 'Vous vous êtes identifié avec {provider} sous une autre identité que celle de votre compte : l’opération est refusée.',
  'oidc.reauthDone': 'Votre identité est confirmée.',

  'oidc.step.title': 'Votre première connexion avec {provider}',
  'oidc.step.linkIntro': 'Un compte existe déjà avec l’adresse {email}. Pour le relier à {provider}, prouvez qu’il est à vous : saisissez son mot de passe, ou recevez un lien à cette adresse. Ensuite, vous pourrez vous connecter avec l’un ou l’autre.',
  'oidc.step.linkIntroNoPassword': 'Un compte existe déjà avec l’adresse {email}. Pour le relier à {provider}, prouvez qu’il est à vous : recevez un lien à cette adresse et ouvrez-le dans ce navigateur.',
  'oidc.step.password': 'Mot de passe de ce compte',
  'oidc.step.passwordSubmit': 'Relier mon compte',
  'oidc.step.wrongPassword': 'Ce mot de passe n’est pas celui du compte. Réessayez, ou recevez un lien par courriel.',
  'oidc.step.sendLink': 'Recevoir un lien par courriel',
  'oidc.step.orLink': 'Vous ne connaissez pas ce mot de passe ?',
  'oidc.step.createIntro': 'Aucun compte n’existe avec l’adresse {email} que {provider} nous a transmise. Créez votre compte : vous compléterez ensuite votre fiche, déjà préremplie avec les informations de {provider}.',
  'oidc.step.createSubmit': 'Créer mon compte',
  'oidc.step.unverifiedIntro': '{provider} ne nous a pas transmis d’adresse électronique vérifiée : nous ne pouvons pas la rapprocher d’un compte. Indiquez l’adresse à utiliser ; nous vous y enverrons un lien à ouvrir dans ce navigateur. Si un compte existe avec cette adresse, il sera relié à {provider} ; sinon, un compte sera créé.',
  'oidc.step.unverifiedLocal': 'Vous pouvez aussi vous connecter avec votre adresse électronique et votre mot de passe, ou créer un compte sans {provider}.',
  'oidc.step.email': 'Adresse électronique',
  'oidc.step.staff': 'L’adresse transmise par {provider} est celle d’un compte du personnel : les comptes du personnel se connectent avec leur mot de passe et leur code à 6 chiffres.',
  'oidc.step.sentTitle': 'Consultez votre messagerie',
  'oidc.step.sent': 'Si cette adresse peut être utilisée, un lien vient d’être envoyé à {email}. Ouvrez-le dans ce navigateur, dans les 30 minutes.',
  'oidc.step.otherBrowser': 'Ce lien doit être ouvert dans le navigateur avec lequel vous vous êtes identifié avec le fournisseur d’identité. Ouvrez-le dans ce navigateur-là, ou recommencez la connexion ici.',
  'oidc.step.linkExpired': 'Ce lien n’est plus valable : il a expiré ou a déjà été utilisé. Recommencez la connexion.',
  'oidc.step.exists': 'Un compte vient d’être créé avec cette adresse : prouvez qu’il est à vous pour le relier.',

  'oidc.record.prefilled': 'Ces informations viennent de {provider}. Vérifiez-les, complétez la fiche, puis validez.',
  'oidc.record.birthDateToCheck': '{provider} a transmis le 1er janvier comme date de naissance : elle est peut-être approximative. Vérifiez-la et corrigez-la si besoin.',

  'oidc.email.link.subject': 'Relier votre compte à {provider}',
  'oidc.email.link.body':
    'Bonjour,\n\nQuelqu’un s’est identifié avec {provider} et demande à relier cette identité à votre compte des cours municipaux d’adultes. Si c’est vous, ouvrez ce lien dans le navigateur où vous vous êtes identifié (valable {minutes} minutes, une seule fois) :\n{link}\n\nSi ce n’est pas vous, ignorez ce message : rien ne sera relié.',
  'oidc.email.create.subject': 'Créer votre compte avec {provider}',
  'oidc.email.create.body':
    'Bonjour,\n\nPour créer votre compte des cours municipaux d’adultes avec cette adresse et {provider}, ouvrez ce lien dans le navigateur où vous vous êtes identifié (valable {minutes} minutes, une seule fois) :\n{link}\n\nSi ce n’est pas vous, ignorez ce message : aucun compte ne sera créé.',
};

const en: typeof fr = {
  'oidc.or': 'or',
  'oidc.franceconnect.login': 'Sign in with',
  'oidc.franceconnect.what': 'What is FranceConnect?',
  'oidc.franceconnect.whatTitle': 'What is FranceConnect? - new window',
  'oidc.generic.login': 'Sign in with {provider}',
  'oidc.signupIntro': 'You can also create your account by signing in with:',

  'oidc.unavailable': '{provider} is not answering at the moment. Try again in a few minutes, or sign in with your email address and password.',
  'oidc.expired': 'Signing in with {provider} could not be completed: it expired, was used already or was started in another browser. Please start again.',
  'oidc.refused': 'The answer from {provider} could not be verified, so signing in is refused. Start again; if it happens again, sign in with your email address and password.',
  'oidc.cancelled': 'You cancelled signing in with {provider}. You can start again, or sign in with your email address and password.',
  'oidc.providerError': '{provider} could not identify you. Start again, or sign in with your email address and password.',
  'oidc.providerSaid': 'Message from {provider}: “{description}”',
  'oidc.staff': 'Staff accounts sign in with their password and 6-digit code, not with {provider}.',
  'oidc.disabled': 'This account is disabled. Please contact the adult courses’ front desk.',
  'oidc.reauthMismatch': 'You signed in with {provider} as someone other than this account’s owner: the operation is refused.',
  'oidc.reauthDone': 'Your identity is confirmed.',

  'oidc.step.title': 'Your first sign-in with {provider}',
  'oidc.step.linkIntro': 'An account already exists with the address {email}. To link it to {provider}, prove it is yours: enter its password, or receive a link at that address. Afterwards you can sign in either way.',
  'oidc.step.linkIntroNoPassword': 'An account already exists with the address {email}. To link it to {provider}, prove it is yours: receive a link at that address and open it in this browser.',
  'oidc.step.password': 'This account’s password',
  'oidc.step.passwordSubmit': 'Link my account',
  'oidc.step.wrongPassword': 'This is not the account’s password. Try again, or receive a link by email.',
  'oidc.step.sendLink': 'Receive a link by email',
  'oidc.step.orLink': 'You do not know this password?',
  'oidc.step.createIntro': 'No account exists with the address {email} that {provider} gave us. Create your account: you will then complete your record, already prefilled with what {provider} told us.',
  'oidc.step.createSubmit': 'Create my account',
  'oidc.step.unverifiedIntro': '{provider} did not give us a verified email address: we cannot match it with an account. Enter the address to use; we will send a link there, to open in this browser. If an account exists with that address, it will be linked to {provider}; otherwise an account will be created.',
  'oidc.step.unverifiedLocal': 'You can also sign in with your email address and password, or create an account without {provider}.',
  'oidc.step.email': 'Email address',
  'oidc.step.staff': 'The address {provider} gave is a staff account’s: staff accounts sign in with their password and 6-digit code.',
  'oidc.step.sentTitle': 'Check your email',
  'oidc.step.sent': 'If this address can be used, a link has just been sent to {email}. Open it in this browser within 30 minutes.',
  'oidc.step.otherBrowser': 'This link must be opened in the browser in which you signed in with the identity provider. Open it there, or start signing in again here.',
  'oidc.step.linkExpired': 'This link is no longer valid: it expired or was used already. Start signing in again.',
  'oidc.step.exists': 'An account has just been created with this address: prove it is yours to link it.',

  'oidc.record.prefilled': 'This information comes from {provider}. Check it, complete the record, then submit.',
  'oidc.record.birthDateToCheck': '{provider} gave the 1st of January as your birth date: it may be approximate. Check it and correct it if needed.',

  'oidc.email.link.subject': 'Link your account to {provider}',
  'oidc.email.link.body':
    'Hello,\n\nSomeone signed in with {provider} and asks to link that identity to your adult courses account. If it was you, open this link in the browser where you signed in (valid {minutes} minutes, once):\n{link}\n\nIf it was not you, ignore this message: nothing will be linked.',
  'oidc.email.create.subject': 'Create your account with {provider}',
  'oidc.email.create.body':
    'Hello,\n\nTo create your adult courses account with this address and {provider}, open this link in the browser where you signed in (valid {minutes} minutes, once):\n{link}\n\nIf it was not you, ignore this message: no account will be created.',
};

type OidcMessages = typeof fr;
declare module '../../platform/i18n' {
  interface Messages extends OidcMessages {}
}

registerMessages('accounts.oidc', { fr, en });
