// The analysts' pages, as an analyst uses them: the queue (urgent reports
// first, reports about the same address side by side, the filter), a
// report's file (what the reporter wrote shown as text, status,
// qualification, forwarding, the DSA art. 16 notice, the hosting check
// without JavaScript), the yearly statistics and their CSV, the role check,
// axe-core on every page, and a desktop screenshot.
//
// The reports are made through /signaler, once per run, by the first test
// that needs them (so that --only works on any test).  The server limits
// reports to 30 an hour per address: this file makes 5.  The hosting check
// is only ever run on a loopback URL: it resolves no name and, with the
// default configuration, reaches nothing.
import path from 'node:path';
import { readFile, stat } from 'node:fs/promises';

import { login, pathOf } from '../lib/helpers.mjs';
import { audit } from './orientation.mjs';

// Made with `vigie user add` by run.mjs before the server starts.
export const ACCOUNTS = {
  analyst: { email: 'analyste@exemple.fr', role: 'analyst', password: 'la file avant tout 24', name: 'Morgane Analyse' },
  pro: { email: 'educ.sans.acces@exemple.fr', role: 'professional', password: 'pas de file pour moi', name: 'Yanis Éducateur' },
};

const DESKTOP = { viewport: { width: 1280, height: 900 } };

// The reports made for this file; hosts are unique to it.
const REPORTS = {
  urgent: {
    category: /^Images ou vidéos d'abus sexuels/, url: 'https://galerie-analyse.exemple.net/album/7',
    host: 'galerie-analyse.exemple.net', minor: 'Oui', relation: /^J'ai vu ce contenu/,
  },
  www: {
    category: 'Harcèlement en ligne', url: 'https://www.forum-analyse.exemple.net/fil/42',
    host: 'www.forum-analyse.exemple.net', minor: 'Non', relation: /^Ce contenu me vise/,
  },
  bare: {
    category: 'Harcèlement en ligne', url: 'https://forum-analyse.exemple.net/fil/42/',
    host: 'forum-analyse.exemple.net', minor: 'Je ne sais pas', relation: /^J'ai vu ce contenu/,
  },
  markup: {
    category: 'Incitation à la haine, à la violence ou à la discrimination', url: 'https://blog-analyse.exemple.net/billet/3',
    host: 'blog-analyse.exemple.net', minor: 'Non', relation: /^J'ai vu ce contenu/,
    description: 'Le billet dit <b>gras</b> et cache <script>window.vigiePwned = 1</script> dans ses commentaires.',
  },
  private: {
    category: 'Autre contenu qui vous semble illégal', url: 'http://127.0.0.1/contenu-analyse',
    host: '127.0.0.1', minor: 'Non', relation: /^J'ai vu ce contenu/,
  },
};

// Report ids by key of REPORTS, once made.
let made = null;

async function press(page, name, scope = 'main') {
  const [resp] = await Promise.all([
    page.waitForNavigation(),
    page.locator(scope).getByRole('button', { name, exact: true }).click(),
  ]);
  return resp;
}

async function report(t, page, key) {
  const r = REPORTS[key];
  await page.goto('/signaler');
  await page.getByRole('radio', { name: r.category, exact: typeof r.category === 'string' }).check();
  await page.getByLabel('Adresse 1', { exact: true }).fill(r.url);
  if (r.description) await page.getByLabel(/^Décrivez ce que vous avez vu/).fill(r.description);
  await page.locator('fieldset', { hasText: 'personne mineure' }).getByRole('radio', { name: r.minor, exact: true }).check();
  await page.getByRole('radio', { name: r.relation }).check();
  const resp = await press(page, 'Envoyer le signalement');
  t.equal(resp.status(), 201, `the report « ${key} » is received`);
  t.equal(await page.locator('h1').innerText(), 'Signalement reçu', `report « ${key} »: « Signalement reçu »`);
}

// The queue's rows: id, the category cell, the site cell, urgent or not.
async function queueRows(page) {
  return page.locator('main table tbody tr').evaluateAll((trs) => trs.map((tr) => {
    const td = tr.querySelectorAll('td');
    return {
      id: Number(td[0].innerText.trim()),
      href: td[0].querySelector('a')?.getAttribute('href') ?? null,
      category: td[1].innerText.trim(),
      site: td[2].innerText.trim(),
      status: td[4].innerText.trim(),
      same: td[5].innerText.trim(),
      urgentRow: tr.classList.contains('urgent-row'),
      urgentMark: td[1].querySelector('strong')?.innerText.trim() ?? null,
    };
  }));
}

