// The phone check (/verification-telephone): a professional uploads an
// adb app list, reads the report in the page without JavaScript, keeps it
// in their space, reads it back and deletes it; axe-core on the form, the
// report and the saved list.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { login, pathOf, USERS } from '../lib/helpers.mjs';
import { audit } from './orientation.mjs';

const LIST = 'package:com.android.chrome\npackage:com.thetruth\npackage:com.whatsapp\n';

async function press(page, name) {
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name, exact: true }).click()]);
}

export default [
  {
    name: 'phone check: an app list uploaded without JavaScript, the French report, kept then deleted; axe on every page',
    async fn(t, env) {
      const file = path.join(env.server.data, 'applications-test.txt');
      await writeFile(file, LIST);
      const page = await t.page({ javaScriptEnabled: false });
      await login(page, USERS.nojs);
      let resp = await page.goto('/verification-telephone');
      t.equal(resp.status(), 200, 'the page opens for a professional');
      t.match(await page.locator('main').innerText(), /Indicateurs|stalkerware-indicators|Examiner des fichiers/, 'the form is shown');
      await page.setInputFiles('#fichier', file);
      await press(page, 'Examiner');
      t.equal(pathOf(page), '/verification-telephone', 'nothing sensitive in the address');
      const text = await page.locator('main').innerText();
      t.match(text, /Des traces d'une application espion ont été trouvées/, 'the verdict');
      t.match(text, /TheTruthSpy/, 'the app named');
      t.match(text, /Ne désinstallez rien/, 'the advice not to remove anything');
      t.match(text, /ne prouve pas que le téléphone est sain/, 'the caveat');
      await page.fill('#libelle', 'Rendez-vous du lundi');
      await press(page, 'Enregistrer dans mon espace');
      t.match(pathOf(page), /^\/verification-telephone\/rapports\/\d+$/, 'the kept report has its page');
      t.match(await page.locator('main').innerText(), /Rendez-vous du lundi/, 'with its label');
      await page.goto('/verification-telephone/rapports');
      t.match(await page.locator('table.data').innerText(), /application espion trouvée/, 'listed in the space');

      const p2 = await t.page();
      await login(p2, USERS.pro);
      await p2.goto('/verification-telephone');
      await audit(t, p2, 'the phone check form');
      await p2.setInputFiles('#fichier', file);
      await press(p2, 'Examiner');
      await audit(t, p2, 'the report in the page');
      await press(p2, 'Enregistrer dans mon espace');
      await audit(t, p2, 'a kept report');
      await p2.goto('/verification-telephone/rapports');
      await audit(t, p2, 'the list of kept reports');

      await page.goto('/verification-telephone/rapports');
      await Promise.all([page.waitForNavigation(), page.locator('table.data a').first().click()]);
      await press(page, 'Supprimer ce rapport');
      t.equal(pathOf(page), '/verification-telephone/rapports', 'back to the list after deleting');
      t.match(await page.locator('main').innerText(), /aucun rapport/i, 'the report is gone');
    },
  },
];
