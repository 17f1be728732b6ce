// The questionnaires: a form imported from XLSForm sheets (CSV) with the
// command line, a wave opened, then a person answers without JavaScript —
// one page at a time, a constraint's message next to the field, skip
// logic, the sending page, the thanks — with nothing of the answers in
// the address; and the observatory's pages.  axe-core on every page.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';

import { login, pathOf, USERS } from '../lib/helpers.mjs';
import { audit } from './orientation.mjs';

const SURVEY = [
  'type,name,label::French (fr),required,relevant,constraint,constraint_message::French (fr)',
  'begin_group,profil,Vous,,,,',
  'integer,age,Quel âge avez-vous ?,yes,,. >= 11 and . <= 25,Ce questionnaire est pour les 11-25 ans.',
  'departement,dep,Votre département,,,,',
  'end_group,,,,,,',
  'begin_group,vecu,En ligne,,${age} >= 15,,',
  'select_one oui_non,harcele,Avez-vous été harcelé·e en ligne cette année ?,yes,,,',
  'select_multiple plateformes,ou,Sur quelles plateformes ?,yes,"selected(${harcele}, \'oui\')",,',
  'end_group,,,,,,',
].join('\n') + '\n';
const CHOICES = [
  'list_name,name,label::French (fr)',
  'oui_non,oui,Oui', 'oui_non,non,Non',
  'plateformes,instagram,Instagram', 'plateformes,tiktok,TikTok',
].join('\n') + '\n';
const SETTINGS = 'form_title,form_id,version\nEnquête navigateur,enquete_nav,1\n';

let ready = null;

// Import the form and open a wave, once, before the first test uses it.
async function setup(env) {
  if (!ready) {
    ready = (async () => {
      const base = path.join(env.server.data, 'enquete_nav');
      await writeFile(`${base}.csv`, SURVEY);
      await writeFile(`${base}.choices.csv`, CHOICES);
      await writeFile(`${base}.settings.csv`, SETTINGS);
      const id = (await env.server.cli('survey', 'import', `${base}.csv`)).trim();
      await env.server.cli('wave', 'open', id, '--name', 'Vague du navigateur');
      return id;
    })();
  }
  return ready;
}

async function press(page, name) {
  const [resp] = await Promise.all([
    page.waitForNavigation(),
    page.getByRole('button', { name, exact: true }).click(),
  ]);
  return resp;
}

// One person's whole answer; `check` audits each page with axe (which
// needs scripts: the same flow runs once without them, unaudited).
async function answer(t, env, page, check) {
  const id = await setup(env);
  t.equal(id, 'enquete_nav', 'vigie survey import printed the form id');
  let resp = await page.goto(`/q/${id}`);
  t.equal(resp.status(), 200, 'the start page');
  t.match(await page.locator('main').innerText(), /anonymes/, 'it says the answers are anonymous');
  await check('the questionnaire\'s start page');
  resp = await press(page, 'Commencer');
  t.equal(resp.status(), 200, 'the first page');
  t.match(await page.locator('.progress-text').innerText(), /Page 1 sur 2/, 'the progress');
  await page.fill('#age', '9');
  resp = await press(page, 'Continuer');
  t.equal(resp.status(), 400, 'an age out of range is refused');
  t.equal(await page.getAttribute('#age', 'aria-invalid'), 'true', 'the age field is flagged');
  t.match(await page.locator('#age-erreur').innerText(), /11-25 ans/, 'with the form\'s own message');
  await check('a question page with an error');
  await page.fill('#age', '17');
  await page.selectOption('#dep', '42');
  resp = await press(page, 'Continuer');
  t.match(await page.locator('.progress-text').innerText(), /Page 2 sur 2/, 'the progress, on');
  t.match(await page.locator('main').innerText(), /harcelé·e/, 'at 17, the page about online life');
  t.equal(await page.locator('input[name="ou"]').count(), 0, 'no platforms question before a yes');
  await page.getByLabel('Oui').check();
  resp = await press(page, 'Continuer');
  t.equal(resp.status(), 400, 'after a yes, the platforms question is required');
  await page.getByLabel('TikTok').check();
  resp = await press(page, 'Continuer');
  t.match(await page.locator('main').innerText(), /toutes les pages/, 'the sending page');
  await check('the sending page');
  resp = await press(page, 'Envoyer mes réponses');
  t.equal(resp.status(), 200, 'sent');
  t.match(await page.getByRole('status').innerText(), /bien enregistrées/, 'the thanks');
  await check('the thanks page');
  t.equal(pathOf(page), `/q/${id}`, 'the address never carried an answer');
  t.equal(new URL(page.url()).search, '', 'no query string');
}

export default [
  {
    name: 'surveys without JavaScript: a person answers page by page, a constraint is explained, skip logic applies, the thanks come once stored',
    async fn(t, env) {
      const page = await t.page({ javaScriptEnabled: false });
      await answer(t, env, page, async () => {});
    },
  },
  {
    name: 'accessibility (axe): surveys, every answering page',
    async fn(t, env) {
      const page = await t.page();
      await answer(t, env, page, (what) => audit(t, page, what));
    },
  },
  {
    name: 'surveys: the observatory\'s pages (questionnaires, a form, a wave) pass axe',
    async fn(t, env) {
      await setup(env);
      const page = await t.page();
      await login(page, USERS.editor);
      let resp = await page.goto('/admin/questionnaires');
      t.equal(resp.status(), 200, '/admin/questionnaires');
      await audit(t, page, 'the questionnaires');
      await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'Enquête navigateur' }).click()]);
      t.match(pathOf(page), /^\/admin\/questionnaires\/\d+$/, 'the form\'s page');
      await audit(t, page, 'a questionnaire');
      await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'Vague du navigateur' }).click()]);
      t.match(pathOf(page), /^\/admin\/vagues\/\d+$/, 'the wave\'s page');
      t.match(await page.locator('main').innerText(), /envoyés : [1-9]/, 'it counts the answer sent');
      await audit(t, page, 'a wave');
      resp = await page.goto('/admin/questionnaires');
      await page.setInputFiles('#file', { name: 'faux.xlsx', mimeType: 'application/octet-stream', buffer: Buffer.from('PK\x03\x04pas un classeur') });
      resp = await press(page, 'Importer');
      t.equal(resp.status(), 400, 'a broken workbook is refused');
      t.ok(await page.getByRole('alert').isVisible(), 'with a message');
      await audit(t, page, 'the import with an error');
    },
  },
];
