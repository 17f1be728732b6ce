// Everything works with JavaScript off: pages, the quick exit as a plain
// link, and signing in with a plain POST form.
import { expectNeutral, login, pathOf, USERS } from '../lib/helpers.mjs';

export default [
  {
    name: 'without JavaScript: home renders, quick exit is a plain link, login works',
    async fn(t) {
      const page = await t.page({ javaScriptEnabled: false });
      const resp = await page.goto('/');
      t.equal(resp.status(), 200, 'status of /');
      t.ok(await page.locator('h1').isVisible(), 'h1 visible');
      t.ok(await page.locator('.numbers a.number', { hasText: /^3018$/ }).isVisible(), '3018 visible');
      t.ok(await page.locator('#sortie-rapide').isVisible(), 'quick exit visible');
      // Proof that scripts are really off: Escape (a script) does nothing.
      await page.keyboard.press('Escape');
      await page.waitForTimeout(200);
      t.equal(pathOf(page), '/', 'with scripts off, Escape does not leave (so scripts are off)');

      await page.click('#sortie-rapide');
      await expectNeutral(t, page, 'no-JS click');
      await page.goBack({ waitUntil: 'load' });
      // A plain link cannot replace the history entry: that is why the page
      // says « Cela ne supprime pas l'historique ».
      t.note(`without JavaScript, Back after the quick exit returns to ${pathOf(page)} (a plain link keeps the entry, as the page says)`);

      await login(page, USERS.nojs);
      t.equal(pathOf(page), '/compte', 'after login, on /compte');
      t.match(await page.locator('main').innerText(), /sans\.js@exemple\.fr/, '/compte shows the address');
      await Promise.all([page.waitForNavigation(), page.click('button:has-text("Se déconnecter")')]);
      t.equal(pathOf(page), '/', 'after logout, on the home page');
    },
  },
];
