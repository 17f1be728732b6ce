// The quick exit: first thing a keyboard reaches, and leaving by click or by
// Escape replaces the history entry so Back does not bring Vigie back.
import { NEUTRAL_URL } from '../lib/browser.mjs';
import { expectNeutral, focusedDescription, pathOf, tabsTo } from '../lib/helpers.mjs';

function firstFocusable(name, url, expectedStatus) {
  return {
    name: `quick exit is the first focusable element on ${name}, before the skip link`,
    async fn(t) {
      // A navigation starts afresh, so a page shared with other read-only
      // tests is as good as a new one here, and saves a renderer.
      const page = await t.sharedPage('anon');
      for (const viewport of [{ width: 1280, height: 800 }, { width: 390, height: 844 }]) {
        const size = `${viewport.width}x${viewport.height}`;
        await page.setViewportSize(viewport);
        const resp = await page.goto(url);
        t.equal(resp.status(), expectedStatus, `${size}: status of ${url}`);
        await page.keyboard.press('Tab');
        const focused = await focusedDescription(page);
        t.ok(await page.evaluate(() => document.activeElement?.id === 'sortie-rapide'),
          `${size}: after one Tab, focus should be on #sortie-rapide, is on ${focused}`);
        // Visible without scrolling, where the keyboard user is.
        const box = await page.locator('#sortie-rapide').boundingBox();
        t.ok(box && box.y >= 0 && box.y + box.height <= viewport.height && box.x >= 0
          && box.x + box.width <= viewport.width,
        `${size}: the focused quick exit is inside the viewport (${JSON.stringify(box)})`);
        // A visible focus indicator (outline) on it.
        const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
        t.ok(outline !== 'none', `${size}: focus indicator on the quick exit (outline-style ${outline})`);
        // The skip link comes after it, and is shown when focused.
        const presses = await tabsTo(page, 'a.skip-link', 6);
        t.ok(presses > 0, `${size}: the skip link is reached by Tab after the quick exit`);
        const skip = await page.locator('a.skip-link').boundingBox();
        t.ok(skip && skip.x >= 0 && skip.y >= 0, `${size}: the focused skip link is on screen (${JSON.stringify(skip)})`);
        // And it works: Enter moves the focus to the main content.
        await page.keyboard.press('Enter');
        await page.waitForFunction(() => document.activeElement?.id === 'contenu', null, { timeout: 2000 }).catch(() => {});
        t.equal(await page.evaluate(() => document.activeElement?.id), 'contenu', `${size}: Enter on the skip link focuses <main id="contenu">`);
      }
      await page.setViewportSize({ width: 1280, height: 800 });
    },
  };
}

// Page A, then page B, then leave: the history must be [A, neutral].
async function leaveAndGoBack(t, page, how, leave) {
  await page.goto('/');
  await page.goto('/connexion');
  t.equal(pathOf(page), '/connexion', `${how}: on page B`);
  await leave(page);
  await expectNeutral(t, page, how);
  await page.goBack({ waitUntil: 'load' }).catch(() => null);
  t.ok(page.url() !== NEUTRAL_URL, `${how}: Back should leave the neutral site`);
  t.equal(pathOf(page), '/', `${how}: Back should return to page A (the page before), not to the page left (/connexion)`);
}

export default [
  firstFocusable('the home page', '/', 200),
  firstFocusable('/connexion', '/connexion', 200),
  firstFocusable('a 404 page', '/cette-page-n-existe-pas', 404),
  {
    name: 'quick exit by click goes to the neutral site and replaces the history entry',
    async fn(t) {
      const page = await t.sharedPage('anon');
      const ctx = page.context();
      await leaveAndGoBack(t, page, 'click', async (p) => {
        await p.click('#sortie-rapide', { noWaitAfter: true });
      });
      // What the neutral site saw: no Referer naming Vigie.
      const hit = ctx.neutralHits.at(-1);
      t.ok(hit, 'the neutral site was requested');
      t.ok(!('referer' in hit.headers), `no Referer sent to the neutral site (got ${hit.headers.referer})`);
    },
  },
  {
    name: 'quick exit by Escape goes to the neutral site and replaces the history entry',
    async fn(t) {
      const page = await t.sharedPage('anon');
      await leaveAndGoBack(t, page, 'Escape on the page', async (p) => {
        await p.keyboard.press('Escape');
      });
      // Also while typing in a form field: the moment someone walks in.
      await page.goto('/');
      await page.goto('/connexion');
      await page.fill('#email', 'quelqu');
      await page.focus('#email');
      await page.keyboard.press('Escape');
      await expectNeutral(t, page, 'Escape in a text field');
    },
  },
];
