// The newsletter without JavaScript: a visitor subscribes on /lettre and
// confirms through the link of the mail; an editor creates an issue, adds
// a text block, previews it and sends it (the box must be ticked).
// axe-core on /lettre, the confirmation page, /admin/lettre, the issue
// editor, the preview, the confirmation step, the issue with its
// deliveries, the archive and the issue in it.
//
// The shared server of the run sends no mail, so this test starts its own
// Vigie with a real SMTP server on loopback (Debian's aiosmtpd printing
// what it receives), and browses it in a context guarded like the others.
import { spawn } from 'node:child_process';
import { connect, createServer } from 'node:net';

import { guardedContext } from '../lib/browser.mjs';
import { login, pathOf } from '../lib/helpers.mjs';
import { VigieServer } from '../lib/server.mjs';
import { audit } from './orientation.mjs';

const EDITOR = { email: 'lettre.redaction@exemple.fr', role: 'editor', password: 'une lettre par saison', name: 'Rédaction' };

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

// aiosmtpd's Debugging handler prints each message on standard output.
async function startSmtp() {
  const port = await freePort();
  const proc = spawn('/usr/bin/python3', ['-m', 'aiosmtpd', '-n', '-l', `127.0.0.1:${port}`,
    '-c', 'aiosmtpd.handlers.Debugging'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const smtp = { port, proc, out: '' };
  proc.stdout.setEncoding('utf8');
  proc.stdout.on('data', (d) => { smtp.out += d; });
  for (let i = 0; i < 50; i++) {
    const up = await new Promise((resolve) => {
      const c = connect(port, '127.0.0.1');
      c.once('connect', () => { c.end(); resolve(true); });
      c.once('error', () => resolve(false));
    });
    if (up) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return smtp;
}

async function waitFor(fn, ms = 10000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function press(page, name) {
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name, exact: true }).click()]);
}

export default [
  {
    name: 'newsletter without JavaScript: subscribe and confirm through the mail; an editor composes, previews and sends an issue; axe on every page',
    async fn(t, env) {
      const smtp = await startSmtp();
      const server = new VigieServer(env.server.binary);
      const sink = [];
      let ctx = null;
      let jsCtx = null;
      try {
        await server.init({
          access_log: 'no',
          smtp_url: `smtp://127.0.0.1:${smtp.port}`,
          notifier_email: 'lettre@observatoire.test',
          notifier_name: 'Observatoire',
          public_url: 'https://vigie.example.org',
        });
        await server.addUser(EDITOR.email, EDITOR.role, EDITOR.password, EDITOR.name);
        const origin = new URL(await server.start()).origin;
        ctx = await guardedContext(env.browser, origin, { options: { javaScriptEnabled: false }, sink });
        const page = await ctx.newPage();
        // axe-core runs as a script: the audits use a second browser
        // (with JavaScript) on the same addresses.
        jsCtx = await guardedContext(env.browser, origin, { sink });
        const js = await jsCtx.newPage();
        const auditAt = async (where, what) => {
          const r = await js.goto(where);
          t.equal(r.status(), 200, `${what} opens for the audit`);
          await audit(t, js, what);
        };

        let resp = await page.goto('/lettre');
        t.equal(resp.status(), 200, '/lettre opens');
        t.match(await page.locator('main').innerText(), /Ce que nous gardons/, 'it says what is kept');
        await auditAt('/lettre', '/lettre');
        await page.fill('#email', 'lectrice@exemple.fr');
        await press(page, "M'abonner");
        t.equal(pathOf(page), '/lettre/abonnement', 'the form answers on its own page');
        t.match(await page.locator('main').innerText(), /Si l'adresse est valide, un message vient de vous être envoyé/, 'the neutral answer');

        const link = await waitFor(() => /https:\/\/vigie\.example\.org(\/lettre\/confirmation\/[A-Za-z0-9_-]+)/.exec(smtp.out));
        t.ok(link, 'the confirmation mail arrived with its link');
        resp = await page.goto(link[1]);
        t.equal(resp.status(), 200, 'the confirmation link opens a page');
        await auditAt(link[1], 'the confirmation page');
        await press(page, 'Confirmer mon abonnement');
        t.match(await page.locator('h1').innerText(), /Abonnement confirmé/, 'the subscription is confirmed');
        resp = await page.goto(link[1]);
        t.equal(resp.status(), 404, 'the link serves once');

        await login(page, EDITOR);
        await login(js, EDITOR);
        resp = await page.goto('/admin/lettre');
        t.equal(resp.status(), 200, 'an editor opens /admin/lettre');
        t.match(await page.locator('main').innerText(), /1 confirmé·es/, 'the confirmed subscriber is counted');
        await auditAt('/admin/lettre', '/admin/lettre');
        await page.fill('#title', 'Lettre de test');
        await page.fill('#period', 'Automne 2026');
        await press(page, 'Créer la lettre');
        t.match(pathOf(page), /^\/admin\/lettre\/\d+$/, 'the new issue opens in its editor');
        const issuePath = pathOf(page);
        await auditAt(issuePath, 'the issue editor (empty)');
        await page.check('input[name="kind"][value="text"]');
        await page.fill('#markdown', '## Édito\n\nBonjour à **toutes et tous**.');
        await press(page, 'Ajouter le bloc');
        t.match(await page.locator('main').innerText(), /Bloc 1 : Texte/, 'the text block is there');
        await auditAt(issuePath, 'the issue editor with a block');
        await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: /Aperçu/ }).click()]);
        t.match(pathOf(page), /^\/admin\/lettre\/\d+\/apercu$/, 'the preview opens');
        const text = await page.locator('main').innerText();
        t.match(text, /toutes et tous/, 'the preview shows the text');
        t.match(text, /Partie texte/, '…the text part');
        t.match(text, /Partie HTML/, '…and the HTML part');
        t.equal(await page.locator('main img').count(), 0, 'no image in the preview');
        await auditAt(pathOf(page), 'the preview');

        // Send it: the confirmation step, then the server's tick.
        await page.goto(`${issuePath}/envoyer`);
        await auditAt(`${issuePath}/envoyer`, 'the confirmation step');
        await press(page, 'Envoyer maintenant');
        t.match(await page.locator('main').innerText(), /Cochez la case/, 'without the box ticked, nothing is sent');
        await page.check('input[name="confirm"]');
        await press(page, 'Envoyer maintenant');
        t.equal(pathOf(page), issuePath, 'back to the issue once sending started');
        const sent = await waitFor(() => /Lettre de test/.test(smtp.out.split('MESSAGE FOLLOWS').slice(2).join('')), 20000);
        t.ok(sent, 'the issue reached the subscriber');
        let state = '';
        for (let i = 0; i < 40 && !/envoyée/.test(state); i++) {
          await page.goto(issuePath);
          state = await page.locator('main').innerText();
          if (!/envoyée/.test(state)) await new Promise((r) => setTimeout(r, 500));
        }
        t.match(state, /État : envoyée/, 'the issue is sent');
        t.match(state, /le…@exemple\.fr/, 'the delivery shows the address masked');
        await auditAt(issuePath, 'the issue with its deliveries');
        await auditAt('/lettre/archives', 'the archive');
        await auditAt('/lettre/1', 'an issue in the archive');
        t.equal(sink.length, 0, `no request left the server (${sink.join(', ')})`);
      } finally {
        if (ctx) await ctx.close().catch(() => {});
        if (jsCtx) await jsCtx.close().catch(() => {});
        await server.stop().catch(() => {});
        await server.cleanup().catch(() => {});
        smtp.proc.kill('SIGTERM');
      }
    },
    timeoutMs: 120000,
  },
];
