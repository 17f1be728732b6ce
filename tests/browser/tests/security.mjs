// What the browser sees of the security rules: session cookies out of
// reach of scripts, a CSP on every page, and no CSP error or script error
// on any page visited during the whole run (so this file runs last).
import { journal } from '../lib/browser.mjs';
import { login, pathOf, USERS } from '../lib/helpers.mjs';

export default [
  {
    name: 'security: vigie_session and vigie_csrf are HttpOnly and SameSite=Strict; scripts cannot read them',
    async fn(t, env) {
      const page = await t.page();
      const resp = await page.goto('/');
      const csp = (await resp.allHeaders())['content-security-policy'] || '';
      t.match(csp, /script-src 'self'/, 'the page has a CSP allowing only its own scripts');
      t.match(csp, /default-src 'none'/, 'the CSP denies by default');
      await login(page, USERS.cookies);
      t.equal(pathOf(page), '/compte', 'signed in');
      const cookies = await page.context().cookies(env.origin);
      for (const name of ['vigie_session', 'vigie_csrf']) {
        const c = cookies.find((x) => x.name === name);
        t.ok(c, `cookie ${name} is set (cookies: ${cookies.map((x) => x.name).join(', ')})`);
        t.equal(c.httpOnly, true, `${name} HttpOnly`);
        t.equal(c.sameSite, 'Strict', `${name} SameSite`);
        t.equal(c.path, '/', `${name} path`);
      }
      const seen = await page.evaluate(() => document.cookie);
      t.ok(!/vigie_session|vigie_csrf/.test(seen), `document.cookie must not show the cookies (got "${seen}")`);
      t.equal(seen, '', 'document.cookie is empty');
    },
  },
  {
    name: 'security: no CSP violation, console error or uncaught script error on any page visited in this run',
    async fn(t) {
      t.ok(journal.visited.size >= 8, `pages were visited (${[...journal.visited].join(' ')})`);
      const csp = journal.consoleErrors.filter((m) => /Content Security Policy|Refused to/i.test(m.text));
      // Chromium logs « Failed to load resource: … status of 4xx » for a
      // document whose own HTTP status is an error: the 404 page, a failed
      // login (401), a refused form (400)…  That is the server's status, not
      // an error in the page; anything else — above all a subresource that
      // failed — counts.
      const statusOfDocument = (m) => m.source === m.page
        && /^Failed to load resource: the server responded with a status of 4\d\d /.test(m.text);
      const documents = journal.consoleErrors.filter(statusOfDocument);
      const other = journal.consoleErrors.filter((m) => !csp.includes(m) && !statusOfDocument(m));
      const statuses = documents.map((m) => /status of (\d+)/.exec(m.text)[1]);
      t.note(`  documents with an error status, as expected: ${statuses.length} (${[...new Set(statuses)].sort().join(', ')})`);
      for (const m of csp) t.note(`  CSP: ${m.page}: ${m.text}`);
      for (const m of other) t.note(`  console: ${m.page}: ${m.text} (${m.source})`);
      for (const e of journal.pageErrors) t.note(`  pageerror: ${e.page}: ${e.text}`);
      t.equal(csp.length, 0, 'console errors about CSP');
      t.equal(journal.pageErrors.length, 0, 'uncaught script errors');
      t.equal(other.length, 0, 'other console errors');
    },
  },
];
