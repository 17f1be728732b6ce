// The directory of local actors: an editor adds actors with the web form
// and imports a CSV file (errors listed by line and column), visitors
// filter by département on the map or with the GET form, without
// JavaScript too, and the orientation plan lists the actors of the chosen
// département.  axe-core on every page.
import path from 'node:path';
import { stat } from 'node:fs/promises';

import { login, pathOf, USERS } from '../lib/helpers.mjs';
import { audit } from './orientation.mjs';

const LOIRE = 'Écoute Jeunes Loire';

async function signedIn(page, user) {
  await page.goto('/compte');
  if (await page.getByRole('button', { name: 'Se déconnecter' }).count() === 0) await login(page, user);
}

async function submitForm(page, form, button) {
  const [resp] = await Promise.all([
    page.waitForNavigation(),
    page.locator(form).getByRole('button', { name: button }).click(),
  ]);
  return resp;
}

export default [
  {
    name: 'directory: an editor adds an actor with the form (a wrong phone first), axe on the form with its error',
    async fn(t) {
      const page = await t.page();
      await signedIn(page, USERS.editor);
      await page.goto('/admin/acteurs/nouveau');
      await page.fill('#name', LOIRE);
      await page.selectOption('#kind', 'association');
      await page.getByLabel('Harcèlement', { exact: true }).check();
      await page.getByLabel('Mineur·es').check();
      await page.selectOption('#departement', '42');
      await page.fill('#commune', 'Saint-Étienne');
      await page.fill('#phone', '04 77 12');
      await page.fill('#website', 'www.ecoute-jeunes-loire.fr');
      await page.fill('#description', 'Écoute et accompagnement des jeunes victimes de harcèlement.');
      let resp = await submitForm(page, 'form.form', 'Enregistrer');
      t.equal(resp.status(), 400, 'a wrong phone number is refused');
      t.ok(await page.getByRole('alert').isVisible(), 'the error summary is shown');
      t.equal(await page.getAttribute('#phone', 'aria-invalid'), 'true', 'the phone field is flagged');
      t.equal(await page.inputValue('#name'), LOIRE, 'the typed values are kept');
      t.ok(await page.getByLabel('Harcèlement', { exact: true }).isChecked(), 'the checked theme is kept');
      await audit(t, page, 'the actor form with an error');
      await page.fill('#phone', '04 77 12 34 56');
      await page.locator('input[name="pro_only"][value="phone"]').check();
      resp = await submitForm(page, 'form.form', 'Enregistrer');
      t.equal(resp.status(), 200, 'the actor is saved');
      t.match(pathOf(page), /^\/acteurs\/\d+$/, 'the editor lands on the actor page');
      t.equal(await page.locator('main h1').innerText(), LOIRE, 'its name');
      t.ok(await page.getByText('04 77 12 34 56').isVisible(), 'an editor sees the reserved phone');
      await audit(t, page, 'an actor page (editor)');
      await page.goto('/admin/acteurs/nouveau');
      await audit(t, page, 'the empty actor form');
    },
  },
  {
    name: 'directory: CSV import lists every error with its line and column and imports nothing, then imports a good file',
    async fn(t) {
      const page = await t.page();
      await signedIn(page, USERS.editor);
      await page.goto('/admin/acteurs/import');
      await audit(t, page, 'the import page');
      const bad = 'nom;type;departement;email\nBon;association;42;\nMauvais;association;99;\nAutre;association;42;pas@\n';
      await page.setInputFiles('#file', { name: 'acteurs.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
      let resp = await submitForm(page, 'form.form', 'Importer');
      t.equal(resp.status(), 400, 'a file with errors is refused');
      const rows = await page.locator('table.import-errors tbody tr').allInnerTexts();
      t.equal(rows.length, 2, `two errors listed (${rows.join(' / ')})`);
      t.match(rows[0], /^3\s+departement\s+Département inconnu/, 'line 3, column departement');
      t.match(rows[1], /^4\s+email\s+Adresse e-mail invalide/, 'line 4, column email');
      await audit(t, page, 'the import page with errors');
      const good = '\ufeffnom;type;departement;commune;thematiques;publics\n'
        + 'Maison des droits de Roanne;justice;42;Roanne;droit;tous\n'
        + 'CIDFF du Rhône;aide-victimes;69;Lyon;harcelement;femmes\n';
      await page.setInputFiles('#file', { name: 'acteurs.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
      resp = await submitForm(page, 'form.form', 'Importer');
      t.equal(resp.status(), 200, 'a good file is imported');
      t.match(await page.getByRole('status').innerText(), /Import terminé : 2 acteur/, 'the result says 2 actors');
      await page.goto('/admin/acteurs');
      t.ok((await page.locator('table.data tbody tr').count()) >= 3, 'the list has the actors');
      await audit(t, page, 'the editors\' list of actors');
    },
  },
  {
    name: 'directory: the map links to a département, the listing hides reserved fields from visitors; screenshot',
    async fn(t, env) {
      const page = await t.page();
      await page.setViewportSize({ width: 1280, height: 900 });
      const resp = await page.goto('/acteurs');
      t.equal(resp.status(), 200, 'status of /acteurs');
      const loire = page.locator('svg.map a[href="/acteurs?departement=42"]');
      t.equal(await loire.count(), 1, 'the Loire is a link on the map');
      t.equal(await loire.getAttribute('aria-label'), 'Loire (42) : 2 acteurs', 'labelled with its count');
      await audit(t, page, '/acteurs with the map');
      const out = path.join(env.outDir, 'browser-acteurs.png');
      await page.screenshot({ path: out, fullPage: true });
      t.ok((await stat(out)).size > 5000, `screenshot ${out} written`);
      t.note(`screenshot: ${path.relative(process.cwd(), out)}`);
      await Promise.all([page.waitForNavigation(), loire.click()]);
      t.equal(new URL(page.url()).search, '?departement=42', 'the map link filters by département');
      t.match(await page.locator('#titre-resultats').innerText(), /Loire \(2\)/, 'the heading names the Loire and counts 2');
      t.equal(await page.locator('select#departement').inputValue(), '42', 'the form shows the chosen département');
      const names = await page.locator('ul.results h3 a').allInnerTexts();
      t.ok(names.includes(LOIRE) && names.includes('Maison des droits de Roanne'), `both actors listed (${names.join(', ')})`);
      t.ok(!(await page.content()).includes('04 77 12 34 56'), 'the reserved phone is not in the page');
      await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: LOIRE, exact: true }).click()]);
      t.ok(await page.getByText(/réservées aux professionnel/).isVisible(), 'the actor page says some details are reserved');
      await audit(t, page, 'an actor page (visitor)');
    },
  },
  {
    name: 'directory without JavaScript: the GET filters work, the page is the same',
    async fn(t) {
      const page = await t.page({ javaScriptEnabled: false });
      await page.goto('/acteurs');
      await page.selectOption('#departement', '69');
      await page.selectOption('#type', 'aide-victimes');
      const [resp] = await Promise.all([
        page.waitForNavigation(),
        page.getByRole('button', { name: 'Filtrer' }).click(),
      ]);
      t.equal(resp.status(), 200, 'the filter form answers 200');
      const u = new URL(page.url());
      t.equal(u.searchParams.get('departement'), '69', 'the département is in the address');
      t.equal(u.searchParams.get('type'), 'aide-victimes', 'the kind too');
      const names = await page.locator('ul.results h3 a').allInnerTexts();
      t.equal(names.join(','), 'CIDFF du Rhône', 'only the Rhône\'s victim support');
      t.ok(await page.locator('svg.map').isVisible(), 'the map is drawn without scripts');
    },
  },
  {
    name: 'directory: the orientation plan lists the actors of the chosen département',
    async fn(t) {
      const page = await t.page();
      await page.goto('/orientation');
      for (const v of ['victime', 'non', 'oui', 'harcelement']) {
        await page.locator(`form.orientation input[name="choice"][value="${v}"]`).check({ force: true });
        await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Continuer' }).click()]);
      }
      t.equal(await page.locator('main h1').innerText(), 'Votre plan d\'action', 'the plan');
      await page.selectOption('#departement', '42');
      await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Voir les acteurs de ce département' }).click()]);
      t.equal(pathOf(page), '/orientation', 'the address stays /orientation (nothing in the URL)');
      const local = await page.locator('#plan-local ~ ul.contacts .who').allInnerTexts();
      t.equal(local[0], LOIRE, `the actor for young people facing harassment comes first (${local.join(', ')})`);
      await audit(t, page, 'the plan with local actors');
    },
  },
];
