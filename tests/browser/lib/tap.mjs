// A small TAP producer: tests run one after the other, each with its own
// browser contexts (closed after it) and a time limit.  A test fails on a
// failed assertion, an exception, its time limit, or a request to a host
// other than the server under test.
import { guardedContext } from './browser.mjs';

export class AssertionError extends Error {}

function show(v) {
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}

class T {
  constructor(env) {
    this.env = env;
    this.contexts = [];
    this.offHost = [];
    this.notes = [];
    this.checks = 0;
  }

  async context(options = {}) {
    const ctx = await guardedContext(this.env.browser, this.env.origin,
      { options, sink: this.offHost });
    this.contexts.push(ctx);
    return ctx;
  }

  async page(options = {}) {
    const ctx = await this.context(options);
    return ctx.newPage();
  }

  // A page kept for the whole run under `key` (a new context costs a new
  // renderer, about a second here): for tests that only look at pages, like
  // the accessibility audits.  Blocked requests still fail the running test.
  async sharedPage(key, options = {}) {
    const shared = this.env.shared;
    if (!shared.has(key)) {
      const sink = { push: (what) => this.env.current?.offHost.push(what) };
      const ctx = await guardedContext(this.env.browser, this.env.origin, { options, sink });
      shared.set(key, await ctx.newPage());
    }
    return shared.get(key);
  }

  note(msg) {
    for (const line of String(msg).split('\n')) this.notes.push(line);
  }

  ok(cond, msg) {
    this.checks++;
    if (!cond) throw new AssertionError(msg);
  }

  equal(actual, expected, msg) {
    this.checks++;
    if (actual !== expected) {
      throw new AssertionError(`${msg}: got ${show(actual)}, expected ${show(expected)}`);
    }
  }

  match(actual, re, msg) {
    this.checks++;
    if (typeof actual !== 'string' || !re.test(actual)) {
      throw new AssertionError(`${msg}: ${show(actual)} does not match ${re}`);
    }
  }

  async close() {
    for (const ctx of this.contexts) {
      await ctx.close().catch(() => {});
    }
    this.contexts = [];
  }
}

function withTimeout(promise, ms, what) {
  let timer;
  const limit = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: still running after ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

export async function runTests(tests, env, { only = null, timeoutMs = 30000 } = {}) {
  let n = 0;
  let passed = 0;
  let failed = 0;
  const failures = [];
  console.log('TAP version 13');
  env.shared = new Map();
  for (const test of tests) {
    if (only && !only.test(test.name)) continue;
    n++;
    const t = new T(env);
    env.current = t;
    const started = Date.now();
    let error = null;
    if (env.server && !env.server.running) {
      failed++;
      failures.push(test.name);
      console.log(`not ok ${n} - ${test.name}`);
      console.log(`#   the server under test is gone (${env.server.describeExit()})`);
      continue;
    }
    try {
      await withTimeout(test.fn(t, env), test.timeoutMs ?? timeoutMs, test.name);
    } catch (e) {
      error = e;
    }
    await t.close();
    env.current = null;
    if (!error && t.offHost.length > 0) {
      error = new AssertionError('a page tried to reach a host other than the server under test (127.0.0.1); blocked:\n'
        + t.offHost.map((r) => `  ${r}`).join('\n'));
    }
    if (!error && t.checks === 0) {
      error = new AssertionError('the test checked nothing');
    }
    const ms = Date.now() - started;
    if (error && env.server && !env.server.running) {
      const why = `the server under test ended during this test (${env.server.describeExit()}); its last lines:\n`
        + env.server.logTail().map((l) => `  ${l}`).join('\n');
      error = new AssertionError(`${why}\n${error instanceof AssertionError ? error.message : error}`);
    }
    if (error) {
      failed++;
      failures.push(test.name);
      console.log(`not ok ${n} - ${test.name}`);
      const text = error instanceof AssertionError ? error.message : (error.stack || String(error));
      for (const line of text.split('\n')) console.log(`#   ${line}`);
    } else {
      passed++;
      console.log(`ok ${n} - ${test.name}`);
    }
    for (const line of t.notes) console.log(`# ${line}`);
    if (env.verbose) console.log(`#   (${t.checks} checks, ${ms} ms)`);
  }
  for (const page of env.shared.values()) await page.context().close().catch(() => {});
  console.log(`1..${n}`);
  return { n, passed, failed, failures };
}
