// The trainings: an editor creates a training and a session through the
// forms (an error shown first), a professional registers and another one,
// with JavaScript off, lands on the waiting list then moves up when the
// first cancels; axe-core on the catalogue, a training, my registrations
// and every editors' page, with and without errors.
import path from 'node:path';

import { login, pathOf, USERS } from '../lib/helpers.mjs';
import { audit } from './orientation.mjs';

const TITLE = 'Repérer et accompagner les cyberviolences';
const PLACE = 'Maison des associations, 3 rue Neuve, Saint-Étienne';

// Set by the first test, read by the others (they run in order).
const made = { training: null, session: null };

function daysAhead(n) {
  return new Date(Date.now() + n * 86400e3).toISOString().slice(0, 10);
}

async function signedIn(page, user) {
  await page.goto('/compte');
  if (await page.getByRole('button', { name: 'Se déconnecter' }).count() === 0) await login(page, user);
}

async function submit(page, name) {
  const [resp] = await Promise.all([page.waitForNavigation(), page.getByRole('button', { name }).click()]);
  return resp;
}

function trainingsAxe(name, prepare, who = null, after = null) {
  return {
    name: `accessibility (axe): trainings, ${name}`,
    async fn(t) {
      const p = await t.sharedPage(who ? `trainings-${who}` : 'anon');
      await p.setViewportSize({ width: 1280, height: 800 });
      if (who === 'editor') await signedIn(p, USERS.a11y);
      if (who === 'pro') await signedIn(p, USERS.pro);
      t.ok(made.training !== null, 'the training made by the first test exists');
      await prepare(t, p);
      await audit(t, p, name);
      if (after) await after(t, p);
    },
  };
}

