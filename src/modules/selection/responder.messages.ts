import { registerMessages } from '../../platform/i18n';

/** SEL-13: the preference responder's page and email. French is the reference; English has the same keys. */
const fr = {
  'sel.responder.title': 'Mes préférences et le répondeur automatique',
  'sel.responder.intro':
    'Classez les candidatures que vous voulez, de celle que vous préférez (n° 1) à celle que vous préférez le moins. Si vous activez le répondeur automatique, il répond pour vous, tout de suite, dès qu’une de ces candidatures obtient une place.',
  'sel.responder.what.title': 'Ce que fait le répondeur automatique',
  'sel.responder.what.accept': 'Quand une place vous est proposée dans une candidature de votre liste, il l’accepte pour vous.',
  'sel.responder.what.giveUp':
    'Il abandonne aussitôt les candidatures classées après celle-ci : leur place va à la personne suivante sur la liste d’attente. Ce choix est définitif.',
  'sel.responder.what.above': 'Les candidatures classées avant restent en attente : si une place s’y libère, il l’accepte et abandonne celle que vous aviez.',
  'sel.responder.what.lower': 'Si une place est proposée dans une candidature classée après une place que vous avez déjà, il la refuse (la candidature est abandonnée).',
  'sel.responder.what.equivalent': 'Il n’accepte jamais une place dans une autre formation équivalente ou un autre cours : ce choix reste le vôtre.',
  'sel.responder.what.told': 'Chaque fois qu’il agit, vous recevez un message et l’historique de vos candidatures le dit.',
  'sel.responder.what.notListed': 'Les candidatures qui ne sont pas dans la liste ne sont jamais touchées.',
  'sel.responder.none': 'Vous n’avez pas encore deux candidatures à classer (validées et en cours).',
  'sel.responder.list': 'Ma liste',
  'sel.responder.position': 'Rang de « {title} »',
  'sel.responder.notInList': 'Pas dans ma liste',
  'sel.responder.rank': 'n° {n}',
  'sel.responder.up': 'Monter « {title} »',
  'sel.responder.down': 'Descendre « {title} »',
  'sel.responder.upShort': 'Monter',
  'sel.responder.downShort': 'Descendre',
  'sel.responder.on': 'Activer le répondeur automatique : il répond pour moi aux places proposées, selon cet ordre',
  'sel.responder.save': 'Enregistrer mes préférences',
  'sel.responder.saved': 'Vos préférences sont enregistrées.',
  'sel.responder.savedOn': 'Vos préférences sont enregistrées. Le répondeur automatique est activé.',
  'sel.responder.stale': 'Votre liste a été modifiée dans une autre fenêtre : la voici telle qu’elle est enregistrée. Refaites vos changements si besoin.',
  'sel.responder.error.duplicate_position': 'Deux candidatures ont le même rang : donnez un rang différent à chacune.',
  'sel.responder.error.unknown_application': 'Cette candidature n’est pas l’une des vôtres.',
  'sel.responder.error.not_listable': 'Cette candidature ne peut plus être classée (elle est close ou déjà réglée).',
  'sel.responder.error.too_many': 'La liste est trop longue.',
  'sel.responder.error.position': 'Choisissez un rang dans la liste.',
  'sel.responder.session': '{school} — {status}',
  'sel.responder.email.subject': 'Votre répondeur automatique a répondu pour vous',
  'sel.responder.email.accepted': 'Une place vous a été proposée pour « {title} » : votre répondeur automatique l’a acceptée.',
  'sel.responder.email.kept': 'Vous avez une place pour « {title} », que vous avez classée avant vos autres candidatures.',
  'sel.responder.email.givenUp': 'Il a abandonné les candidatures que vous aviez classées après : {titles}. Leur place va à la personne suivante.',
  'sel.responder.email.why': 'Il l’a fait selon l’ordre de préférence que vous avez choisi. Les candidatures classées avant restent en attente.',
  'sel.responder.email.end': 'Vos candidatures : {link}\nVos préférences (pour changer l’ordre ou arrêter le répondeur) : {preferences}',
  'privacy.purpose.selection.responder': 'Répondre pour vous aux places proposées, selon votre ordre de préférence (répondeur automatique)',
  'privacy.section.selection.responder': 'Ordre de préférence et répondeur automatique',
};

