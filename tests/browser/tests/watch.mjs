// The observatory's watch (/admin/veille): an editor without JavaScript
// adds a source, sees "Relever maintenant" refuse a loopback address (the
// test server does not allow them), gets the items through the command
// line (allowed there by its own configuration), then reads, tags,
// annotates and selects an item; axe-core on every watch page.
import { readFile, writeFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { login, pathOf, USERS } from '../lib/helpers.mjs';
import { audit } from './orientation.mjs';

const TITLE = 'Cyberharcèlement : une étude sur les lycéennes';

function feed() {
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Veille navigateur</title>
<link>http://navigateur.test/</link><description>Test</description>
<item><title>${TITLE}</title><link>http://navigateur.test/etude</link>
<guid>nav-1</guid><description>Les chiffres d'une enquête régionale.</description></item>
<item><title>Online abuse: a new report</title><link>http://navigateur.test/report</link>
<guid>nav-2</guid><description>Survivors speak.</description></item>
</channel></rss>`;
}

function startFeed() {
  return new Promise((resolve) => {
    const srv = http.createServer((req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/rss+xml' });
      res.end(feed());
    });
    srv.listen(0, '127.0.0.1', () => resolve(srv));
  });
}

async function press(page, scope, name) {
  await Promise.all([page.waitForNavigation(), scope.getByRole('button', { name }).click()]);
}

export default [
  {
    name: 'watch: an editor without JavaScript adds a source, reads, tags, annotates and selects an item; axe on the watch pages',
    async fn(t, env) {
      const feedSrv = await startFeed();
      try {
        const url = `http://127.0.0.1:${feedSrv.address().port}/veille.xml`;
        const page = await t.page({ javaScriptEnabled: false });
        await login(page, USERS.editor);
        let resp = await page.goto('/admin/veille/sources');
        t.equal(resp.status(), 200, 'the sources page opens for an editor');
        await page.fill('#url', url);
        await page.fill('#name', 'Veille du navigateur');
        await page.check('input[name="lang"][value="fr"]');
        await page.check('input[name="themes"][value="harcelement"]');
        await press(page, page.locator('form[action="/admin/veille/sources"]'), 'Ajouter la source');
        t.equal(pathOf(page), '/admin/veille/sources', 'back to the list after adding');
        const row = page.locator('table.watch-sources tr', { hasText: 'Veille du navigateur' });
        t.equal(await row.count(), 1, 'the new source is listed');
        t.match(await row.innerText(), /jamais relevée/, 'never read yet');

        await press(page, row, /Relever maintenant/);
        t.match(await page.locator('.watch-report').innerText(), /réseau privé ou local/,
          'Relever maintenant says a loopback address is refused');

        // The command line, with a configuration that allows loopback.
        const conf = path.join(env.server.data, 'veille-test.conf');
        const base = await readFile(path.join(env.server.data, 'vigie.conf'), 'utf8');
        await writeFile(conf, `${base}url_check_private = true\n`);
        const out = await env.server.cli('watch', 'fetch', '--config', conf);
        t.match(out, /Veille du navigateur : 2 nouveaux/, 'the command line fetched the two items');

        resp = await page.goto('/admin/veille');
        t.equal(resp.status(), 200, 'the items page opens');
        const item = page.locator('li.watch-item', { hasText: TITLE });
        t.equal(await item.count(), 1, 'the item is listed');
        t.match(await item.innerText(), /nouveau/, 'marked new');
        t.match(await item.innerText(), /Harcèlement/, "with its source's theme");
        t.equal(await item.locator('h2 a').getAttribute('rel'), 'noopener noreferrer', 'the external link leaks nothing');

        await press(page, item, /Marquer comme lu/);
        t.match(page.url(), /\/admin\/veille#element-\d+$/, 'back at the item');
        t.ok(!/nouveau/.test(await item.locator('.watch-meta').innerText()), 'no longer new');

        await item.locator('summary').click();
        await item.locator('input[name="themes"][value="mineurs"]').check();
        await item.locator('textarea[name="note"]').fill('À reprendre dans la lettre de décembre.');
        await press(page, item.locator('form[action$="/annotation"]'), 'Enregistrer');
        t.match(await item.locator('.watch-themes').innerText(), /Mineurs/, 'the new tag is shown');
        t.match(await item.locator('.watch-note').innerText(), /lettre de décembre/, 'the note is shown');

        await press(page, item, /Sélectionner pour la prochaine lettre/);
        t.match(await item.locator('.watch-meta').innerText(), /sélectionné pour la lettre/, 'selected for the newsletter');
        resp = await page.goto('/admin/veille?etat=selectionnes');
        t.equal(await page.locator('li.watch-item').count(), 1, 'the selection holds it');

        await page.goto('/admin/veille?q=lyc%C3%A9enne');
        t.equal(await page.locator('li.watch-item', { hasText: TITLE }).count(), 1, 'the French search finds it');
      } finally {
        feedSrv.close();
      }
    },
  },
  {
    name: 'watch: axe-core on the items, the sources, a source being edited, its deletion and a refused form',
    async fn(t) {
      {
        const a11y = await t.page();
        await login(a11y, USERS.a11y);
        await a11y.goto('/admin/veille');
        await audit(t, a11y, 'the watch items');
        await a11y.locator('li.watch-item details').first().evaluate((d) => { d.open = true; });
        await audit(t, a11y, 'the watch items with a tagging form open');
        await a11y.goto('/admin/veille/sources');
        await audit(t, a11y, 'the watch sources');
        const edit = await a11y.locator('table.watch-sources a', { hasText: 'Veille du navigateur' }).first().getAttribute('href');
        await a11y.goto(edit);
        await audit(t, a11y, 'a source being edited');
        await a11y.goto(`${edit}/supprimer`);
        await audit(t, a11y, 'the deletion confirmation');
        await a11y.goto('/admin/veille/sources');
        await a11y.fill('#url', 'ftp://exemple.fr/flux');
        await a11y.fill('#name', 'Refusée');
        await Promise.all([a11y.waitForNavigation(), a11y.getByRole('button', { name: 'Ajouter la source' }).click()]);
        t.match(await a11y.locator('.error-summary').innerText(), /http:\/\/ et https:\/\//, 'a refused source says why');
        await audit(t, a11y, 'the sources page with an error');
      }
    },
  },
];
