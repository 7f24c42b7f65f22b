/**
 * The simulated PayFiP's pages: plain HTML of its own (it plays another site, so it uses
 * nothing of the app's layout or messages), in French like PayFiP, accessible (language,
 * title, landmarks, headings, labelled controls, no script).
 */

export type NotificationMode = 'normal' | 'twice' | 'late' | 'before-return' | 'never';
export type Outcome = 'accepted' | 'refused' | 'abandoned';

const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const euros = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' });
export const formatCents = (cents: number) => euros.format(cents / 100);

function layout(base: string, title: string, main: string): string {
  return `<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} – PayFiP (simulation)</title>
<link rel="stylesheet" href="${escapeHtml(base)}/simulateur.css">
</head>
<body>
<header>
<p class="marque">PayFiP <span>Paiement des services publics locaux — <strong>simulation</strong> pour la démonstration et les tests, aucune carte n’est débitée</span></p>
</header>
<main>
${main}
</main>
</body>
</html>
`;
}

export interface PageAttempt {
  idOp: string;
  refdet: string;
  objet: string;
  montant: number;
}

function summary(attempt: PageAttempt): string {
  return `<dl>
<dt>Objet</dt><dd>${escapeHtml(attempt.objet || '—')}</dd>
<dt>Montant</dt><dd>${escapeHtml(formatCents(attempt.montant))}</dd>
<dt>Référence</dt><dd>${escapeHtml(attempt.refdet)}</dd>
<dt>Identifiant de l’opération</dt><dd>${escapeHtml(attempt.idOp)}</dd>
</dl>`;
}

export const NOTIFICATION_LABELS: Record<NotificationMode, string> = {
  normal: 'Normale (envoyée au moment du paiement)',
  twice: 'En double (envoyée deux fois)',
  late: 'En retard (envoyée après le retour sur le site)',
  'before-return': 'Avant le retour (reçue avant que le navigateur ne revienne)',
  never: 'Jamais (la notification se perd)',
};

export function paymentPage(base: string, attempt: PageAttempt, nonce: string, notification: NotificationMode): string {
  const modes = (Object.keys(NOTIFICATION_LABELS) as NotificationMode[])
    .map(
      (mode) =>
        `<div><input type="radio" id="notification-${mode}" name="notification" value="${mode}"${mode === notification ? ' checked' : ''}>` +
        ` <label for="notification-${mode}">${escapeHtml(NOTIFICATION_LABELS[mode])}</label></div>`,
    )
    .join('\n');
  return layout(
    base,
    `Paiement de ${formatCents(attempt.montant)}`,
    `<h1>Payer ${escapeHtml(formatCents(attempt.montant))}</h1>
${summary(attempt)}
<form method="post" action="${escapeHtml(base)}/tpa/paiementws.web">
<input type="hidden" name="idop" value="${escapeHtml(attempt.idOp)}">
<input type="hidden" name="jeton" value="${escapeHtml(nonce)}">
<fieldset>
<legend>Notification envoyée au service (simulation)</legend>
${modes}
</fieldset>
<p>Choisissez le résultat du paiement :</p>
<p class="choix">
<button type="submit" name="choix" value="accepte">Carte acceptée</button>
<button type="submit" name="choix" value="refuse">Carte refusée</button>
<button type="submit" name="choix" value="abandon">Abandonner le paiement</button>
</p>
</form>`,
  );
}

const OUTCOME_TITLES: Record<Outcome, string> = {
  accepted: 'Paiement accepté',
  refused: 'Paiement refusé',
  abandoned: 'Paiement abandonné',
};

export function ticketPage(base: string, attempt: PageAttempt, outcome: Outcome, returnUrl: string): string {
  const said: Record<Outcome, string> = {
    accepted: 'Votre paiement a été accepté. Le service en est informé.',
    refused: 'Votre banque a refusé le paiement. Rien n’a été débité.',
    abandoned: 'Vous avez abandonné le paiement. Rien n’a été débité.',
  };
  return layout(
    base,
    OUTCOME_TITLES[outcome],
    `<h1>${OUTCOME_TITLES[outcome]}</h1>
<p>${said[outcome]}</p>
${summary(attempt)}
<p><a href="${escapeHtml(returnUrl)}">Retourner sur le site du service</a></p>`,
  );
}

export function errorPage(base: string, code: string, message: string): string {
  return layout(
    base,
    'Paiement impossible',
    `<h1>Paiement impossible</h1>
<p>${escapeHtml(code)} : ${escapeHtml(message)}</p>
<p>Revenez sur le site du service pour recommencer le paiement.</p>`,
  );
}

export const unavailablePage = `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>Service indisponible</title></head>
<body><main><h1>Service momentanément indisponible</h1><p>Merci de réessayer plus tard.</p></main></body></html>
`;

export const stylesheet = `body{font-family:system-ui,sans-serif;margin:0;color:#161616;background:#fff;line-height:1.5}
header{background:#000091;color:#fff;padding:.75rem 1.5rem}
header .marque{margin:0;font-weight:700;font-size:1.25rem}
header .marque span{display:block;font-weight:400;font-size:1rem}
main{max-width:40rem;padding:1rem 1.5rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}
dt{font-weight:700}dd{margin:0;overflow-wrap:anywhere}
fieldset{margin:1rem 0;border:1px solid #929292}
.choix{display:flex;flex-wrap:wrap;gap:.75rem}
button{font:inherit;padding:.5rem 1rem;border:2px solid #000091;background:#000091;color:#fff;cursor:pointer}
button[value=refuse],button[value=abandon]{background:#fff;color:#000091}
:focus-visible{outline:3px solid #0a76f6;outline-offset:2px}
a{color:#000091}
`;
