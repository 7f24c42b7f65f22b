// Progressive enhancement only: every page works without this script.

// Move focus to the error summary so screen-reader and keyboard users hear what went wrong.
const summary = document.querySelector('[data-error-summary]');
if (summary) summary.focus();

// ACC-2: solve the bot check's proof-of-work in the background; the question stays as a fallback.
const botcheck = document.querySelector('[data-botcheck]');
if (botcheck && window.crypto && window.crypto.subtle) {
  const status = botcheck.querySelector('[data-botcheck-status]');
  const payload = botcheck.querySelector('[data-botcheck-payload]');
  const question = botcheck.querySelector('[data-botcheck-question]');
  const done = botcheck.querySelector('template[data-botcheck-done]');
  status.hidden = false;
  Promise.all([import('/vendor/altcha/pow.js'), import('/vendor/altcha/algorithms/web/sha.js')])
    .then(async ([pow, sha]) => {
      const challenge = JSON.parse(botcheck.getAttribute('data-botcheck'));
      const solution = await pow.solveChallenge({ challenge, deriveKey: sha.deriveKey });
      if (!solution) return;
      payload.value = btoa(JSON.stringify({ challenge, solution }));
      const answer = question.querySelector('input');
      // Keep the question when the person already answered it or it shows an error.
      if (!answer.value && !answer.getAttribute('aria-invalid')) question.hidden = true;
      status.textContent = done.innerHTML;
    })
    .catch(() => {
      status.hidden = true;
    });
}

// CAT-4: the school list follows the arrondissement chosen, in place.
const arrondissement = document.querySelector('[data-school-filter]');
const school = document.getElementById('etablissement');
if (arrondissement && school) {
  // Typing "11" in the list chooses "1", then "11": only the answer to the last choice is shown,
  // whichever answer comes back first.
  let latest = 0;
  arrondissement.addEventListener('change', async () => {
    const asked = ++latest;
    const chosen = arrondissement.value;
    const response = chosen ? await fetch(`/recherche/etablissements?arrondissement=${encodeURIComponent(chosen)}`) : null;
    const schools = response && response.ok ? await response.json() : [];
    if (asked !== latest) return;
    while (school.options.length > 1) school.remove(1);
    for (const s of schools) school.add(new Option(s.name, s.code));
    school.value = '';
  });
}
