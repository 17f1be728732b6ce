// The resource centre: the search is a POST form (what a person looks for
// stays out of the address and the history), results are highlighted,
// professional-only sheets are shown to professionals only, and editors
// preview, save, publish and withdraw a sheet.  axe-core on every page.
import path from 'node:path';
import { stat } from 'node:fs/promises';

import { login, pathOf, USERS } from '../lib/helpers.mjs';
import { audit } from './orientation.mjs';

const HARASSMENT = 'Harcèlement en ligne';
const PRO_ONLY = 'Accompagner un·e jeune victime de cyberviolences';

// The smallest PDF a reader opens: one empty page.
const MINI_PDF = '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n'
  + '2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n'
  + '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n'
  + 'trailer<</Root 1 0 R>>\n%%EOF\n';

function atRessources(t, page, what) {
  t.equal(page.url(), `${t.env.origin}/ressources`, `${what}: the address`);
}

async function search(page, q, { theme = null, kind = null } = {}) {
  await page.fill('#q', q);
  if (theme !== null) await page.selectOption('#theme', theme);
  if (kind !== null) await page.selectOption('#kind', kind);
  const [resp] = await Promise.all([
    page.waitForNavigation(),
    page.locator('form.search').getByRole('button', { name: 'Chercher' }).click(),
  ]);
  return resp;
}

async function resultTitles(page) {
  return (await page.locator('ul.results li.result h3 a').allInnerTexts()).map((s) => s.trim());
}

// The public address of a sheet, from the list of someone who sees it.
async function sheetHref(page, title) {
  return page.locator('ul.results li.result h3 a', { hasText: title }).getAttribute('href');
}

async function signedIn(page, user) {
  if (await page.getByRole('button', { name: 'Se déconnecter' }).count() === 0) await login(page, user);
}

// `after` checks what the page should also show, once audited (so a
// missing feature does not hide the audit's result).
function resourcesAxe(name, prepare, shared = 'anon', after = null) {
  return {
    name: `accessibility (axe): ${name}`,
    async fn(t) {
      const p = await t.sharedPage(shared);
      await p.setViewportSize({ width: 1280, height: 800 });
      if (shared === 'a11y-editor') {
        await p.goto('/compte');
        await signedIn(p, USERS.a11y);
      }
      await prepare(t, p);
      await audit(t, p, name);
      if (after) await after(t, p);
    },
  };
}

