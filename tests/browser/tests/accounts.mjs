// Signing in and out, and the account request from form to validation.
import { login, pathOf, submit, USERS } from '../lib/helpers.mjs';

export const REQUESTER = {
  name: 'Sacha Navarro',
  email: 'sacha.navarro@exemple.fr',
  organisation: 'Maison des solidarités de Lyon',
  profession: 'Assistante sociale',
  message: 'Je reçois des jeunes harcelés en ligne.',
  password: 'un bon mot de passe long',
};

export default [
  {
    name: 'login: wrong password shows a French alert; right one lands on /compte; logout; /compte then redirects to /connexion',
    async fn(t) {
      const page = await t.page();
      const u = USERS.pro;

      await login(page, u, 'pas le bon mot de passe');
      t.equal(pathOf(page), '/connexion', 'wrong password: still on /connexion');
      const alert = page.getByRole('alert');
      t.equal(await alert.count(), 1, 'wrong password: one element with role="alert"');
      t.ok(await alert.isVisible(), 'the alert is visible');
      t.match(await alert.innerText(), /Adresse e-mail ou mot de passe incorrect/, 'the alert text (French)');
      t.equal(await page.inputValue('#email'), u.email, 'the address is kept');
      t.equal(await page.inputValue('#password'), '', 'the password is not sent back');
      t.equal(await page.locator('text=Se déconnecter').count(), 0, 'not signed in');

      await login(page, u);
      t.equal(pathOf(page), '/compte', 'right password: on /compte');
      t.match(await page.locator('main').innerText(), new RegExp(u.email.replace(/\./g, '\\.')), '/compte shows the address');
      t.match(await page.locator('main').innerText(), new RegExp(u.name), '/compte shows the name');
      const logout = page.getByRole('button', { name: 'Se déconnecter' });
      t.ok(await logout.isVisible(), 'the « Se déconnecter » button is in the header');

      await Promise.all([page.waitForNavigation(), logout.click()]);
      t.equal(pathOf(page), '/', 'after logout: home page');
      t.equal(await page.getByRole('button', { name: 'Se déconnecter' }).count(), 0, 'after logout: no logout button');
      const resp = await page.goto('/compte');
      t.equal(pathOf(page), '/connexion', 'after logout, /compte redirects to /connexion');
      t.equal(resp.status(), 200, 'the login page answers 200 after the redirect');
    },
  },
  {
    name: 'account request: short password flagged (aria-invalid); valid request sent; editor validates it; the professional can sign in',
    async fn(t) {
      const page = await t.page();
      const r = REQUESTER;
      await page.goto('/demande-de-compte');
      for (const f of ['name', 'email', 'organisation', 'profession', 'message']) {
        await page.fill(`#${f}`, r[f]);
      }
      await page.fill('#password', 'court');
      await submit(page, 'form[action="/demande-de-compte"]');
      t.equal(pathOf(page), '/demande-de-compte', 'short password: the form comes back');
      const alert = page.getByRole('alert');
      t.equal(await alert.count(), 1, 'short password: one role="alert"');
      t.match(await alert.innerText(), /au moins 12 caractères/, 'short password: the message');
      t.equal(await page.getAttribute('#password', 'aria-invalid'), 'true', '#password has aria-invalid="true"');
      const described = (await page.getAttribute('#password', 'aria-describedby')) || '';
      t.ok(described.split(/\s+/).includes('password-erreur'), `#password is described by its error (aria-describedby="${described}")`);
      t.match(await page.locator('#password-erreur').innerText(), /12 caractères/, 'the error next to the field');
      t.equal(await page.getAttribute('#name', 'aria-invalid'), null, 'the other fields are not marked invalid');
      t.equal(await page.inputValue('#name'), r.name, 'the name is kept');
      t.equal(await page.inputValue('#message'), r.message, 'the message is kept');

      await page.fill('#password', r.password);
      await submit(page, 'form[action="/demande-de-compte"]');
      t.equal(await page.locator('h1').innerText(), 'Demande envoyée', 'valid request: « Demande envoyée »');

      // Not yet validated: sign-in is refused with an explanation.
      await login(page, r);
      t.equal(pathOf(page), '/connexion', 'pending account: not signed in');
      t.match(await page.getByRole('alert').innerText(), /pas encore été validée/, 'pending account: the message');

      // The editor validates it.
      const editor = await t.page();
      await login(editor, USERS.editor);
      t.equal(pathOf(editor), '/compte', 'editor signed in');
      await editor.getByRole('link', { name: 'Comptes' }).click();
      await editor.waitForURL('**/admin/comptes');
      const request = editor.locator('article.request', { hasText: r.email });
      t.equal(await request.count(), 1, 'the request is listed on /admin/comptes');
      const text = await request.innerText();
      for (const f of ['name', 'organisation', 'profession', 'message']) {
        t.ok(text.includes(r[f]), `the request shows the ${f}`);
      }
      const validate = request.getByRole('button', { name: `Valider ${r.name}` });
      t.ok(await validate.isVisible(), `a « Valider » button named after the person ("Valider ${r.name}")`);
      t.ok(await request.getByRole('button', { name: `Refuser ${r.name}` }).isVisible(), 'a « Refuser » button too');
      await Promise.all([editor.waitForNavigation(), validate.click()]);
      t.equal(pathOf(editor), '/admin/comptes', 'back on /admin/comptes');
      t.equal(await editor.locator('article.request', { hasText: r.email }).count(), 0, 'the request is no longer pending');
      const row = editor.locator('tr', { hasText: r.email });
      t.match(await row.innerText(), /actif/, 'the account is listed as active');

      // Now the professional signs in (where the pending sign-in failed).
      const pro = page;
      await login(pro, r);
      t.equal(pathOf(pro), '/compte', 'validated professional: signed in');
      t.match(await pro.locator('main').innerText(), /sacha\.navarro@exemple\.fr/, '/compte shows the address');
    },
  },
];
