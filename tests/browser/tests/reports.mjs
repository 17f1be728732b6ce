// Anonymous reporting as a person does it: the form on /signaler with and
// without JavaScript, « Signalement reçu » and its code, the address that
// stays /signaler, the follow-up on /suivi with the code typed in lower
// case, the warning about images, an error kept in French with what was
// typed, axe-core on every state, and a phone screenshot.
//
// The server limits reports (30 an hour) and look-ups (10 in 10 minutes)
// per address, and every page here comes from 127.0.0.1: this file makes 4
// reports and 4 look-ups in all.  Keep it so when adding tests.
import path from 'node:path';
import { stat } from 'node:fs/promises';

import { audit, PHONE } from './orientation.mjs';

const CODE = /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/;
const URL_SEEN = 'https://www.instagram.com/p/exemple-signalement/';

function at(t, page, where, what) {
  t.equal(page.url(), `${t.env.origin}${where}`, `${what}: the address`);
}

// Presses the submit button named `name` and waits for the next page.
async function press(page, name) {
  const [resp] = await Promise.all([
    page.waitForNavigation(),
    page.locator('main').getByRole('button', { name, exact: true }).click(),
  ]);
  return resp;
}

// Fills the form as a person would, through the labels.
async function fill(t, page, { category = 'Harcèlement en ligne', url = URL_SEEN, minor = 'Non',
  relation = /^Ce contenu me vise/, description = null } = {}) {
  const cat = page.getByRole('radio', { name: category, exact: typeof category === 'string' });
  await cat.check();
  t.ok(await cat.isChecked(), `the category « ${category} » is chosen`);
  if (url !== null) await page.getByLabel('Adresse 1', { exact: true }).fill(url);
  if (description !== null) await page.getByLabel(/^Décrivez ce que vous avez vu/).fill(description);
  const m = page.locator('fieldset', { hasText: 'personne mineure' }).getByRole('radio', { name: minor, exact: true });
  await m.check();
  t.ok(await m.isChecked(), `minor: « ${minor} »`);
  const r = page.getByRole('radio', { name: relation });
  await r.check();
  t.ok(await r.isChecked(), 'the relation is chosen');
}

// A report from /signaler to « Signalement reçu »; returns its code.
async function reportOnce(t, page, what, fields = {}) {
  const resp = await page.goto('/signaler');
  t.equal(resp.status(), 200, 'status of /signaler');
  await fill(t, page, fields);
  const sent = await press(page, 'Envoyer le signalement');
  t.equal(sent.status(), 201, `${what}: the report's status`);
  at(t, page, '/signaler', `${what}: after sending`);
  t.equal(await page.locator('h1').innerText(), 'Signalement reçu', `${what}: the title`);
  const code = (await page.locator('.receipt .code').innerText()).trim();
  t.match(code, CODE, `${what}: the code shown`);
  t.ok(await page.locator('.receipt .code').isVisible(), `${what}: the code is visible`);
  return code;
}

// /suivi with `typed` in the code box.
async function lookUp(t, page, typed) {
  if (!page.url().endsWith('/suivi')) await page.goto('/suivi');
  await page.getByLabel('Code de suivi').fill(typed);
  return press(page, 'Voir l\'état du signalement');
}

