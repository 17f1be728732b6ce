#!/usr/bin/env node
// Vigie's browser tests: a real server on loopback, Debian's Chromium driven
// by playwright-core, results as TAP.  From the project root:
//
//   node tests/browser/run.mjs --binary build/vigie [--only REGEX] [--verbose]
//                              [--chromium PATH] [--share DIR] [--out DIR]
//
// Exits non-zero if any test failed.  Screenshots go to tests/out/.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { launch, journal } from './lib/browser.mjs';
import { VigieServer } from './lib/server.mjs';
import { runTests } from './lib/tap.mjs';
import { USERS } from './lib/helpers.mjs';

import harness from './tests/harness.mjs';
import home from './tests/home.mjs';
import quickExit from './tests/quick-exit.mjs';
import noScript from './tests/no-javascript.mjs';
import accounts from './tests/accounts.mjs';
import a11y from './tests/accessibility.mjs';
import orientation from './tests/orientation.mjs';
import resources from './tests/resources.mjs';
import reports from './tests/reports.mjs';
import analysis, { ACCOUNTS as ANALYSIS_ACCOUNTS } from './tests/analysis.mjs';
import directory from './tests/directory.mjs';
import trainings from './tests/trainings.mjs';
import surveys from './tests/surveys.mjs';
import barometer from './tests/barometer.mjs';
import scan from './tests/scan.mjs';
import watch from './tests/watch.mjs';
import newsletter from './tests/newsletter.mjs';
import annual from './tests/annual.mjs';
import workgroup from './tests/workgroup.mjs';
import vault from './tests/vault.mjs';
import security from './tests/security.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));

const { values: opts } = parseArgs({
  options: {
    binary: { type: 'string', default: 'build/vigie' },
    chromium: { type: 'string', default: '/usr/bin/chromium' },
    out: { type: 'string', default: path.join(here, '..', 'out') },
    share: { type: 'string' },
    only: { type: 'string' },
    verbose: { type: 'boolean', default: false },
  },
});

const started = Date.now();
const server = new VigieServer(opts.binary);
let browser = null;
let result = null;
let fatal = null;

async function stopAll() {
  if (browser) await browser.close().catch(() => {});
  browser = null;
  const exit = await server.stop().catch(() => null);
  await server.cleanup().catch(() => {});
  return exit;
}

for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, async () => {
    await stopAll();
    process.exit(130);
  });
}

try {
  await mkdir(opts.out, { recursive: true });
  // --share DIR: templates, static files and contents from DIR instead of
  // the tree the binary was built from (to check a change before making it).
  // The scanner reads Echap's indicators from the shared data (never
  // copied into the project).
  const iocs = process.env.VIGIE_TEST_IOCS || path.resolve(here, '..', '..', '..', 'shared', 'data', 'stalkerware-indicators');
  await server.init({ access_log: 'no', iocs, ...(opts.share ? { share: path.resolve(opts.share) } : {}) });
  for (const u of [...Object.values(USERS), ...Object.values(ANALYSIS_ACCOUNTS)]) {
    await server.addUser(u.email, u.role, u.password, u.name);
  }
  const url = await server.start();
  const origin = new URL(url).origin;
  console.log(`# server ${url} (data ${server.data})`);
  browser = await launch(opts.chromium);
  console.log(`# chromium ${browser.version()}`);
  const env = { browser, origin, server, outDir: opts.out, verbose: opts.verbose };
  const tests = [...harness, ...home, ...quickExit, ...noScript, ...accounts,
    ...a11y, ...orientation, ...resources, ...reports, ...analysis,
    ...directory, ...trainings, ...surveys, ...barometer, ...scan,
    ...watch, ...newsletter, ...annual, ...workgroup, ...vault, ...security];
  result = await runTests(tests, env, {
    only: opts.only ? new RegExp(opts.only, 'i') : null,
  });
} catch (e) {
  fatal = e;
}

const exit = await stopAll();
if (fatal) {
  console.log('Bail out! the browser tests could not run');
  for (const line of String(fatal.stack || fatal).split('\n')) console.log(`# ${line}`);
  if (server.log) for (const line of server.log.trim().split('\n').slice(-20)) console.log(`# server: ${line}`);
  process.exit(2);
}
if (exit && (exit.code !== 0 || exit.signal || !exit.asked)) {
  console.log(`# note: vigie serve ended with ${server.describeExit()}`);
}
const seconds = ((Date.now() - started) / 1000).toFixed(1);
console.log(`# ${journal.visited.size} distinct pages, ${journal.requests} requests to the server, ${journal.neutral.length} visits to the neutral site, ${seconds} s`);
if (result.failed > 0) {
  console.log(`# failed: ${result.failures.join('; ')}`);
  if (server.log) {
    const errs = server.log.split('\n').filter((l) => / (error|warn|crit)/.test(l)).slice(-10);
    for (const line of errs) console.log(`# server: ${line}`);
  }
}
console.log(`browser: ${result.passed} passed, ${result.failed} failed`);
process.exit(result.failed > 0 || result.n === 0 ? 1 : 0);