// Makes the reports once, anonymously, then finds their ids in the queue.
async function ensureReports(t, analystPage) {
  if (made) return made;
  const anon = await t.page();
  for (const key of Object.keys(REPORTS)) await report(t, anon, key);
  await analystPage.goto('/analyse');
  const rows = await queueRows(analystPage);
  const ids = {};
  for (const [key, r] of Object.entries(REPORTS)) {
    const row = rows.filter((x) => x.site === r.host);
    t.equal(row.length, 1, `the report « ${key} » (${r.host}) is in the queue once`);
    ids[key] = row[0].id;
  }
  made = ids;
  return made;
}

// A page signed in as the analyst, kept for the whole run.
async function analystPage(t, options = DESKTOP) {
  const p = await t.sharedPage('analyst', options);
  await p.setViewportSize(options.viewport);
  if (await p.url() === 'about:blank' || await p.getByRole('button', { name: 'Se déconnecter' }).count() === 0) {
    await login(p, ACCOUNTS.analyst);
    t.equal(pathOf(p), '/compte', 'the analyst is signed in');
  }
  return p;
}

async function openFile(t, p, id) {
  const resp = await p.goto(`/analyse/${id}`);
  t.equal(resp.status(), 200, `status of /analyse/${id}`);
  t.equal(await p.locator('main h1').innerText(), `Signalement n° ${id}`, 'the file\'s title');
}

async function historyItems(p) {
  return p.locator('section[aria-labelledby="titre-historique"] ol.history li').allInnerTexts();
}

// Chooses `label` in the select labelled `selectLabel` and presses `button`.
async function change(t, p, id, selectLabel, option, button, note = null) {
  const form = p.locator('main form', { has: p.getByRole('button', { name: button, exact: true }) });
  await form.getByLabel(selectLabel, { exact: true }).selectOption(option);
  if (note !== null) await form.locator('input[name="note"]').fill(note);
  const resp = await press(p, button);
  t.equal(resp.status(), 200, `« ${button} »: the page after the redirect`);
  t.equal(pathOf(p), `/analyse/${id}`, `« ${button} »: back on the file (post/redirect/get)`);
  t.equal(await p.getByRole('alert').count(), 0, `« ${button} »: no error`);
}

