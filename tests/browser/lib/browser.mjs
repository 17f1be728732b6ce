// Chromium for the browser tests: Debian's build, never a downloaded one,
// with a guard on every context: only the Vigie server under test is
// reached; the quick exit's neutral site is answered locally; any other
// request is blocked and recorded, and fails the test that made it.
import { chromium } from 'playwright-core';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

// The project's rule: these exact flags.
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu',
  '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run'];

export const NEUTRAL_URL = 'https://meteofrance.com/';
export const NEUTRAL_BODY = '<title>Météo</title><p>neutre</p>';

export async function launch(executablePath = '/usr/bin/chromium') {
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS });
}

let axeSource = null;
async function axe() {
  if (axeSource === null) {
    const require = createRequire(import.meta.url);
    axeSource = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
  }
  return axeSource;
}

export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa',
  'best-practice'];

// Runs axe-core in the page.  The source is evaluated through the DevTools
// protocol rather than added as an inline <script>: the site's CSP
// (script-src 'self') rightly refuses inline scripts, and the harness must
// not cause the very CSP errors it looks for.
export async function runAxe(page) {
  const src = await axe();
  await page.evaluate(src);
  return page.evaluate((tags) => window.axe.run(document, {
    runOnly: { type: 'tag', values: tags },
    resultTypes: ['violations'],
  }).then((r) => r.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    helpUrl: v.helpUrl,
    nodes: v.nodes.length,
    target: v.nodes[0] ? v.nodes[0].target.join(' ') : '',
    targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
    html: v.nodes[0] ? v.nodes[0].html.replace(/\s+/g, ' ').slice(0, 200) : '',
    summary: v.nodes[0] ? (v.nodes[0].failureSummary || '').split('\n').slice(0, 3).join(' ') : '',
  }))), AXE_TAGS);
}

// What every guarded context reports, for the whole run.
export const journal = {
  requests: 0,          // requests that reached the server under test
  neutral: [],          // navigations to the neutral site, answered locally
  offHost: [],          // anything else: blocked
  consoleErrors: [],    // console messages of type error
  pageErrors: [],       // uncaught exceptions
  visited: new Set(),   // documents loaded from the server
};

// A context whose every request goes through the guard.  `sink` gets the
// blocked requests of this context (the running test's list); with `track`
// false, nothing goes to the run's journal (the guard's own self-test).
export async function guardedContext(browser, origin,
  { options = {}, sink = [], track = true } = {}) {
  const log = track ? journal : {
    requests: 0, neutral: [], offHost: [], consoleErrors: [], pageErrors: [],
    visited: new Set(),
  };
  const ctx = await browser.newContext({
    baseURL: origin,
    locale: 'fr-FR',
    viewport: { width: 1280, height: 800 },
    serviceWorkers: 'block',
    ...options,
  });
  ctx.setDefaultTimeout(5000);
  ctx.setDefaultNavigationTimeout(10000);
  ctx.neutralHits = [];
  await ctx.route(() => true, async (route) => {
    const req = route.request();
    let url;
    try {
      url = new URL(req.url());
    } catch {
      url = null;
    }
    if (url && url.origin === origin) {
      log.requests++;
      return route.continue();
    }
    if (url && url.href.startsWith(NEUTRAL_URL) && req.isNavigationRequest()) {
      const hit = { url: req.url(), headers: await req.allHeaders() };
      log.neutral.push(hit);
      ctx.neutralHits.push(hit);
      return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: NEUTRAL_BODY });
    }
    let from = '';
    try {
      from = req.frame().url();
    } catch {
      from = '(no frame)';
    }
    const what = `${req.method()} ${req.url()} (${req.resourceType()}) from ${from}`;
    log.offHost.push(what);
    sink.push(what);
    return route.abort('blockedbyclient');
  });
  ctx.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const page = msg.page();
    log.consoleErrors.push({
      page: page ? page.url() : '',
      text: msg.text(),
      source: msg.location() ? msg.location().url : '',
    });
  });
  ctx.on('weberror', (err) => {
    const page = err.page();
    log.pageErrors.push({ page: page ? page.url() : '', text: String(err.error()) });
  });
  ctx.on('response', (resp) => {
    const req = resp.request();
    if (req.isNavigationRequest() && resp.url().startsWith(origin)) {
      const u = new URL(resp.url());
      log.visited.add(u.pathname);
    }
  });
  return ctx;
}
