// The annual report (/admin/rapport-annuel): an editor, without
// JavaScript, opens the page, downloads the PDF (the file starts with
// « %PDF ») and is told in French when the year typed is not one; axe-core
// (which needs JavaScript, so in a second page) on the page, with a year's
// key figures shown, and with the error.
import { readFile } from 'node:fs/promises';
import { login, pathOf, USERS } from '../lib/helpers.mjs';
import { audit } from './orientation.mjs';

const YEAR = new Date().getUTCFullYear();
const BUTTON = 'Télécharger le rapport (PDF)';

async function submitYear(page, year) {
  await page.fill('#annee', year);
  await Promise.all([
    page.waitForNavigation(),
    page.getByRole('button', { name: BUTTON, exact: true }).click(),
  ]);
}

export default [
  {
    name: 'annual report: an editor without JavaScript downloads the PDF from /admin/rapport-annuel; axe on the page',
    async fn(t, env) {
      const p = await t.page({ javaScriptEnabled: false, acceptDownloads: true });
      await login(p, USERS.editor);
      let resp = await p.goto('/admin/rapport-annuel');
      t.equal(resp.status(), 200, 'the page opens for an editor');
      t.match(await p.locator('main h1').innerText(), /Rapport annuel de l'observatoire/, 'its title');

      await p.fill('#annee', String(YEAR));
      const [download] = await Promise.all([
        p.waitForEvent('download'),
        p.getByRole('button', { name: BUTTON, exact: true }).click(),
      ]);
      t.equal(download.suggestedFilename(), `rapport-annuel-${YEAR}.pdf`, 'the file name');
      t.equal(await download.failure(), null, 'the download completed');
      const bytes = await readFile(await download.path());
      t.equal(bytes.subarray(0, 5).toString('latin1'), '%PDF-', 'the file is a PDF');
      t.ok(bytes.length > 10000, `a whole report (${bytes.length} bytes)`);
      t.equal(pathOf(p), '/admin/rapport-annuel', 'the page stays where it was');

      resp = await p.goto(`/admin/rapport-annuel?annee=${YEAR}`);
      t.equal(resp.status(), 200, 'a year previewed');
      t.match(await p.locator('main').innerText(), new RegExp(`Chiffres clés de\\s+${YEAR}`), 'its key figures');

      await submitYear(p, 'vingt');
      t.match(await p.locator('.error-summary').innerText(), /n'est pas une année/, 'a year typed wrong is explained in French');
      t.equal(await p.locator('#annee').getAttribute('aria-invalid'), 'true', 'the field is marked invalid');

      const a = await t.page();
      await login(a, USERS.a11y);
      await a.goto('/admin/rapport-annuel');
      await audit(t, a, 'the annual report page');
      await a.goto(`/admin/rapport-annuel?annee=${YEAR}`);
      await audit(t, a, 'the annual report page with a year shown');
      await submitYear(a, '1999');
      t.match(await a.locator('.error-summary').innerText(), /hors de la période/, 'a year out of range is explained');
      await audit(t, a, 'the annual report page with an error');
    },
  },
];
