// The harness checks itself: the request guard must block and record a
// request to another host, or the "no third-party request" rule would be
// checked by nothing.
import { guardedContext } from '../lib/browser.mjs';

export default [
  {
    name: 'harness: a request to another host is blocked and recorded',
    async fn(t, env) {
      const sink = [];
      const ctx = await guardedContext(env.browser, env.origin, { sink, track: false });
      try {
        const page = await ctx.newPage();
        await page.setContent('<img src="https://tiers.example/pixel.png" alt="">');
        await page.waitForTimeout(100);
        t.equal(sink.length, 1, 'blocked requests recorded');
        t.match(sink[0], /tiers\.example\/pixel\.png \(image\)/, 'the blocked request');
        const loaded = await page.evaluate(() => document.images[0].naturalWidth);
        t.equal(loaded, 0, 'the image did not load');
      } finally {
        await ctx.close();
      }
    },
  },
];