export default [
  {
    name: 'trainings (editor): a new training with an error first (no theme), then saved; a session added; both read back',
    async fn(t) {
      const ed = await t.page();
      await login(ed, USERS.editor);
      let resp = await ed.goto('/admin/formations');
      t.equal(resp.status(), 200, 'status of /admin/formations');
      await Promise.all([ed.waitForNavigation(), ed.getByRole('link', { name: 'Nouvelle formation' }).click()]);
      t.equal(pathOf(ed), '/admin/formations/nouvelle', 'on the new training form');
      await ed.fill('#title', TITLE);
      await ed.fill('#objectives', '- Reconnaître les cyberviolences\n- Orienter les victimes');
      await ed.fill('#audience', 'Professionnel·les de l’enfance et de la santé');
      await ed.fill('#duration', '180');
      await ed.fill('#trainer', 'Équipe du pôle ressources');
      await ed.check('input[name="published"]');
      resp = await submit(ed, 'Enregistrer');
      t.equal(resp.status(), 400, 'no theme: 400');
      t.ok(await ed.getByRole('alert').isVisible(), 'the error summary is shown');
      t.match(await ed.locator('#themes-erreur').innerText(), /au moins un thème/, 'the themes fieldset says what is wrong');
      t.equal(await ed.inputValue('#title'), TITLE, 'what was typed is kept');
      await ed.getByLabel('Harcèlement').check();
      await ed.getByLabel('Accompagnement', { exact: true }).check();
      await submit(ed, 'Enregistrer');
      t.match(pathOf(ed), /^\/admin\/formations\/\d+$/, 'saved: on the training\'s page');
      made.training = Number(pathOf(ed).split('/').pop());

      await Promise.all([ed.waitForNavigation(), ed.getByRole('link', { name: 'Ajouter une session' }).click()]);
      await ed.fill('#day', daysAhead(8));
      await ed.fill('#start', '09:30');
      await ed.fill('#end', '12:30');
      await ed.fill('#place', PLACE);
      await ed.fill('#departement', '99');
      await ed.fill('#capacity', '1');
      resp = await submit(ed, 'Enregistrer la session');
      t.equal(resp.status(), 400, 'département 99: 400');
      t.equal(await ed.getAttribute('#departement', 'aria-invalid'), 'true', 'the département is flagged');
      t.match(await ed.getByRole('alert').innerText(), /département/i, 'the message names the département');
      await ed.fill('#departement', '42');
      await submit(ed, 'Enregistrer la session');
      t.match(pathOf(ed), /^\/admin\/formations\/sessions\/\d+$/, 'saved: on the session\'s registrations page');
      made.session = Number(pathOf(ed).split('/').pop());
      t.match(await ed.locator('main').innerText(), /Personne n.est inscrit·e/, 'nobody registered yet');
    },
  },
  {
    name: 'trainings: the public catalogue lists the training with its session and a sign-in hint; screenshot',
    async fn(t, env) {
      const page = await t.page();
      const resp = await page.goto('/formations');
      t.equal(resp.status(), 200, 'status of /formations');
      t.equal(await page.title(), 'Formations — Vigie', 'the title');
      const item = page.locator('li.training', { hasText: TITLE });
      t.equal(await item.count(), 1, 'the training is listed');
      t.match(await item.innerText(), /places restantes : 1/, 'its session shows the place left');
      await page.selectOption('#format', 'remote');
      await submit(page, 'Filtrer');
      t.equal(await page.locator('li.training', { hasText: TITLE }).count(), 0, 'filtered out by format « À distance »');
      await page.selectOption('#format', 'onsite');
      await page.selectOption('#theme', 'harcelement');
      await submit(page, 'Filtrer');
      t.equal(await page.locator('li.training', { hasText: TITLE }).count(), 1, 'kept by « En présentiel » and « Harcèlement »');
      await page.screenshot({ path: path.join(env.outDir, 'browser-formations.png'), fullPage: true });
      await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: TITLE }).click()]);
      t.equal(pathOf(page), `/formations/${made.training}`, 'on the training\'s page');
      t.ok(await page.getByRole('link', { name: 'connectez-vous avec votre compte professionnel' }).isVisible(), 'a sign-in hint');
      t.equal(await page.getByRole('button', { name: /^M'inscrire/ }).count(), 0, 'no registration button for a visitor');
    },
  },
  {
    name: 'trainings: without JavaScript, a professional lands on the waiting list, then moves up when the first one cancels',
    async fn(t) {
      const first = await t.page();
      await login(first, USERS.pro);
      await first.goto(`/formations/${made.training}`);
      await submit(first, /^M'inscrire/);
      t.equal(pathOf(first), `/formations/${made.training}`, 'back on the training after registering');
      t.ok(await first.getByText('Vous êtes inscrit·e à cette session.').isVisible(), 'the first professional is registered');

      const page = await t.page({ javaScriptEnabled: false });
      await login(page, USERS.nojs);
      await page.goto('/formations');
      await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: TITLE }).click()]);
      t.match(await page.locator(`#session-${made.session}`).innerText(), /Complet/, 'the session is full');
      await submit(page, /^M'inscrire sur la liste d'attente/);
      t.match(await page.locator(`#session-${made.session}`).innerText(), /liste d'attente, en position 1/, 'on the waiting list, position 1');
      await page.goto('/formations/mes-inscriptions');
      t.match(await page.locator('main').innerText(), /Liste d'attente, position 1/, 'my registrations show the position');

      await first.goto('/formations/mes-inscriptions');
      await submit(first, /^Annuler mon inscription/);
      t.equal(pathOf(first), '/formations/mes-inscriptions', 'the first one cancelled from their list');
      t.match(await first.locator('main').innerText(), /Aucune inscription à venir/, 'nothing left for them');

      await page.goto('/formations/mes-inscriptions');
      t.match(await page.locator('main').innerText(), /Inscrit·e/, 'the one waiting moved up (no JavaScript needed)');
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: /^Ajouter à mon agenda/ }).click(),
      ]);
      t.match(download.suggestedFilename(), /^formation-\d+\.ics$/, 'the calendar file downloads');
    },
  },
  {
    name: 'trainings (editor): attendance marked and read back; export links offered',
    async fn(t) {
      const ed = await t.page();
      await login(ed, USERS.editor);
      await ed.goto(`/admin/formations/sessions/${made.session}`);
      const select = ed.getByLabel(`Présence de ${USERS.nojs.name}`);
      t.equal(await select.count(), 1, 'an attendance choice for the person registered');
      await select.selectOption('present');
      await submit(ed, 'Enregistrer les présences');
      t.equal(await ed.getByLabel(`Présence de ${USERS.nojs.name}`).inputValue(), 'present', 'attendance reads back');
      t.ok(await ed.getByRole('link', { name: 'Exporter la liste (CSV)' }).isVisible(), 'a CSV export link');
      t.ok(await ed.getByRole('link', { name: 'Exporter la liste (Excel)' }).isVisible(), 'an XLSX export link');
      t.match(await ed.locator('#titre-annulations + ul').innerText(), new RegExp(USERS.pro.email), 'the cancellation is listed');
    },
  },
  trainingsAxe('the catalogue (/formations)', async (t, p) => {
    const resp = await p.goto('/formations');
    t.equal(resp.status(), 200, 'status of /formations');
  }),
  trainingsAxe('a training for a visitor', async (t, p) => {
    const resp = await p.goto(`/formations/${made.training}`);
    t.equal(resp.status(), 200, 'status of the training');
  }),
  trainingsAxe('a training for a professional (registration buttons)', async (t, p) => {
    await p.goto(`/formations/${made.training}`);
  }, 'pro', async (t, p) => {
    t.ok(await p.getByRole('button', { name: /^M'inscrire/ }).count() === 1, 'a registration button was shown (the audit covered it)');
  }),
  trainingsAxe('a duplicate registration (error on the training page)', async (t, p) => {
    await p.goto(`/formations/${made.training}`);
    const form = p.locator(`#session-${made.session} form`);
    // Post the registration form twice: the second answer is the error.
    const action = await form.getAttribute('action');
    await submit(p, /^M'inscrire/);
    await p.evaluate((a) => {
      const f = document.querySelector(`form[action="${a.replace('inscription', 'annulation')}"]`);
      f.setAttribute('action', a);
    }, action);
    const [resp] = await Promise.all([p.waitForNavigation(), p.locator(`#session-${made.session} form button`).click()]);
    t.equal(resp.status(), 409, 'the duplicate is 409');
    t.ok(await p.getByRole('alert').isVisible(), 'the error is shown');
  }, 'pro'),
  trainingsAxe('my registrations (/formations/mes-inscriptions)', async (t, p) => {
    const resp = await p.goto('/formations/mes-inscriptions');
    t.equal(resp.status(), 200, 'status of my registrations');
  }, 'pro', async (t, p) => {
    t.ok(await p.getByRole('button', { name: /^Quitter la liste d'attente/ }).count() === 1, 'the place on the waiting list was shown');
  }),
  trainingsAxe('/admin/formations', async (t, p) => {
    const resp = await p.goto('/admin/formations');
    t.equal(resp.status(), 200, 'status of /admin/formations');
  }, 'editor'),
  trainingsAxe('/admin/formations/nouvelle with an error', async (t, p) => {
    await p.goto('/admin/formations/nouvelle');
    await p.fill('#title', 'Sans thème');
    await p.fill('#objectives', 'Objectif.');
    await p.fill('#audience', 'Tous');
    await p.fill('#trainer', 'Personne');
    const resp = await submit(p, 'Enregistrer');
    t.equal(resp.status(), 400, 'status 400');
  }, 'editor'),
  trainingsAxe('a training\'s edit page with its sessions', async (t, p) => {
    const resp = await p.goto(`/admin/formations/${made.training}`);
    t.equal(resp.status(), 200, 'status of the edit page');
    t.equal(await p.locator('table tbody tr').count(), 1, 'its session is listed');
  }, 'editor'),
  trainingsAxe('a session\'s form with an error', async (t, p) => {
    await p.goto(`/admin/formations/sessions/${made.session}/modifier`);
    await p.fill('#end', '08:00');
    const resp = await submit(p, 'Enregistrer la session');
    t.equal(resp.status(), 400, 'an end before the start: 400');
    t.equal(await p.getAttribute('#end', 'aria-invalid'), 'true', 'the end time is flagged');
  }, 'editor'),
  trainingsAxe('a session\'s registrations with attendance and waiting list', async (t, p) => {
    const resp = await p.goto(`/admin/formations/sessions/${made.session}`);
    t.equal(resp.status(), 200, 'status of the registrations page');
  }, 'editor', async (t, p) => {
    t.ok(await p.locator('#titre-attente + .table-wrap table').count() === 1, 'the waiting list was shown (the audit covered it)');
  }),
];
