// Accounts and small steps shared by the browser tests.
import { NEUTRAL_URL } from './browser.mjs';

// Made with `vigie user add` before the server starts.  Each test that
// signs in with a wrong password has its own account, so the lock after
// repeated failures never leaks from one test to another.
export const USERS = {
  pro: { email: 'camille.pro@exemple.fr', role: 'professional', password: 'cheval agrafe batterie 7', name: 'Camille Martin' },
  nojs: { email: 'sans.js@exemple.fr', role: 'professional', password: 'une phrase sans script', name: 'Dominique Sans' },
  cookies: { email: 'biscuit@exemple.fr', role: 'professional', password: 'les cookies restent privés', name: 'Alex Biscuit' },
  editor: { email: 'redaction@exemple.fr', role: 'editor', password: 'la rédaction valide tout', name: 'Rédaction Vigie' },
  a11y: { email: 'audit@exemple.fr', role: 'editor', password: 'contraste et clavier 2.1', name: 'Audit Accessibilité' },
};

export async function login(page, user, password = user.password) {
  await page.goto('/connexion');
  await page.fill('#email', user.email);
  await page.fill('#password', password);
  await Promise.all([
    page.waitForNavigation(),
    page.click('form[action="/connexion"] button[type="submit"]'),
  ]);
}

export function pathOf(page) {
  const u = new URL(page.url());
  return u.origin === 'null' ? page.url() : u.pathname;
}

export async function expectNeutral(t, page, how) {
  await page.waitForURL(NEUTRAL_URL, { timeout: 5000 }).catch(() => {});
  t.equal(page.url(), NEUTRAL_URL, `${how}: the page should now be the neutral site`);
  t.equal(await page.title(), 'Météo', `${how}: the neutral page's title`);
}

// Presses Tab until `selector` has focus; returns the number of presses
// (1 = first focusable element), or 0 if not reached within `max`.
export async function tabsTo(page, selector, max = 10) {
  for (let i = 1; i <= max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) {
      return i;
    }
  }
  return 0;
}

export async function focusedDescription(page) {
  return page.evaluate(() => {
    const e = document.activeElement;
    if (!e || e === document.body) return '(body)';
    return `<${e.tagName.toLowerCase()}${e.id ? ` id="${e.id}"` : ''}${e.className ? ` class="${e.className}"` : ''}> ${e.textContent.trim().slice(0, 40)}`;
  });
}

// Fills the account request form.  `fields` overrides the defaults.
export async function fillRequest(page, fields) {
  for (const [name, value] of Object.entries(fields)) {
    await page.fill(`#${name}`, value);
  }
}

export async function submit(page, formSelector) {
  await Promise.all([
    page.waitForNavigation(),
    page.click(`${formSelector} button[type="submit"]`),
  ]);
}
