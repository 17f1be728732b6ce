// axe-core (WCAG 2.0/2.1 A and AA, plus best practices) on every page and
// state a person meets: zero violations expected.
import { runAxe } from '../lib/browser.mjs';
import { login, pathOf, submit, USERS } from '../lib/helpers.mjs';

async function audit(t, page, what) {
  const violations = await runAxe(page);
  t.ok(await page.evaluate(() => typeof window.axe?.version === 'string'), 'axe-core ran in the page');
  for (const v of violations) {
    t.note(`  ${v.id} (${v.impact}): ${v.help} — ${v.nodes} node(s): ${v.targets.join(' | ')}`);
    t.note(`    ${v.html}`);
    if (v.summary) t.note(`    ${v.summary}`);
  }
  t.equal(violations.length, 0, `${what}: axe violations (${violations.map((v) => v.id).join(', ')})`);
}

// Anonymous pages share one page with the other read-only tests.
function page(name, url, { status = 200, prepare = null, shared = 'anon', viewport = null } = {}) {
  return {
    name: `accessibility (axe): ${name}`,
    async fn(t) {
      const p = await t.sharedPage(shared);
      await p.setViewportSize(viewport || { width: 1280, height: 800 });
      if (prepare) {
        await prepare(t, p);
      } else {
        const resp = await p.goto(url);
        t.equal(resp.status(), status, `status of ${url}`);
      }
      await audit(t, p, name);
    },
  };
}

export default [
  page('home', '/'),
  page('home at phone size', '/', { viewport: { width: 390, height: 844 } }),
  page('/connexion', '/connexion'),
  page('/connexion after a failed login', null, {
    async prepare(t, p) {
      await login(p, { email: 'personne@exemple.fr' }, 'mauvais mot de passe');
      t.ok(await p.getByRole('alert').isVisible(), 'the error is shown');
    },
  }),
  page('/demande-de-compte', '/demande-de-compte'),
  page('/demande-de-compte with an error (short password)', null, {
    async prepare(t, p) {
      await p.goto('/demande-de-compte');
      await p.fill('#name', 'Noa Test');
      await p.fill('#email', 'noa@exemple.fr');
      await p.fill('#organisation', 'Collège Jean Moulin');
      await p.fill('#profession', 'Conseillère principale d\'éducation');
      await p.fill('#password', 'trop court');
      await submit(p, 'form[action="/demande-de-compte"]');
      t.equal(await p.getAttribute('#password', 'aria-invalid'), 'true', 'the error state is shown');
    },
  }),
  page('/demande-de-compte with an error (missing name)', null, {
    async prepare(t, p) {
      await p.goto('/demande-de-compte');
      await submit(p, 'form[action="/demande-de-compte"]');
      t.ok(await p.getByRole('alert').isVisible(), 'the error is shown');
      t.equal(await p.getAttribute('#name', 'aria-invalid'), 'true', 'the name is flagged');
    },
  }),
  page('/mentions-legales', '/mentions-legales'),
  page('/accessibilite', '/accessibilite'),
  page('/confidentialite', '/confidentialite'),
  page('a 404 page', '/nulle-part', { status: 404 }),
  page('/compte signed in', null, {
    shared: 'a11y-editor',
    async prepare(t, p) {
      await login(p, USERS.a11y);
      t.equal(pathOf(p), '/compte', 'signed in on /compte');
    },
  }),
  page('/admin/comptes as editor with a pending request', null, {
    shared: 'a11y-editor',
    async prepare(t, p) {
      // A pending request, made by someone else.
      const other = await t.sharedPage('anon');
      await other.goto('/demande-de-compte');
      await other.fill('#name', 'Lou Attente');
      await other.fill('#email', 'lou.attente@exemple.fr');
      await other.fill('#organisation', 'Point justice');
      await other.fill('#profession', 'Juriste');
      await other.fill('#message', 'Permanences d\'accès au droit.');
      await other.fill('#password', 'patience et longueur de temps');
      await submit(other, 'form[action="/demande-de-compte"]');
      t.equal(await other.locator('h1').innerText(), 'Demande envoyée', 'the pending request was sent');
      if (await p.getByRole('button', { name: 'Se déconnecter' }).count() === 0) await login(p, USERS.a11y);
      await p.goto('/admin/comptes');
      t.equal(pathOf(p), '/admin/comptes', 'on /admin/comptes');
      t.ok(await p.locator('article.request', { hasText: 'lou.attente@exemple.fr' }).count() === 1, 'the pending request is listed');
    },
  }),
];
