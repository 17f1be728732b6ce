// The evidence vault (/coffre), the person's half of issue 11: without
// JavaScript, a person creates a vault, notes the identifier, adds a text
// and a picture, reads the chronology, closes the vault, reopens it with
// the identifier typed loosely and deletes an item; the quick exit is the
// first thing the keyboard reaches on every vault page and the title is
// neutral; axe-core on the landing, the identifier, the chronology, an
// item, the shares, the professional's page and both deletion pages.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathOf, tabsTo } from '../lib/helpers.mjs';
import { audit } from './orientation.mjs';

const PASS = 'trois mots secrets et un chiffre 4';
// A 1x1 PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

async function press(page, name) {
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name, exact: true }).click()]);
}

async function safe(t, page, what) {
  t.match(await page.title(), /^Espace personnel — /, `${what}: the neutral title`);
  t.equal(await tabsTo(page, '#sortie-rapide'), 1, `${what}: the quick exit is the first focusable element`);
}

async function createVault(page) {
  await page.goto('/coffre');
  await page.fill('#passphrase', PASS);
  await page.fill('#passphrase_confirm', PASS);
  await press(page, 'Créer mon coffre');
  return (await page.locator('.vault-id').innerText()).replace(/^Identifiant\s*:\s*/, '').trim();
}

async function addText(page, text, date) {
  await page.goto('/coffre/elements');
  await page.fill('#text', text);
  if (date) await page.fill('#facts_date', date);
  await press(page, 'Mettre à l\'abri');
}

export default [
  {
    name: 'vault without JavaScript: created, the identifier noted, a text and a picture added, the chronology, closed, reopened, an item deleted',
    timeoutMs: 120000,
    async fn(t, env) {
      const file = path.join(env.server.data, 'capture-test.png');
      await writeFile(file, PNG);
      const page = await t.page({ javaScriptEnabled: false });

      const resp = await page.goto('/coffre');
      t.equal(resp.status(), 200, 'the landing page opens');
      t.equal(resp.headers()['cache-control'], 'no-store', 'no-store on the landing');
      t.match(await page.locator('main').innerText(), /partagé ou surveillé/, 'the warning about watched phones');
      const id = await createVault(page);
      t.equal(pathOf(page), '/coffre', 'nothing in the address after creating');
      t.match(id, /^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/, 'the identifier is shown, grouped');
      t.match(await page.locator('main').innerText(), /pas même nous/, 'with the advice to write it down');

      await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: /ajouter des preuves/ }).click()]);
      t.equal(pathOf(page), '/coffre/elements', 'the chronology');
      await page.fill('#text', 'Tu vas le regretter, je sais où tu habites.');
      await page.fill('#facts_date', '2026-11-20');
      await page.fill('#platform', 'SMS');
      await press(page, 'Mettre à l\'abri');
      t.match(pathOf(page), /^\/coffre\/elements\/1$/, 'the text is kept as item 1');
      t.match(await page.locator('main').innerText(), /Empreinte SHA-256/, 'its hashes are shown');

      await page.goto('/coffre/elements');
      await page.setInputFiles('#file', file);
      await page.fill('#facts_date', '2026-11-18');
      await press(page, 'Mettre à l\'abri');
      t.match(pathOf(page), /^\/coffre\/elements\/2$/, 'the picture is kept as item 2');
      await page.goto('/coffre/elements');
      const chrono = await page.locator('ol.vault-chrono').innerText();
      t.ok(chrono.indexOf('capture-test.png') >= 0 && chrono.indexOf('capture-test.png') < chrono.indexOf('Tu vas le regretter'),
        'the chronology lists both, by the date of the facts');

      await press(page, 'Fermer le coffre');
      t.equal(pathOf(page), '/coffre', 'closing goes back to the landing');
      await page.goto('/coffre/elements');
      t.equal(pathOf(page), '/coffre/ouvrir', 'a closed vault sends to the open page');
      await page.fill('#id', id.toLowerCase().replace(/-/g, ' '));
      await page.fill('#passphrase', 'pas la bonne phrase');
      await press(page, 'Ouvrir');
      t.match(await page.locator('.error-summary').innerText(), /Identifiant ou phrase secrète incorrects/, 'a wrong passphrase is said plainly');
      await page.fill('#id', id.toLowerCase().replace(/-/g, ' '));
      await page.fill('#passphrase', PASS);
      await press(page, 'Ouvrir');
      t.equal(pathOf(page), '/coffre/elements', 'reopened with the identifier typed loosely');

      await page.goto('/coffre/elements/2/suppression');
      await page.getByLabel('Je confirme la suppression de cet élément').check();
      await press(page, 'Supprimer');
      t.match(await page.locator('main').innerText(), /supprimé par la personne/, 'the item is a tombstone');
      await page.goto('/coffre/elements');
      t.match(await page.locator('ol.vault-chrono').innerText(), /Supprimé par la personne le/, 'the chronology says it was deleted');
    },
  },
  {
    name: 'vault pages: the quick exit first, a neutral title, and axe-core on the landing, the identifier, the chronology, an item, the shares, the professional page and the deletion pages',
    timeoutMs: 120000,
    async fn(t) {
      const page = await t.page();
      await page.goto('/coffre');
      await safe(t, page, 'the landing');
      await audit(t, page, 'the landing');
      await createVault(page);
      await safe(t, page, 'the identifier page');
      await audit(t, page, 'the identifier page');
      await page.goto('/coffre/elements');
      await audit(t, page, 'the empty chronology with its form');
      await addText(page, 'Un message copié.', '2026-11-02');
      await safe(t, page, 'an item');
      await audit(t, page, 'an item');
      await page.goto('/coffre/elements');
      await page.fill('#url', 'https://exemple.fr/p/1');
      await press(page, 'Mettre à l\'abri');
      await audit(t, page, 'a link item with its report button');
      await page.goto('/coffre/elements');
      await safe(t, page, 'the chronology');
      await audit(t, page, 'the chronology');
      await page.fill('#platform', 'a');
      await press(page, 'Mettre à l\'abri');
      await audit(t, page, 'the chronology with an error');
      await page.goto('/coffre/elements/1/suppression');
      await safe(t, page, 'the item deletion page');
      await audit(t, page, 'the item deletion page');
      await page.goto('/coffre/partages');
      await safe(t, page, 'the shares page');
      await audit(t, page, 'the shares page');
      await press(page, 'Créer le code');
      t.match(await page.locator('.vault-id').innerText(), /^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/, 'a share code is shown once');
      await audit(t, page, 'the shares page with a code');
      await page.goto('/coffre/suppression');
      await safe(t, page, 'the vault deletion page');
      await audit(t, page, 'the vault deletion page');
      await page.fill('#passphrase', PASS);
      await press(page, 'Supprimer définitivement le coffre');
      t.match(await page.locator('main').innerText(), /réellement supprimé/, 'the vault is deleted, and it says so');
      await audit(t, page, 'the deleted page');
      await page.goto('/coffre/ouvrir');
      await safe(t, page, 'the open page');
      await audit(t, page, 'the open page');
      const pro = await t.page();
      await pro.goto('/coffre/partage');
      await safe(t, pro, 'the professional page');
      await audit(t, pro, 'the professional page');
      for (const [where, what] of [['/coffre/cle', 'the public key page'], ['/coffre/verification', 'the verification page']]) {
        const resp = await pro.goto(where);
        t.equal(resp.status(), 200, `${what} opens`);
        await safe(t, pro, what);
        await audit(t, pro, what);
      }
    },
  },
];