function flow(js) {
  const how = js ? 'with JavaScript' : 'without JavaScript';
  return {
    name: `reporting ${how}: category, one URL, minor, relation → « Signalement reçu » and a code, the address stays /signaler; then /suivi with the code in lower case shows the status`,
    async fn(t) {
      const page = await t.page({ javaScriptEnabled: js });
      if (!js) {
        // Proof that scripts are off: Escape (the quick exit's script)
        // does not leave the page.
        await page.goto('/signaler');
        await page.keyboard.press('Escape');
        await page.waitForTimeout(200);
        at(t, page, '/signaler', 'Escape with scripts off');
      }
      const code = await reportOnce(t, page, how);
      t.note(`  ${how}: code ${code}`);
      t.match(await page.locator('main').innerText(), /ne sera plus jamais affiché/, 'the page says to note the code now');
      const [resp] = await Promise.all([
        page.waitForNavigation(),
        page.locator('main').getByRole('link', { name: 'Suivre un signalement' }).click(),
      ]);
      t.equal(resp.status(), 200, 'the link to /suivi');
      at(t, page, '/suivi', 'the follow-up page');
      const typed = code.toLowerCase();
      const found = await lookUp(t, page, typed);
      t.equal(found.status(), 200, `/suivi with « ${typed} »`);
      at(t, page, '/suivi', 'after the look-up');
      const box = page.getByRole('status');
      t.ok(await box.isVisible(), 'the status is shown in role="status"');
      t.match(await box.innerText(), /Reçu : il sera examiné/, 'the status is « nouveau »');
      t.match(await box.innerText(), /Dernière mise à jour le \d{4}-\d\d-\d\d/, 'with the date of the last change');
      t.equal(await page.getByRole('alert').count(), 0, 'no error');
      t.ok(!(await page.content()).includes(typed) && !(await page.content()).includes(code), 'the code is not written back into the page');
    },
  };
}