export default [
  {
    name: 'analysis: an analyst signs in, the header shows « Signalements »; the queue lists the reports made on /signaler, the child abuse one first and marked « Urgent : », the two about the same URL with and without « www. » side by side',
    async fn(t) {
      const p = await t.page(DESKTOP);
      await login(p, ACCOUNTS.analyst);
      t.equal(pathOf(p), '/compte', 'signed in on /compte');
      const nav = p.getByRole('navigation', { name: 'Navigation principale' });
      const link = nav.getByRole('link', { name: 'Signalements', exact: true });
      t.equal(await link.count(), 1, 'the header has a « Signalements » link');
      t.equal(await link.getAttribute('href'), '/analyse', 'it leads to /analyse');
      const ids = await ensureReports(t, p);
      await p.goto('/compte');
      const [resp] = await Promise.all([p.waitForNavigation(), link.click()]);
      t.equal(resp.status(), 200, 'status of /analyse');
      t.equal(await p.locator('main h1').innerText(), 'Signalements à traiter', 'the queue\'s title');
      t.equal(await p.title(), 'Signalements à traiter — Vigie', 'the queue\'s page title');
      const rows = await queueRows(p);
      t.note(`  queue: ${rows.map((r) => `${r.id}${r.urgentRow ? '!' : ''} ${r.site}`).join(' | ')}`);
      const at = (key) => rows.findIndex((r) => r.id === ids[key]);
      const urgent = rows[at('urgent')];
      t.equal(urgent.urgentMark, 'Urgent :', 'the child abuse report is marked « Urgent : »');
      t.ok(urgent.urgentRow, 'its row has the urgent style');
      t.match(urgent.category, /^Urgent : Images ou vidéos d'abus sexuels/, 'its category cell');
      t.equal(rows[0].urgentMark, 'Urgent :', 'the first row of the queue is an urgent one');
      const firstCalm = rows.findIndex((r) => !r.urgentRow);
      t.ok(firstCalm === -1 || at('urgent') < firstCalm, `the child abuse report comes before every report that is not urgent (at ${at('urgent')}, first non-urgent at ${firstCalm})`);
      if (rows.filter((r) => r.urgentRow).length === 1) t.equal(at('urgent'), 0, 'the only urgent report is listed first');
      for (const key of ['www', 'bare', 'markup', 'private']) {
        t.equal(rows[at(key)].urgentMark, null, `the report « ${key} » is not marked urgent`);
      }
      t.equal(Math.abs(at('www') - at('bare')), 1, `the reports about the same URL with and without « www. » are side by side (rows ${at('www')} and ${at('bare')})`);
      t.equal(rows[at('www')].same, '1 autre(s)', 'the « www. » one shows one other report about the same address');
      t.equal(rows[at('bare')].same, '1 autre(s)', 'the bare one shows one other report about the same address');
      t.equal(rows[at('markup')].same, '', 'a report alone on its address shows nothing in « Même adresse »');
      t.equal(rows[at('www')].href, `/analyse/${ids.www}`, 'each number links to the report\'s file');
      t.match(await p.locator('main').innerText(), new RegExp(`${rows.length} signalement\\(s\\), les plus urgents d'abord`), 'the count is shown');
      t.equal(await p.locator('main a[href="/analyse/statistiques"]').count(), 1, 'a link to the statistics');
    },
  },
  {
    name: 'analysis: the queue\'s filter is a GET form; the category « Harcèlement en ligne » lists the two reports about the forum and not the urgent one',
    async fn(t) {
      const p = await analystPage(t);
      const ids = await ensureReports(t, p);
      await p.goto('/analyse');
      await p.getByLabel('Catégorie', { exact: true }).selectOption('harcelement');
      const resp = await press(p, 'Filtrer');
      t.equal(resp.status(), 200, 'status of the filtered queue');
      const u = new URL(p.url());
      t.equal(u.pathname, '/analyse', 'the filter stays on /analyse');
      t.equal(u.searchParams.get('category'), 'harcelement', 'the category is in the query string');
      t.equal(await p.getByLabel('Catégorie', { exact: true }).inputValue(), 'harcelement', 'the category stays chosen');
      const rows = await queueRows(p);
      const shown = rows.map((r) => r.id);
      t.ok(shown.includes(ids.www) && shown.includes(ids.bare), 'the two forum reports are listed');
      t.ok(!shown.includes(ids.urgent) && !shown.includes(ids.markup), 'the others are not');
      t.ok(rows.every((r) => r.category === 'Harcèlement en ligne'), 'every row is « Harcèlement en ligne »');
    },
  },
  {
    name: 'analysis: a description with <b>gras</b> and <script> is shown as text: no bold element, no script element, nothing run',
    async fn(t) {
      const p = await analystPage(t);
      const ids = await ensureReports(t, p);
      await openFile(t, p, ids.markup);
      const dd = p.locator('main dl.facts dd.prewrap');
      t.equal(await dd.count(), 1, 'the description is shown');
      t.equal(await dd.innerText(), REPORTS.markup.description, 'the description is shown exactly as typed, markup included, as text');
      t.equal(await p.locator('main b').count(), 0, 'no <b> element in the file');
      t.equal(await dd.locator('*').count(), 0, 'the description has no child element');
      t.equal(await p.locator('main script').count(), 0, 'no <script> element in main');
      t.equal(await p.evaluate(() => window.vigiePwned), undefined, 'the script typed did not run');
      const scripts = await p.locator('script').evaluateAll((s) => s.map((e) => e.getAttribute('src')));
      t.ok(scripts.every((s) => s && s.startsWith('/static/vigie.js')), `the only scripts are the site's (${scripts.join(', ')})`);
      t.match(await p.locator('main ul li .url').first().innerText(), /^https:\/\/blog-analyse\.exemple\.net\/billet\/3$/, 'the URL is listed');
    },
  },
  {
    name: 'analysis: the analyst changes the status, qualifies with an article, forwards to INHOPE with a note, sees each in the history; « Télécharger la notification » gives a notice with « article 16 », the URL and « bonne foi »',
    async fn(t, env) {
      const p = await analystPage(t);
      const ids = await ensureReports(t, p);
      const id = ids.www;
      await openFile(t, p, id);
      const before = (await historyItems(p)).length;
      t.ok(before >= 1, `the history starts with the report's creation (${before} item(s))`);

      await change(t, p, id, 'État', 'en-examen', 'Changer l\'état');
      t.match(await p.locator('main p.meta').first().innerText(), / · En cours d'examen$/, 'the file\'s state is now « En cours d\'examen »');
      let items = await historyItems(p);
      t.equal(items.length, before + 1, 'the history has one more item');
      t.match(items.at(-1), /Changement d'état : En cours d'examen \(Morgane Analyse\)$/, `the history has the status change by the analyst: « ${items.at(-1)} »`);

      await change(t, p, id, 'Qualification juridique', '222-33-2-2', 'Qualifier', 'Messages quotidiens depuis trois semaines');
      t.equal(await p.getByLabel('Qualification juridique', { exact: true }).inputValue(), '222-33-2-2', 'the article stays chosen');
      t.match(await p.locator('main dl.facts').innerText(), /Qualification\s+222-33-2-2/, 'the file shows the qualification');
      t.match(await p.locator('main p.meta').first().innerText(), / · Examiné : des démarches sont en cours$/, 'the state is now « qualifié » (« Examiné : des démarches sont en cours »)');
      items = await historyItems(p);
      t.match(items.at(-1), /222-33-2-2 — Messages quotidiens depuis trois semaines \(Morgane Analyse\)$/, `the history has the qualification and its note: « ${items.at(-1)} »`);

      const note = 'Hébergé aux Pays-Bas, référence NL-2026-118';
      await change(t, p, id, 'Transmettre', 'inhope', 'Enregistrer la transmission', note);
      items = await historyItems(p);
      t.equal(items.length, before + 3, 'three changes, three new items in the history');
      t.match(items.at(-1), new RegExp(`INHOPE\\) : ${note} \\(Morgane Analyse\\)$`), `the history has the forward to INHOPE with its note: « ${items.at(-1)} »`);

      // The notice, downloaded.
      await p.getByLabel(/^Pourquoi ce contenu est illicite/).fill('Messages répétés visant une personne nommément.');
      const [download] = await Promise.all([
        p.waitForEvent('download'),
        p.getByRole('button', { name: 'Télécharger la notification', exact: true }).click(),
      ]);
      t.equal(download.suggestedFilename(), `notification-VIGIE-${id}.txt`, 'the file name');
      t.equal(await download.failure(), null, 'the download completed');
      const text = await readFile(await download.path(), 'utf8');
      t.ok(text.includes('article 16'), 'the notice cites « article 16 »');
      t.ok(text.includes(REPORTS.www.url), `the notice has the URL ${REPORTS.www.url}`);
      t.ok(text.includes('bonne foi'), 'the notice has the statement of « bonne foi »');
      t.ok(text.includes('Messages répétés visant une personne nommément.'), 'the notice has the explanation typed');
      t.ok(text.includes('222-33-2-2'), 'the notice has the qualification');
      t.ok(text.includes(`VIGIE-${id}`), 'the notice has its reference');
      t.ok(!/<[a-z]/i.test(text), 'the notice is plain text');
      await download.saveAs(path.join(env.outDir, `notification-VIGIE-${id}.txt`));
      t.equal(pathOf(p), `/analyse/${id}`, 'the file is still shown after the download');
      await openFile(t, p, id);
      items = await historyItems(p);
      t.match(items.at(-1), /téléchargée \(Morgane Analyse\)$/, `the download is in the history: « ${items.at(-1)} »`);
      t.match(await p.locator('main ul.notices').innerText(), /Téléchargée/, 'the notice is listed as « Téléchargée »');
    },
  },
  {
    name: 'analysis: the history is written in French, not with the internal identifiers (created, status, qualify, forward, notice, en-examen, inhope)',
    async fn(t) {
      const p = await analystPage(t);
      const ids = await ensureReports(t, p);
      await openFile(t, p, ids.www);
      if ((await historyItems(p)).length < 2) await change(t, p, ids.www, 'État', 'en-examen', 'Changer l\'état');
      const items = await historyItems(p);
      for (const item of items) t.note(`  history: ${item}`);
      const raw = items.filter((i) => /— (created|status|qualify|forward|outcome|notice)\b|\b(en-examen|inhope|pharos|sans-reponse|hors-champ)\b/.test(i));
      t.equal(raw.length, 0, `history items showing internal identifiers instead of French words (${raw.join(' | ')})`);
    },
  },
  {
    name: 'analysis: without smtp_url and notifier_email, no « Envoyer la notification » button, and the hint names the settings',
    async fn(t) {
      const p = await analystPage(t);
      const ids = await ensureReports(t, p);
      await openFile(t, p, ids.bare);
      const section = p.locator('section[aria-labelledby="titre-notifications"]');
      t.equal(await section.getByRole('button', { name: 'Envoyer la notification', includeHidden: true }).count(), 0, 'no « Envoyer la notification » button');
      t.ok(await section.getByRole('button', { name: 'Télécharger la notification', exact: true }).isVisible(), '« Télécharger la notification » is offered');
      const hint = section.locator('p.hint');
      t.ok(await hint.isVisible(), 'a hint is shown');
      t.equal(await hint.innerText(), 'L\'envoi par e-mail n\'est pas configuré (smtp_url et notifier_email dans vigie.conf).', 'the hint names the settings');
      t.ok(await section.getByLabel('Adresse e-mail de l\'hébergeur (point de contact)').isVisible(), 'the recipient box is there');
    },
  },
  {
    name: 'analysis without JavaScript: « Vérifier l\'hébergement… » is a plain POST; a loopback address is refused (default configuration) and the refusal is shown on the file',
    async fn(t) {
      const p = await t.page({ ...DESKTOP, javaScriptEnabled: false });
      await login(p, ACCOUNTS.analyst);
      t.equal(pathOf(p), '/compte', 'signed in without JavaScript');
      const ids = await ensureReports(t, p);
      await openFile(t, p, ids.private);
      const section = p.locator('section[aria-labelledby="titre-hebergement"]');
      t.equal(await section.locator('ul li').count(), 0, 'no check yet');
      const button = section.getByRole('button', { name: /^Vérifier l'hébergement/ });
      t.equal(await button.evaluate((b) => [b.form.method, new URL(b.form.action).pathname]).then((x) => x.join(' ')),
        `post /analyse/${ids.private}/verification`, 'the button submits a POST form to /analyse/ID/verification');
      const [resp] = await Promise.all([p.waitForNavigation(), button.click()]);
      t.equal(resp.status(), 200, 'the page after the check');
      t.equal(pathOf(p), `/analyse/${ids.private}`, 'back on the file (post/redirect/get)');
      t.equal(resp.request().method(), 'GET', 'the file is shown by a GET after the redirect');
      const items = await section.locator('ul li').allInnerTexts();
      t.equal(items.length, 1, 'one URL checked');
      t.note(`  check: ${items[0]}`);
      t.match(items[0], /^http:\/\/127\.0\.0\.1\/contenu-analyse : adresse privée : vérification refusée/, 'the refusal for a private address is shown');
      t.match(items[0], /adresses : 127\.0\.0\.1 /, 'the address found is shown');
      t.ok(!/réponse HTTP/.test(items[0]), 'no HTTP status: nothing was asked');
    },
  },
  {
    name: 'analysis: /analyse/statistiques shows the three tables; the CSV link downloads a file starting with « table,key, », the XLSX link a spreadsheet',
    async fn(t, env) {
      const p = await analystPage(t);
      await p.goto('/analyse');
      const [resp] = await Promise.all([p.waitForNavigation(), p.locator('main a[href="/analyse/statistiques"]').click()]);
      t.equal(resp.status(), 200, 'status of /analyse/statistiques');
      const year = new Date().getUTCFullYear();
      t.equal(await p.locator('main h1').innerText(), `Rapport annuel des notifications ${year}`, 'the title with the year');
      const captions = await p.locator('main table caption').allInnerTexts();
      t.equal(captions.length, 3, `three tables (${captions.join(' | ')})`);
      const heads = await p.locator('main h2').allInnerTexts();
      t.equal(heads.join(' | '), 'Par hébergeur | Par type de contenu | Par suite donnée', 'the tables\' headings');
      for (const table of await p.locator('main table').all()) {
        t.ok(await table.locator('thead th[scope="col"]').count() >= 2, 'each table has column headers');
      }
      const csvLink = p.getByRole('link', { name: 'Télécharger en CSV' });
      t.equal(await csvLink.getAttribute('href'), `/analyse/statistiques.csv?annee=${year}`, 'the CSV link');
      const [csv] = await Promise.all([p.waitForEvent('download'), csvLink.click()]);
      t.equal(csv.suggestedFilename(), `notifications-${year}.csv`, 'the CSV file name');
      t.equal(await csv.failure(), null, 'the CSV download completed');
      const text = await readFile(await csv.path(), 'utf8');
      t.ok(text.startsWith('table,key,'), `the CSV starts with « table,key, » (${JSON.stringify(text.slice(0, 40))})`);
      await csv.saveAs(path.join(env.outDir, `notifications-${year}.csv`));
      const [xlsx] = await Promise.all([p.waitForEvent('download'), p.getByRole('link', { name: 'Télécharger pour Excel (XLSX)' }).click()]);
      t.equal(xlsx.suggestedFilename(), `notifications-${year}.xlsx`, 'the XLSX file name');
      const bytes = await readFile(await xlsx.path());
      t.equal(bytes.subarray(0, 2).toString('latin1'), 'PK', 'the XLSX is a zip file');
    },
  },
  {
    name: 'analysis: a professional signed in gets a French 403 page on /analyse, with the quick exit',
    async fn(t) {
      const p = await t.page(DESKTOP);
      await login(p, ACCOUNTS.pro);
      t.equal(pathOf(p), '/compte', 'the professional is signed in');
      t.equal(await p.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Signalements', exact: true }).count(), 0, 'no « Signalements » link in a professional\'s header');
      for (const where of ['/analyse', '/analyse/1', '/analyse/statistiques']) {
        const resp = await p.goto(where);
        t.equal(resp.status(), 403, `status of ${where} for a professional`);
        t.equal(await p.locator('html').getAttribute('lang'), 'fr', `${where}: the page is in French (lang="fr")`);
        t.equal(await p.locator('main h1').innerText(), 'Désolé', `${where}: the title`);
        t.match(await p.locator('main').innerText(), /Votre compte ne donne pas accès à cette page\./, `${where}: the message in French`);
        t.ok(await p.locator('#sortie-rapide').isVisible(), `${where}: the quick exit is shown`);
        t.equal(await p.locator('main table').count(), 0, `${where}: no report is shown`);
      }
    },
  },
  {
    name: 'analysis screenshot: a report\'s file at desktop size (1280x900), full page',
    async fn(t, env) {
      const p = await analystPage(t);
      const ids = await ensureReports(t, p);
      await openFile(t, p, ids.www);
      const w = await p.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
      t.ok(w.scroll <= w.client, `no horizontal scrolling (${w.scroll} > ${w.client})`);
      const out = path.join(env.outDir, 'browser-analyse.png');
      await p.screenshot({ path: out, fullPage: true });
      t.ok((await stat(out)).size > 5000, `screenshot ${out} written`);
      t.note(`screenshot: ${path.relative(process.cwd(), out)}`);
    },
  },
  axe('/analyse', async (t, p) => {
    await ensureReports(t, p);
    const resp = await p.goto('/analyse');
    t.equal(resp.status(), 200, 'status of /analyse');
  }),
  axe('/analyse with a filter applied', async (t, p) => {
    await ensureReports(t, p);
    const resp = await p.goto('/analyse?category=pedocriminalite&status=nouveau&platform=');
    t.equal(resp.status(), 200, 'status of the filtered queue');
    t.equal(await p.getByLabel('Catégorie', { exact: true }).inputValue(), 'pedocriminalite', 'the filter is applied');
    t.ok(await p.locator('main table tbody tr').count() >= 1, 'at least one report listed');
  }),
  axe('a report\'s file with a history and a hosting check', async (t, p) => {
    const ids = await ensureReports(t, p);
    await openFile(t, p, ids.private);
    await change(t, p, ids.private, 'Qualification juridique', 'hors-champ', 'Qualifier', 'Adresse de test');
    if (await p.locator('section[aria-labelledby="titre-hebergement"] ul li').count() === 0) {
      await press(p, /^Vérifier l'hébergement/);
    }
    t.ok((await historyItems(p)).length >= 2, 'the file has a history');
  }),
  axe('/analyse/statistiques', async (t, p) => {
    const resp = await p.goto('/analyse/statistiques');
    t.equal(resp.status(), 200, 'status of /analyse/statistiques');
  }),
];

function axe(name, prepare) {
  return {
    name: `accessibility (axe): analysis, ${name}`,
    async fn(t) {
      const p = await analystPage(t);
      await prepare(t, p);
      await audit(t, p, name);
    },
  };
}