export default [
  {
    name: 'resources: anonymous search « harceler » is a POST (address stays /ressources), finds the harassment sheet with <mark>; screenshot',
    async fn(t, env) {
      const page = await t.page();
      const first = await page.goto('/ressources');
      t.equal(first.status(), 200, 'status of /ressources');
      t.equal(await page.title(), 'Ressources — Vigie', 'the title');
      const form = page.locator('form.search');
      t.equal(await form.getAttribute('method'), 'post', 'the search form is a POST form');
      t.equal(await form.getAttribute('action'), '/ressources', 'the search form posts to /ressources');
      t.ok((await resultTitles(page)).includes(HARASSMENT), 'the list has the harassment sheet');

      const resp = await search(page, 'harceler');
      t.equal(resp.status(), 200, 'status of the search');
      t.equal(resp.request().method(), 'POST', 'the search was sent by POST');
      t.match(resp.request().postData() || '', /(^|&)q=harceler(&|$)/, 'the words went in the body');
      atRessources(t, page, 'after the search');
      t.ok(!page.url().includes('harceler'), 'the words are not in the address');
      t.equal(await page.title(), 'Ressources — Vigie', 'the title does not show the words');
      t.match(await page.locator('#titre-resultats').innerText(), /^Résultats \(\d+\)$/, 'the results heading');
      t.equal(await page.inputValue('#q'), 'harceler', 'the search box keeps the words');
      const titles = await resultTitles(page);
      t.ok(titles.includes(HARASSMENT), `« harceler » finds « ${HARASSMENT} » (found: ${titles.join(' | ')})`);
      t.equal(titles[0], HARASSMENT, 'the harassment sheet comes first');
      const hit = page.locator('li.result', { has: page.locator(`h3 a:text-is("${HARASSMENT}")`) });

      const cdp = await page.context().newCDPSession(page);
      const { entries } = await cdp.send('Page.getNavigationHistory');
      await cdp.detach();
      for (const e of entries.filter((x) => x.url !== 'about:blank')) {
        t.equal(e.url, `${env.origin}/ressources`, 'history: the address only');
        t.ok(!/harcel/i.test(e.title), `history: the title does not show the words ("${e.title}")`);
      }

      const out = path.join(env.outDir, 'browser-ressources.png');
      await page.screenshot({ path: out, fullPage: true });
      t.ok((await stat(out)).size > 5000, `screenshot ${out} written`);
      t.note(`screenshot: ${path.relative(process.cwd(), out)}`);

      const [sheet] = await Promise.all([page.waitForNavigation(), hit.locator('h3 a').click()]);
      t.equal(sheet.status(), 200, 'the sheet opens');
      t.match(pathOf(page), /^\/ressources\/\d+$/, 'the sheet\'s address is a number');
      t.equal(await page.locator('main h1').innerText(), HARASSMENT, 'the sheet\'s h1');
      t.equal(await page.title(), 'Fiche pratique — Vigie', 'the sheet\'s title is discreet');
    },
  },
  {
    name: 'resources: search results show the matched words in <mark> (« harceler » → « harcèlement » in an excerpt of the sheet)',
    async fn(t) {
      const page = await t.sharedPage('anon');
      await page.goto('/ressources');
      await search(page, 'harceler');
      const hit = page.locator('li.result', { has: page.locator(`h3 a:text-is("${HARASSMENT}")`) });
      t.equal(await hit.count(), 1, 'the harassment sheet is found');
      const marks = page.locator('ul.results mark');
      t.ok(await marks.count() > 0, 'the results have <mark> highlights');
      t.ok(await marks.first().isVisible(), 'the first highlight is visible');
      t.equal(await hit.locator('p.excerpt').count(), 1, 'the harassment sheet shows an excerpt of its text');
      const words = await hit.locator('mark').allInnerTexts();
      t.ok(words.length > 0, 'the harassment sheet\'s excerpt has a highlight');
      t.ok(words.every((w) => /^harc[eè]l/i.test(w)), `the highlights are forms of « harceler » (${words.join(', ')})`);
      t.note(`  highlighted in « ${HARASSMENT} »: ${[...new Set(words)].join(', ')}`);
      // The highlight is readable: the text inside keeps the page's ink.
      const colours = await marks.first().evaluate((m) => [getComputedStyle(m).color, getComputedStyle(m).backgroundColor]);
      t.ok(colours[1] !== 'rgba(0, 0, 0, 0)', `the highlight has a background (${colours.join(' on ')})`);
    },
  },
  {
    name: 'resources: a professional-only sheet is hidden from an anonymous visitor (list, search, address) and shown to a signed-in professional',
    async fn(t) {
      const pro = await t.page();
      await login(pro, USERS.pro);
      t.equal(pathOf(pro), '/compte', 'the professional is signed in');
      await pro.goto('/ressources');
      const proTitles = await resultTitles(pro);
      t.ok(proTitles.includes(PRO_ONLY), `the professional sees « ${PRO_ONLY} »`);
      const item = pro.locator('li.result', { has: pro.locator(`h3 a:text-is("${PRO_ONLY}")`) });
      t.match(await item.locator('.meta').innerText(), /réservé aux professionnel·les/, 'it is marked « réservé aux professionnel·les »');
      const href = await sheetHref(pro, PRO_ONLY);
      t.match(href, /^\/ressources\/\d+$/, 'its address');
      t.ok(await pro.locator('#audience').isVisible(), 'the professional has the « Public » filter');
      await search(pro, 'accompagner jeune');
      t.ok((await resultTitles(pro)).includes(PRO_ONLY), 'the professional finds it by searching');
      const open = await pro.goto(href);
      t.equal(open.status(), 200, 'the professional opens it');
      t.equal(await pro.locator('main h1').innerText(), PRO_ONLY, 'its h1');

      const anon = await t.page();
      await anon.goto('/ressources');
      const anonTitles = await resultTitles(anon);
      t.ok(anonTitles.includes(HARASSMENT), 'the anonymous list has public sheets');
      t.ok(!anonTitles.includes(PRO_ONLY), `the anonymous list does not have « ${PRO_ONLY} »`);
      t.ok(anonTitles.length < proTitles.length, `fewer sheets for an anonymous visitor (${anonTitles.length} < ${proTitles.length})`);
      t.equal(await anon.locator('li.result .meta', { hasText: 'réservé aux professionnel·les' }).count(), 0, 'no professional-only sheet in the anonymous list');
      t.equal(await anon.locator('#audience').count(), 0, 'no « Public » filter for an anonymous visitor');
      await search(anon, 'accompagner jeune');
      atRessources(t, anon, 'anonymous search');
      t.ok(!(await resultTitles(anon)).includes(PRO_ONLY), 'an anonymous search does not find it');
      const hidden = await anon.goto(href);
      t.equal(hidden.status(), 404, `an anonymous visitor gets 404 at ${href}`);
      t.ok(!(await anon.locator('main').innerText()).includes(PRO_ONLY), 'the 404 page does not tell its title');
    },
  },
  {
    name: 'resources (editor): new sheet with « Aperçu », « Enregistrer » (unpublished), « Publier » then « Retirer »',
    async fn(t) {
      const ed = await t.page();
      await login(ed, USERS.editor);
      await ed.goto('/admin/ressources');
      t.equal(await ed.locator('h1').innerText(), 'Gérer les ressources', '/admin/ressources');
      await Promise.all([ed.waitForNavigation(), ed.getByRole('link', { name: 'Nouvelle ressource' }).click()]);
      t.equal(pathOf(ed), '/admin/ressources/nouvelle', 'the new sheet form');
      const title = 'Essai navigateur : bloquer un compte';
      await ed.fill('#slug', 'essai-navigateur-bloquer');
      await ed.fill('#title', title);
      await ed.fill('#summary', 'Une fiche créée par les tests du navigateur.');
      await ed.locator('label.inline-choice', { hasText: 'Preuves' }).locator('input').check();
      await ed.fill('#body', '## Bloquer\n\nUn texte avec du **gras** et une liste :\n\n- un\n- deux\n');
      let [resp] = await Promise.all([ed.waitForNavigation(), ed.getByRole('button', { name: 'Aperçu' }).click()]);
      t.equal(resp.status(), 200, 'preview: status');
      const preview = ed.locator('section.preview');
      t.ok(await preview.isVisible(), 'the preview is shown');
      t.equal(await preview.locator('#titre-apercu').innerText(), 'Aperçu (non enregistré)', 'the preview says it is not saved');
      t.equal(await preview.locator('strong').innerText(), 'gras', 'the Markdown is rendered');
      t.equal(await preview.locator('li').count(), 2, 'the list is rendered');
      t.equal(await ed.inputValue('#title'), title, 'the form keeps the title');
      t.ok(await ed.locator('label.inline-choice', { hasText: 'Preuves' }).locator('input').isChecked(), 'the form keeps the theme');

      [resp] = await Promise.all([ed.waitForNavigation(), ed.getByRole('button', { name: 'Enregistrer' }).click()]);
      t.match(pathOf(ed), /^\/admin\/ressources\/\d+$/, 'saved: on the sheet\'s edit page');
      const id = pathOf(ed).split('/').pop();
      t.equal(await ed.locator('h1').innerText(), 'Modifier une ressource', 'the edit page');

      const anon = await t.page();
      t.equal((await anon.goto(`/ressources/${id}`)).status(), 404, 'unpublished: 404 for a visitor');

      await ed.goto('/admin/ressources');
      const row = ed.locator('tr', { hasText: title });
      t.match(await row.innerText(), /non publiée/, 'listed as « non publiée »');
      await Promise.all([ed.waitForNavigation(), row.getByRole('button', { name: `Publier ${title}` }).click()]);
      t.equal(pathOf(ed), '/admin/ressources', 'back on the list after « Publier »');
      t.match(await ed.locator('tr', { hasText: title }).locator('td').nth(3).innerText(), /^publiée$/, 'listed as « publiée »');
      t.equal((await anon.goto(`/ressources/${id}`)).status(), 200, 'published: a visitor opens it');
      t.equal(await anon.locator('main h1').innerText(), title, 'the published sheet\'s h1');
      await anon.goto('/ressources');
      t.ok((await resultTitles(anon)).includes(title), 'published: in the public list');

      await Promise.all([ed.waitForNavigation(),
        ed.locator('tr', { hasText: title }).getByRole('button', { name: `Retirer ${title}` }).click()]);
      t.match(await ed.locator('tr', { hasText: title }).innerText(), /non publiée/, 'withdrawn: « non publiée »');
      t.equal((await anon.goto(`/ressources/${id}`)).status(), 404, 'withdrawn: 404 for a visitor again');

      // The browser checks the identifier before sending (pattern).
      await ed.goto('/admin/ressources/nouvelle');
      await ed.fill('#slug', 'Pas Valide');
      t.ok(await ed.locator('#slug').evaluate((e) => e.validity.patternMismatch),
        `the browser flags « Pas Valide » against pattern="${await ed.getAttribute('#slug', 'pattern')}" (validity.patternMismatch)`);
      await ed.fill('#slug', 'essai-valide-2');
      t.ok(await ed.locator('#slug').evaluate((e) => e.validity.valid), 'and accepts « essai-valide-2 »');
    },
  },
  {
    name: 'resources (editor): a PDF attached to a sheet that also has a video link is offered as a document, never put in a <video> player',
    async fn(t) {
      const ed = await t.page();
      await login(ed, USERS.editor);
      await ed.goto('/admin/ressources/nouvelle');
      const title = 'Essai navigateur : guide en PDF';
      await ed.fill('#slug', 'essai-navigateur-pdf');
      await ed.fill('#title', title);
      await ed.fill('#summary', 'Un guide PDF joint, avec un lien vers une vidéo.');
      await ed.locator('label.inline-choice', { hasText: 'Preuves' }).locator('input').check();
      await ed.fill('#video', 'https://www.example.org/video-explicative');
      await ed.setInputFiles('#file', { name: 'guide.pdf', mimeType: 'application/pdf', buffer: Buffer.from(MINI_PDF, 'latin1') });
      await ed.fill('#body', 'Le guide est joint.');
      await Promise.all([ed.waitForNavigation(), ed.getByRole('button', { name: 'Enregistrer' }).click()]);
      t.match(pathOf(ed), /^\/admin\/ressources\/\d+$/, 'saved with its file');
      const id = pathOf(ed).split('/').pop();
      t.ok(await ed.getByText('Fichier actuel :').isVisible(), 'the edit page shows the current file');
      await ed.goto('/admin/ressources');
      await Promise.all([ed.waitForNavigation(),
        ed.locator('tr', { hasText: title }).getByRole('button', { name: `Publier ${title}` }).click()]);

      const anon = await t.page();
      t.equal((await anon.goto(`/ressources/${id}`)).status(), 200, 'the published sheet');
      t.ok(await anon.getByRole('link', { name: /Ouvrir le document \(PDF/ }).isVisible(), 'the PDF is offered as a document link');
      t.ok(await anon.getByRole('link', { name: 'Voir la vidéo (site extérieur)' }).isVisible(), 'the video link is there');
      const players = await anon.locator('article.resource video, article.resource audio').evaluateAll((els) => els.map((e) => e.outerHTML.slice(0, 120)));
      t.equal(players.length, 0, `no <video>/<audio> player for a PDF (found: ${players.join(' | ')})`);

      await Promise.all([ed.waitForNavigation(),
        ed.locator('tr', { hasText: title }).getByRole('button', { name: `Retirer ${title}` }).click()]);
    },
  },
  resourcesAxe('/ressources (the list)', async (t, p) => {
    const resp = await p.goto('/ressources');
    t.equal(resp.status(), 200, 'status of /ressources');
  }),
  resourcesAxe('/ressources after a search, with highlights', async (t, p) => {
    await p.goto('/ressources');
    await search(p, 'harceler');
    t.ok((await resultTitles(p)).length > 0, 'results are shown');
  }, 'anon', async (t, p) => {
    t.ok(await p.locator('ul.results mark').count() > 0, 'highlights were shown (the audit covered them)');
  }),
  resourcesAxe('/ressources as a professional (with the « Public » filter), after a search', async (t, p) => {
    await p.goto('/ressources');
    await search(p, 'jeune');
    t.ok((await resultTitles(p)).length > 0, 'results are shown');
  }, 'a11y-editor', async (t, p) => {
    t.ok(await p.locator('#audience').isVisible(), 'the « Public » filter was shown (the audit covered it)');
  }),
  resourcesAxe('/ressources, a search with no result', async (t, p) => {
    await p.goto('/ressources');
    await search(p, 'zzzxqv', { kind: 'modele' });
    t.equal((await resultTitles(p)).length, 0, 'no result');
  }),
  resourcesAxe('a sheet (/ressources/ID)', async (t, p) => {
    await p.goto('/ressources');
    const href = await sheetHref(p, HARASSMENT);
    const resp = await p.goto(href);
    t.equal(resp.status(), 200, `status of ${href}`);
  }, 'anon', async (t, p) => {
    const tags = await p.locator('article.resource .tag').allInnerTexts();
    t.ok(tags.includes('Harcèlement'), `the sheet shows its themes (« Thèmes : … », got ${tags.length} tag(s))`);
  }),
  resourcesAxe('/admin/ressources as editor', async (t, p) => {
    const resp = await p.goto('/admin/ressources');
    t.equal(resp.status(), 200, 'status of /admin/ressources');
    t.equal(pathOf(p), '/admin/ressources', 'on /admin/ressources');
  }, 'a11y-editor'),
  resourcesAxe('/admin/ressources/nouvelle as editor', async (t, p) => {
    const resp = await p.goto('/admin/ressources/nouvelle');
    t.equal(resp.status(), 200, 'status of /admin/ressources/nouvelle');
  }, 'a11y-editor'),
  resourcesAxe('/admin/ressources/nouvelle with an error (bad identifier)', async (t, p) => {
    await p.goto('/admin/ressources/nouvelle');
    await p.fill('#slug', 'Pas Valide');
    await p.fill('#title', 'Titre');
    await p.fill('#summary', 'Résumé.');
    await p.fill('#body', 'Texte.');
    // The browser's own check (pattern) would stop the form first.
    await p.locator('form.form').evaluate((f) => { f.noValidate = true; });
    await Promise.all([p.waitForNavigation(), p.getByRole('button', { name: 'Enregistrer' }).click()]);
    t.ok(await p.getByRole('alert').isVisible(), 'the error is shown');
    t.equal(await p.getAttribute('#slug', 'aria-invalid'), 'true', 'the identifier is flagged');
  }, 'a11y-editor'),
  resourcesAxe('the edit page with a preview shown', async (t, p) => {
    await p.goto('/admin/ressources');
    await Promise.all([p.waitForNavigation(), p.getByRole('link', { name: HARASSMENT, exact: true }).click()]);
    t.match(pathOf(p), /^\/admin\/ressources\/\d+$/, 'on the edit page');
    await Promise.all([p.waitForNavigation(), p.getByRole('button', { name: 'Aperçu' }).click()]);
    t.ok(await p.locator('section.preview').isVisible(), 'the preview is shown');
  }, 'a11y-editor'),
];