export default [
  flow(false),
  flow(true),
  {
    name: 'reporting: the warning never to send images is visible before the form; the child sexual abuse category shows its help text',
    async fn(t) {
      const page = await t.page();
      await page.goto('/signaler');
      const warning = page.locator('main .warning');
      t.ok(await warning.isVisible(), 'the warning is visible');
      t.match(await warning.innerText(), /N'envoyez jamais d'images ni de vidéos/, 'the warning says never to send images or videos');
      t.match(await warning.innerText(), /ne les téléchargez pas et ne faites pas de capture/, 'the warning is explicit about abuse images');
      const form = page.locator('form[action="/signaler"]');
      const before = await warning.evaluate((w, f) => Boolean(w.compareDocumentPosition(f) & Node.DOCUMENT_POSITION_FOLLOWING), await form.elementHandle());
      t.ok(before, 'the warning comes before the form in the page');
      const wb = await warning.boundingBox();
      const fb = await form.boundingBox();
      t.ok(wb && fb && wb.y + wb.height <= fb.y, `the warning is above the form (${wb?.y}+${wb?.height} ≤ ${fb?.y})`);
      t.ok(wb.y < 800, `the warning is on the first screen (y = ${wb.y})`);
      const csam = page.locator('label.choice', { has: page.locator('input[value="pedocriminalite"]') });
      t.equal(await csam.count(), 1, 'the child sexual abuse category is offered');
      const hint = csam.locator('.choice-hint');
      t.ok(await hint.isVisible(), 'its help text is visible');
      t.match(await hint.innerText(), /Ne téléchargez pas, ne capturez pas/, 'the help says not to download or capture');
      t.equal(await page.locator('input[type="file"]').count(), 0, 'no file input');
    },
  },
  {
    name: 'reporting: an error (no URL) shows a French role="alert" summary and keeps what was typed',
    async fn(t) {
      const page = await t.page();
      await page.goto('/signaler');
      const description = 'Un compte publie mon adresse <b>et</b> des insultes « tous les jours ».';
      await fill(t, page, { url: null, description, category: 'Menaces de violence ou de mort', minor: 'Oui' });
      const resp = await press(page, 'Envoyer le signalement');
      t.equal(resp.status(), 400, 'the status of the form with an error');
      at(t, page, '/signaler', 'after the error');
      const alert = page.getByRole('alert');
      t.equal(await alert.count(), 1, 'one role="alert"');
      t.ok(await alert.isVisible(), 'the alert is visible');
      t.match(await alert.innerText(), /Il y a un problème/, 'the alert\'s title in French');
      t.match(await alert.innerText(), /Indiquez l'adresse \(URL\) du contenu/, 'the alert says the URL is missing, in French');
      t.equal(await page.getByLabel(/^Décrivez ce que vous avez vu/).inputValue(), description, 'the description is kept as typed');
      t.ok(await page.getByRole('radio', { name: 'Menaces de violence ou de mort', exact: true }).isChecked(), 'the category stays chosen');
      t.ok(await page.locator('input[name="minor"][value="oui"]').isChecked(), 'the minor answer stays chosen');
      t.ok(await page.getByRole('radio', { name: /^Ce contenu me vise/ }).isChecked(), 'the relation stays chosen');
      const err = page.locator('#url-erreur');
      t.ok(await err.isVisible(), 'the error is shown by the URL boxes');
      t.equal(await page.locator('fieldset', { has: err }).getAttribute('aria-describedby'), 'url-erreur', 'the URL fieldset is described by the error');
      t.equal(await page.locator('b', { hasText: 'et' }).count(), 0, 'the markup typed is text, not HTML');
    },
  },
  {
    name: 'reporting screenshot: /signaler at phone size (390x844), full page, no horizontal scrolling',
    async fn(t, env) {
      const page = await t.page(PHONE);
      const resp = await page.goto('/signaler');
      t.equal(resp.status(), 200, 'status of /signaler');
      const w = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
      t.ok(w.scroll <= w.client, `no horizontal scrolling at phone size (${w.scroll} > ${w.client})`);
      t.ok(await page.locator('main .warning').isVisible(), 'the warning is shown at phone size');
      const out = path.join(env.outDir, 'browser-signaler.png');
      await page.screenshot({ path: out, fullPage: true });
      t.ok((await stat(out)).size > 5000, `screenshot ${out} written`);
      t.note(`screenshot: ${path.relative(process.cwd(), out)}`);
    },
  },
  axe('/signaler', async (t, p) => {
    const resp = await p.goto('/signaler');
    t.equal(resp.status(), 200, 'status of /signaler');
  }),
  axe('/signaler with errors', async (t, p) => {
    await p.goto('/signaler');
    await press(p, 'Envoyer le signalement');
    t.ok(await p.getByRole('alert').isVisible(), 'the error is shown');
    await p.getByRole('radio', { name: 'Harcèlement en ligne', exact: true }).check();
    await p.getByLabel('Adresse 1', { exact: true }).fill('javascript:alert(1)');
    await press(p, 'Envoyer le signalement');
    t.match(await p.getByRole('alert').innerText(), /n'est pas valide/, 'the error about the URL is shown');
    t.equal(await p.locator('input.url-kept, label.url-kept input').count(), 1, 'the URL typed is kept in its own box');
  }),
  axe('the « Signalement reçu » page', async (t, p) => {
    await reportOnce(t, p, 'a report for the audit');
  }),
  axe('/suivi', async (t, p) => {
    const resp = await p.goto('/suivi');
    t.equal(resp.status(), 200, 'status of /suivi');
  }),
  axe('/suivi with a result', async (t, p) => {
    const code = await reportOnce(t, p, 'a report to look up', { category: /^Images ou vidéos d'abus sexuels/, minor: 'Je ne sais pas', relation: /^J'ai vu ce contenu/ });
    const resp = await lookUp(t, p, code.replaceAll('-', ' '));
    t.equal(resp.status(), 200, 'the look-up');
    t.ok(await p.getByRole('status').isVisible(), 'the status is shown');
  }),
  axe('/suivi with an error', async (t, p) => {
    const resp = await lookUp(t, p, 'ABCD-EFGH-JKMN');
    t.equal(resp.status(), 404, 'an unknown code');
    t.match(await p.getByRole('alert').innerText(), /Aucun signalement ne correspond à ce code/, 'the error in French');
    t.equal(await p.getByLabel('Code de suivi').getAttribute('aria-invalid'), 'true', 'the code box is marked invalid');
  }),
];

function axe(name, prepare) {
  return {
    name: `accessibility (axe): reporting, ${name}`,
    async fn(t) {
      const p = await t.sharedPage('anon');
      await p.setViewportSize({ width: 1280, height: 800 });
      await prepare(t, p);
      await audit(t, p, name);
    },
  };
}
