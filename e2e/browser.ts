import assert from 'node:assert/strict';
import { AxeBuilder } from '@axe-core/playwright';
import { generate } from 'otplib';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../test/app';
import { freePort } from '../test/ports';

/**
 * The app on a real port and Debian's chromium driven by playwright-core. The port is chosen
 * free before the app starts (its BASE_URL must name it), so another process may take it
 * meanwhile: then the app is closed and it starts again on another port, `config` asked again
 * (it must undo what its previous call started). Whatever fails, nothing is left open (an open
 * pool or server would keep the test process from ever ending).
 */
export async function startJourney(
  options: { config?: (baseUrl: string) => Promise<Record<string, string>> } = {},
): Promise<{ t: TestApp; browser: Browser; baseUrl: string; close(): Promise<void> }> {
  let t: TestApp | undefined;
  let address: string | undefined;
  for (let attempt = 1; !address; attempt++) {
    // Links in emails point at BASE_URL, so the app must know its port before it starts.
    const port = await freePort();
    // `config`: more settings, which may depend on the app's address (an OpenID provider's redirect URI).
    const extra = (await options.config?.(`http://127.0.0.1:${port}`)) ?? {};
    t = await startTestApp({ config: { BASE_URL: `http://127.0.0.1:${port}`, ...extra } });
    try {
      address = await t.app.listen({ host: '127.0.0.1', port });
    } catch (error) {
      await t.close();
      if ((error as { code?: string }).code !== 'EADDRINUSE' || attempt >= 5) throw error;
    }
  }
  const app = t!;
  let browser: Browser;
  try {
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  } catch (error) {
    await app.close();
    throw error;
  }
  return {
    t: app,
    browser,
    baseUrl: address,
    close: async () => {
      await browser.close();
      await app.close();
    },
  };
}

/** Fails the test with axe's own words when the page has any WCAG 2.1 A/AA violation. */
export async function expectAccessible(page: Page, label: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const summary = results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  assert.deepEqual(summary, [], `${label}: accessibility violations`);
}

/**
 * Presses Tab until the focused element is a form field (or, with `kind`, a button or link)
 * whose label matches: the keyboard-only path through a page.
 */
export async function tabTo(page: Page, name: string | RegExp, kind: 'field' | 'button' | 'link' = 'field', max = 60): Promise<void> {
  const selector = { field: 'input,select,textarea', button: 'button', link: 'a' }[kind];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const label = await page.evaluate((sel) => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || !el.matches(sel)) return null;
      const labelled = (el as HTMLInputElement).labels?.[0]?.textContent ?? '';
      return `${labelled} ${el.getAttribute('aria-label') ?? ''} ${el.textContent ?? ''}`.trim();
    }, selector);
    if (label !== null && (typeof name === 'string' ? label.includes(name) : name.test(label))) return;
  }
  throw new Error(`could not reach the ${kind} "${name}" with the Tab key`);
}

/** Logs a person in through the login form (and, for staff, the TOTP form at the app's clock). */
export async function logIn(
  page: Page,
  journey: { baseUrl: string; t: TestApp },
  who: { email: string; password: string; totpSecret?: string },
): Promise<void> {
  await page.goto(`${journey.baseUrl}/connexion`);
  await page.getByLabel('Adresse électronique').fill(who.email);
  await page.getByLabel('Mot de passe', { exact: true }).fill(who.password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  if (!who.totpSecret) return;
  await page.getByLabel('Code à 6 chiffres').waitFor();
  journey.t.clock.advance(30_000); // a code works once: each login takes the next one
  await page.getByLabel('Code à 6 chiffres').fill(await generate({ secret: who.totpSecret, epoch: Math.floor(journey.t.clock.now().getTime() / 1000) }));
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { level: 1, name: 'Espace personnel' }).waitFor();
}