const en: Record<keyof typeof fr, string> = {
  'sel.responder.title': 'My preferences and the automatic responder',
  'sel.responder.intro':
    'Put the applications you want in order, from the one you prefer (no. 1) to the one you prefer least. If you turn the automatic responder on, it answers for you, at once, as soon as one of these applications obtains a place.',
  'sel.responder.what.title': 'What the automatic responder does',
  'sel.responder.what.accept': 'When you are offered a place for an application in your list, it accepts it for you.',
  'sel.responder.what.giveUp': 'It gives up at once the applications ranked below it: their places go to the next person on the waiting list. This cannot be undone.',
  'sel.responder.what.above': 'The applications ranked above keep waiting: if a place frees up there, it accepts it and gives up the one you had.',
  'sel.responder.what.lower': 'If a place is offered for an application ranked below a place you already have, it declines it (the application is given up).',
  'sel.responder.what.equivalent': 'It never accepts a place in another, equivalent course or another session: that choice stays yours.',
  'sel.responder.what.told': 'Each time it acts, you get a message and your applications’ history says so.',
  'sel.responder.what.notListed': 'Applications that are not in the list are never touched.',
  'sel.responder.none': 'You do not have two applications to order yet (validated and in progress).',
  'sel.responder.list': 'My list',
  'sel.responder.position': 'Rank of “{title}”',
  'sel.responder.notInList': 'Not in my list',
  'sel.responder.rank': 'no. {n}',
  'sel.responder.up': 'Move “{title}” up',
  'sel.responder.down': 'Move “{title}” down',
  'sel.responder.upShort': 'Up',
  'sel.responder.downShort': 'Down',
  'sel.responder.on': 'Turn the automatic responder on: it answers the places offered to me, in this order',
  'sel.responder.save': 'Save my preferences',
  'sel.responder.saved': 'Your preferences are saved.',
  'sel.responder.savedOn': 'Your preferences are saved. The automatic responder is on.',
  'sel.responder.stale': 'Your list was changed in another window: here it is as saved. Make your changes again if needed.',
  'sel.responder.error.duplicate_position': 'Two applications have the same rank: give each a different one.',
  'sel.responder.error.unknown_application': 'This application is not one of yours.',
  'sel.responder.error.not_listable': 'This application can no longer be ordered (it is closed or already paid).',
  'sel.responder.error.too_many': 'The list is too long.',
  'sel.responder.error.position': 'Choose a rank from the list.',
  'sel.responder.session': '{school} — {status}',
  'sel.responder.email.subject': 'Your automatic responder answered for you',
  'sel.responder.email.accepted': 'You were offered a place for “{title}”: your automatic responder accepted it.',
  'sel.responder.email.kept': 'You have a place for “{title}”, which you ranked above your other applications.',
  'sel.responder.email.givenUp': 'It gave up the applications you had ranked below: {titles}. Their places go to the next person.',
  'sel.responder.email.why': 'It did so following the order of preference you chose. The applications ranked above keep waiting.',
  'sel.responder.email.end': 'Your applications: {link}\nYour preferences (to change the order or stop the responder): {preferences}',
  'privacy.purpose.selection.responder': 'Answering the places offered to you, in your order of preference (automatic responder)',
  'privacy.section.selection.responder': 'Order of preference and automatic responder',
};

type ResponderMessages = typeof fr;
declare module '../../platform/i18n' {
  interface Messages extends ResponderMessages {}
}

registerMessages('selection.responder', { fr, en });
