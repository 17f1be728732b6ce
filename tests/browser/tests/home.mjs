// The home page as a visitor sees it, on a phone and on a computer.
import path from 'node:path';
import { stat } from 'node:fs/promises';

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 1 };
const DESKTOP = { viewport: { width: 1280, height: 800 } };  // the shared page's size
const NUMBERS = ['17', '112', '114', '3018', '119', '3919'];

async function checkHome(t, page, size) {
  const resp = await page.goto('/');
  t.equal(resp.status(), 200, `${size}: status of /`);
  t.match(await page.title(), /Vigie/, `${size}: title`);
  t.equal(await page.getAttribute('html', 'lang'), 'fr', `${size}: <html lang>`);
  t.equal(await page.locator('h1').count(), 1, `${size}: one h1`);
  t.ok(await page.locator('h1').isVisible(), `${size}: the h1 is visible`);
  t.match(await page.locator('h1').innerText(), /violences en ligne/, `${size}: the h1 text`);
  // The help numbers: each one a visible tel:/sms: link in the list.
  const listed = await page.locator('.numbers a.number').evaluateAll((as) =>
    as.map((a) => ({ text: a.textContent.trim(), href: a.getAttribute('href'), visible: a.offsetParent !== null })));
  for (const n of NUMBERS) {
    const hit = listed.find((a) => a.text === n);
    t.ok(hit, `${size}: emergency number ${n} is listed (found: ${listed.map((a) => a.text).join(', ')})`);
    t.match(hit.href, new RegExp(`^(tel|sms):${n.replace(/ /g, '')}$`), `${size}: link of ${n}`);
    t.ok(hit.visible, `${size}: ${n} is visible`);
  }
  // The quick exit is there and points to the neutral site by default.
  t.equal(await page.getAttribute('#sortie-rapide', 'href'), 'https://meteofrance.com/', `${size}: quick exit href`);
  t.ok(await page.locator('#sortie-rapide').isVisible(), `${size}: quick exit visible`);
  // Nothing wider than the screen: no sideways scrolling.
  const widths = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
  t.ok(widths.scroll <= widths.client, `${size}: no horizontal scrolling (scrollWidth ${widths.scroll} > ${widths.client})`);
}

export default [
  {
    name: 'home page renders (title, lang, h1, emergency numbers) on phone and desktop, with screenshots',
    async fn(t, env) {
      for (const [size, options, file] of [
        ['phone 390x844', PHONE, 'browser-home-mobile.png'],
        ['desktop 1280x800', DESKTOP, 'browser-home.png'],
      ]) {
        const page = options.isMobile ? await t.page(options) : await t.sharedPage('anon');
        if (!options.isMobile) await page.setViewportSize(options.viewport);
        await checkHome(t, page, size);
        const out = path.join(env.outDir, file);
        await page.screenshot({ path: out, fullPage: true });
        t.ok((await stat(out)).size > 5000, `${size}: screenshot ${out} written`);
        t.note(`screenshot: ${path.relative(process.cwd(), out)}`);
      }
    },
  },
];
