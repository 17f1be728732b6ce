// The guided orientation, as a person goes through it: one question per
// POST form, the answers never in the address or the history, back and
// restart, the plan with its contacts and sheets, the text download, the
// print stylesheet, the keyboard, and axe-core on every state.
import path from 'node:path';
import { readFile, stat } from 'node:fs/promises';

import { runAxe } from '../lib/browser.mjs';
import { login, tabsTo, USERS } from '../lib/helpers.mjs';

export const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 1 };

// Titles a person's history may show: nothing about the situation.
const DISCREET_TITLES = ['Être orienté·e — Vigie', 'Votre plan d\'action — Vigie'];
// Words of the answers that must never reach an address or a title.
const REVEALING = /victime|harc[eè]lement|sextorsion|mineur|danger|choice|state|qui=|\?|#/i;

const SECTIONS = ['Ce que vous pouvez faire maintenant', 'Garder des preuves', 'Signaler',
  'Qui peut vous aider', 'Pour aller plus loin'];

// Paths through content/orientation.yaml, by the choices' values.
export const PATHS = {
  harassedMinor: ['victime', 'non', 'oui', 'harcelement'],
  adultInDanger: ['victime', 'oui', 'non', 'menaces'],
  parentSextortion: ['proche', 'oui', 'oui', 'sextorsion'],
};

// Runs axe-core in the page; every violation is written out in full.
export async function audit(t, page, what) {
  const violations = await runAxe(page);
  t.ok(await page.evaluate(() => typeof window.axe?.version === 'string'), 'axe-core ran in the page');
  for (const v of violations) {
    t.note(`  ${v.id} (${v.impact}): ${v.help} — ${v.nodes} node(s): ${v.targets.join(' | ')}`);
    t.note(`    ${v.html}`);
    if (v.summary) t.note(`    ${v.summary}`);
  }
  t.equal(violations.length, 0, `${what}: axe violations (${violations.map((v) => v.id).join(', ')})`);
}

// The address must be exactly /orientation: no query string, no fragment.
function atOrientation(t, page, what) {
  t.equal(page.url(), `${t.env.origin}/orientation`, `${what}: the address`);
}

async function question(page) {
  return {
    number: (await page.locator('form.orientation legend .step-number').innerText()).trim(),
    text: (await page.locator('form.orientation legend .question').innerText()).trim(),
  };
}

async function state(page) {
  return page.locator('form.orientation input[name="state"]').inputValue();
}

// Clicks the label of the choice `value`, as a person would.
async function choose(t, page, value) {
  const input = page.locator(`form.orientation input[name="choice"][value="${value}"]`);
  t.equal(await input.count(), 1, `the choice "${value}" is offered on « ${(await question(page)).text} »`);
  await page.locator('form.orientation label.choice', { has: page.locator(`input[value="${value}"]`) }).click();
  t.ok(await input.isChecked(), `clicking its label selects "${value}"`);
}

// Presses the submit button named `name` and waits for the next page.
async function press(page, name, scope = 'main') {
  const [resp] = await Promise.all([
    page.waitForNavigation(),
    page.locator(scope).getByRole('button', { name, exact: true }).click(),
  ]);
  return resp;
}

async function answer(t, page, value) {
  await choose(t, page, value);
  const resp = await press(page, 'Continuer');
  atOrientation(t, page, `after answering "${value}"`);
  return resp;
}

// From the first question to the plan.
export async function completePath(t, page, values) {
  const resp = await page.goto('/orientation');
  t.equal(resp.status(), 200, 'status of /orientation');
  for (const v of values) await answer(t, page, v);
  t.equal(await page.locator('h1').innerText(), 'Votre plan d\'action', `path ${values.join(' → ')}: the plan is shown`);
}

async function sectionTitles(page) {
  return page.locator('main section.plan-section > h2').allInnerTexts();
}

// The history of the tab, as the browser keeps it (what Back and the
// history list show).
async function history(page) {
  const cdp = await page.context().newCDPSession(page);
  try {
    return await cdp.send('Page.getNavigationHistory');
  } finally {
    await cdp.detach().catch(() => {});
  }
}

async function checkHistory(t, page, what) {
  const { entries } = await history(page);
  const mine = entries.filter((e) => e.url !== 'about:blank');
  t.ok(mine.length >= 2, `${what}: the history has the steps (${entries.length} entries)`);
  for (const [i, e] of mine.entries()) {
    t.equal(e.url, `${t.env.origin}/orientation`, `${what}: history entry ${i + 1}'s address`);
    t.ok(DISCREET_TITLES.includes(e.title), `${what}: history entry ${i + 1}'s title is discreet (got "${e.title}")`);
    t.ok(!REVEALING.test(e.title), `${what}: history entry ${i + 1}'s title reveals nothing ("${e.title}")`);
  }
  return mine.length;
}

function orientationAxe(name, prepare) {
  return {
    name: `accessibility (axe): ${name}`,
    async fn(t) {
      const p = await t.sharedPage('anon');
      await p.setViewportSize({ width: 1280, height: 800 });
      await prepare(t, p);
      await audit(t, p, name);
    },
  };
}

export default [
  {
    name: 'orientation with JavaScript: victim, no danger, minor, harassment; address and history stay /orientation; back and restart; plan with 3018 and a sheet',
    async fn(t) {
      const page = await t.page();
      const resp = await page.goto('/orientation');
      t.equal(resp.status(), 200, 'status of /orientation');
      atOrientation(t, page, 'question 1');
      t.match(await page.title(), /^Être orienté·e — Vigie$/, 'a discreet title');
      let q = await question(page);
      t.equal(q.number, 'Question 1', 'the first question is numbered 1');
      t.match(q.text, /^Qui .*\?$/, 'the first question is « Qui … ? »');
      t.equal(await page.getByRole('button', { name: 'Revenir à la question précédente' }).count(), 0, 'question 1: no back button');
      t.equal(await page.getByRole('button', { name: 'Recommencer' }).count(), 0, 'question 1: no restart button');
      t.equal(await page.locator('form.orientation').getAttribute('method'), 'post', 'the step is a POST form');

      await answer(t, page, 'victime');
      q = await question(page);
      t.equal(q.number, 'Question 2', 'after « Qui », question 2');
      t.match(q.text, /danger/, 'question 2 is about danger');
      t.ok(await page.getByRole('button', { name: 'Revenir à la question précédente' }).isVisible(), 'question 2: the back button');
      t.ok(await page.getByRole('button', { name: 'Recommencer' }).isVisible(), 'question 2: the restart button');
      const state2 = await state(page);

      await answer(t, page, 'non');
      q = await question(page);
      t.equal(q.number, 'Question 3', 'then question 3');
      t.match(q.text, /18 ans/, 'question 3 is about the age');

      // Back: question 2 again, with the answers before it kept.
      await press(page, 'Revenir à la question précédente');
      atOrientation(t, page, 'after « Revenir à la question précédente »');
      q = await question(page);
      t.equal(q.number, 'Question 2', 'Back shows question 2 again');
      t.match(q.text, /danger/, 'Back shows the danger question');
      t.equal(await state(page), state2, 'Back keeps the answer to question 1 (same state as the first time on question 2)');
      const kept = await page.locator('form.orientation input[name="choice"]:checked').count();
      t.note(`  after Back, the answer given to question 2 is ${kept ? '' : 'not '}pre-selected`);

      await answer(t, page, 'non');
      await answer(t, page, 'oui');
      q = await question(page);
      t.equal(q.number, 'Question 4', 'question 4');
      t.match(q.text, /Que se passe-t-il/, 'question 4 is the type');

      // Restart in the middle: question 1, nothing carried over.
      await press(page, 'Recommencer');
      atOrientation(t, page, 'after « Recommencer »');
      q = await question(page);
      t.equal(q.number, 'Question 1', '« Recommencer » returns to question 1');
      t.match(q.text, /^Qui /, '« Recommencer » shows « Qui … ? »');
      t.equal(await state(page).then((s) => s.split('.')[0]), '', 'no answer is kept after « Recommencer »');
      t.equal(await page.getByRole('button', { name: 'Recommencer' }).count(), 0, 'back on question 1: no restart button');

      for (const v of PATHS.harassedMinor) await answer(t, page, v);
      t.equal(await page.locator('h1').innerText(), 'Votre plan d\'action', 'the plan');
      t.match(await page.title(), /^Votre plan d'action — Vigie$/, 'the plan\'s title');
      const titles = await sectionTitles(page);
      const planSections = titles.filter((s) => SECTIONS.includes(s));
      t.ok(planSections.length >= 3, `the plan has sections (${titles.join(' | ')})`);
      t.equal(planSections.join(' | '), SECTIONS.filter((s) => planSections.includes(s)).join(' | '), 'the sections are in the documented order');
      t.equal(planSections[0], 'Ce que vous pouvez faire maintenant', 'the first section');
      t.ok(await page.locator('.plan-action h3', { hasText: 'Le harcèlement en ligne est puni par la loi' }).isVisible(), 'the harassment action');
      t.ok(await page.locator('.plan-action h3', { hasText: 'Vous pouvez porter plainte' }).isVisible(), 'the victim\'s action (the answer to question 1 survived Back and Restart)');
      const e3018 = page.locator('ul.contacts li', { hasText: '3018' });
      t.equal(await e3018.count(), 1, 'the 3018 is listed once in the contacts');
      t.equal(await e3018.locator('a[href="tel:3018"]').innerText(), '3018', 'the 3018 is a tel: link');
      t.ok(await page.locator('[data-print]').isVisible(), 'with JavaScript, « Imprimer » is shown');
      t.ok(await page.getByRole('button', { name: 'Télécharger mon plan' }).isVisible(), '« Télécharger mon plan »');
      t.ok(await page.getByRole('button', { name: 'Recommencer' }).isVisible(), 'the plan: « Recommencer »');
      const steps = await checkHistory(t, page, 'on the plan');
      t.note(`  ${steps} history entries, all ${t.env.origin}/orientation`);

      // The plan's back button: the last question, then the plan again.
      await press(page, 'Revenir à la dernière question');
      atOrientation(t, page, 'back from the plan');
      t.equal((await question(page)).number, 'Question 4', 'back from the plan: question 4');
      await answer(t, page, 'harcelement');
      t.equal(await page.locator('h1').innerText(), 'Votre plan d\'action', 'the plan again');

      // A sheet of the plan opens.
      t.ok((await sectionTitles(page)).includes('Fiches à lire'), 'a « Fiches à lire » section');
      const sheets = page.locator('section[aria-labelledby="plan-fiches"] a');
      t.ok(await sheets.count() >= 1, 'at least one « Fiches à lire » link');
      const sheetTitle = (await sheets.first().innerText()).trim();
      const href = await sheets.first().getAttribute('href');
      t.match(href, /^\/ressources\/\d+$/, 'the sheet link: /ressources/ID');
      const [sheet] = await Promise.all([page.waitForNavigation(), sheets.first().click()]);
      t.equal(sheet.status(), 200, `the sheet ${href} opens`);
      t.equal(await page.locator('main h1').innerText(), sheetTitle, 'the sheet is the one linked');
      t.equal(await page.title(), 'Fiche pratique — Vigie', 'the sheet\'s title is discreet');
      const { entries } = await history(page);
      const last = entries.at(-1);
      t.equal(last.url, `${t.env.origin}${href}`, 'the sheet\'s history entry: its address only');
      t.equal(last.title, 'Fiche pratique — Vigie', 'the sheet\'s history entry: a discreet title');
      const before = entries.slice(0, -1).filter((e) => e.url !== 'about:blank');
      t.ok(before.every((e) => e.url === `${t.env.origin}/orientation`), `before it, only /orientation (${[...new Set(before.map((e) => e.url))].join(', ')})`);
    },
  },
  {
    name: 'orientation without JavaScript: a path with danger, the plan starts with « Ce que vous pouvez faire maintenant » and the 17; « Imprimer » hidden without JS, shown and working with JS',
    async fn(t) {
      const page = await t.page({ javaScriptEnabled: false });
      await completePath(t, page, PATHS.adultInDanger);
      atOrientation(t, page, 'the plan without JavaScript');
      const titles = await sectionTitles(page);
      t.equal(titles[0], 'Ce que vous pouvez faire maintenant', `the first section (sections: ${titles.join(' | ')})`);
      const first = page.locator('main section.plan-section').first();
      t.match(await first.locator('.plan-action h3').first().innerText(), /secours/, 'the first action is to call for help');
      t.match(await first.innerText(), /\b17\b/, 'the first section names the 17');
      const e17 = page.locator('ul.contacts li', { has: page.locator('a[href="tel:17"]') });
      t.equal(await e17.count(), 1, 'the 17 is listed in the contacts');
      t.equal(await e17.locator('a[href="tel:17"]').innerText(), '17', 'the 17 is a tel: link');
      t.ok(await page.locator('ul.contacts a[href="tel:112"]').isVisible(), 'the 112 is listed too');
      t.ok(await page.locator('ul.contacts a[href="sms:114"]').isVisible(), 'the 114 (SMS) is listed too');
      const print = page.getByRole('button', { name: 'Imprimer', includeHidden: true });
      t.equal(await print.count(), 1, 'the « Imprimer » button is in the page');
      t.ok(await print.isHidden(), 'without JavaScript, « Imprimer » is hidden');
      t.ok(await page.getByRole('button', { name: 'Télécharger mon plan' }).isVisible(), 'without JavaScript, « Télécharger mon plan » is shown');

      const js = await t.page();
      await completePath(t, js, PATHS.adultInDanger);
      const printJs = js.getByRole('button', { name: 'Imprimer' });
      t.ok(await printJs.isVisible(), 'with JavaScript, « Imprimer » is shown');
      await js.evaluate(() => {
        window.printed = 0;
        window.print = () => { window.printed++; };
      });
      await printJs.click();
      t.equal(await js.evaluate(() => window.printed), 1, '« Imprimer » opens the print dialog (window.print)');
    },
  },
  {
    name: 'orientation: « Télécharger mon plan » downloads plan-d-action.txt with the plan\'s first action',
    async fn(t, env) {
      const page = await t.page();
      await completePath(t, page, PATHS.harassedMinor);
      const firstAction = (await page.locator('.plan-action h3').first().innerText()).trim();
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Télécharger mon plan' }).click(),
      ]);
      t.equal(download.suggestedFilename(), 'plan-d-action.txt', 'the file name');
      t.equal(await download.failure(), null, 'the download completed');
      const text = await readFile(await download.path(), 'utf8');
      t.ok(text.includes(firstAction), `the file has the first action « ${firstAction} »`);
      t.match(text, /^Mon plan d'action\n/, 'the file starts with its title');
      t.ok(text.includes('3018'), 'the file has the 3018');
      t.ok(!/<[a-z]/i.test(text), 'the file is plain text, not HTML');
      atOrientation(t, page, 'after the download');
      t.equal(await page.locator('h1').innerText(), 'Votre plan d\'action', 'the plan is still shown after the download');
      await download.saveAs(path.join(env.outDir, 'plan-d-action.txt'));
    },
  },
  {
    name: 'orientation: continuing without a choice shows a French error in role="alert", linked to the fieldset by aria-describedby',
    async fn(t) {
      const page = await t.page();
      await page.goto('/orientation');
      for (const step of [1, 2]) {
        const where = `question ${step}`;
        const resp = await press(page, 'Continuer');
        t.note(`  ${where} without a choice: HTTP ${resp.status()}`);
        atOrientation(t, page, `${where} without a choice`);
        t.equal((await question(page)).number, `Question ${step}`, `${where}: the same question comes back`);
        const alert = page.getByRole('alert');
        t.equal(await alert.count(), 1, `${where}: one role="alert"`);
        t.ok(await alert.isVisible(), `${where}: the alert is visible`);
        t.match(await alert.innerText(), /Choisissez une réponse pour continuer/, `${where}: the alert in French`);
        const fieldset = page.locator('form.orientation fieldset');
        const described = (await fieldset.getAttribute('aria-describedby')) || '';
        t.ok(described.split(/\s+/).includes('choix-erreur'), `${where}: the fieldset is described by the error (aria-describedby="${described}")`);
        const error = page.locator('#choix-erreur');
        t.equal(await error.count(), 1, `${where}: the error next to the choices`);
        t.ok(await fieldset.locator('#choix-erreur').count() === 1, `${where}: the error is inside the fieldset`);
        t.match(await error.innerText(), /Choisissez une réponse/, `${where}: the error's text`);
        if (step === 1) {
          await answer(t, page, 'temoin');
          t.equal(await page.getByRole('alert').count(), 0, 'once answered, the error is gone');
          t.equal(await page.locator('form.orientation fieldset').getAttribute('aria-describedby'), null, 'once answered, no aria-describedby');
        }
      }
    },
  },
  {
    name: 'orientation by keyboard: Tab reaches the choices, arrows and Space select, Enter submits, to the plan',
    async fn(t) {
      const page = await t.page();
      await page.goto('/orientation');
      // The index of the choice to take on each question: qui=temoin,
      // danger=non, mineur=non, type=haine.
      const picks = [1, 1, 1, 7];
      for (const [i, pick] of picks.entries()) {
        const where = `question ${i + 1}`;
        const radios = page.locator('form.orientation input[name="choice"]');
        const presses = await tabsTo(page, 'input[name="choice"]', 25);
        t.ok(presses > 0, `${where}: Tab reaches the choices`);
        t.equal(await page.evaluate(() => document.activeElement.value), await radios.first().getAttribute('value'), `${where}: Tab lands on the first choice`);
        const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
        t.ok(outline !== 'none', `${where}: a focus indicator on the choice (outline-style ${outline})`);
        await page.keyboard.press('Space');
        t.ok(await radios.first().isChecked(), `${where}: Space selects the focused choice`);
        for (let k = 0; k < pick; k++) await page.keyboard.press('ArrowDown');
        const value = await radios.nth(pick).getAttribute('value');
        t.ok(await radios.nth(pick).isChecked(), `${where}: ArrowDown ×${pick} selects choice ${pick + 1} (${value})`);
        t.equal(await page.evaluate(() => document.activeElement.value), value, `${where}: the focus follows the arrows`);
        if (i === 0) {
          await page.keyboard.press('ArrowUp');
          t.ok(await radios.nth(pick - 1).isChecked(), 'ArrowUp selects the choice above');
          await page.keyboard.press('ArrowDown');
          t.ok(await radios.nth(pick).isChecked(), 'ArrowDown again');
        }
        await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
        atOrientation(t, page, `${where}: after Enter`);
        if (i < picks.length - 1) {
          t.equal((await question(page)).number, `Question ${i + 2}`, `${where}: Enter on a choice submits the step`);
        }
      }
      t.equal(await page.locator('h1').innerText(), 'Votre plan d\'action', 'the plan, reached by keyboard only');
      t.ok(await page.locator('.plan-action h3', { hasText: 'Un témoin peut agir' }).count() === 1, 'the witness\'s action (question 1 answered « temoin » by keyboard)');
      t.ok(await page.locator('.plan-action h3', { hasText: 'propos haineux' }).count() === 1, 'the hate speech action (question 4 answered « haine » by keyboard)');
    },
  },
  {
    name: 'orientation: the plan\'s print stylesheet hides the quick exit, the navigation and the buttons; page.pdf() makes tests/out/plan.pdf',
    async fn(t, env) {
      const page = await t.page();
      await completePath(t, page, PATHS.parentSextortion);
      const hidden = {
        'the quick exit': '.quick-exit',
        'the main navigation': '.site-header nav',
        'the footer navigation': '.site-footer nav',
        'the action buttons (.no-print)': 'main .actions.no-print',
        '« Télécharger mon plan »': 'button:has-text("Télécharger mon plan")',
        '« Imprimer »': '[data-print]',
        '« Recommencer »': 'main button:has-text("Recommencer")',
      };
      for (const [what, sel] of Object.entries(hidden)) {
        t.ok(await page.locator(sel).first().isVisible(), `on screen, ${what} is shown`);
      }
      await page.emulateMedia({ media: 'print' });
      for (const [what, sel] of Object.entries(hidden)) {
        t.ok(await page.locator(sel).first().isHidden(), `in print, ${what} is hidden`);
      }
      t.ok(await page.locator('h1').isVisible(), 'in print, the title is shown');
      t.ok(await page.locator('section.plan-section').first().isVisible(), 'in print, the plan is shown');
      t.ok(await page.locator('ul.contacts').isVisible(), 'in print, the contacts are shown');
      const out = path.join(env.outDir, 'plan.pdf');
      const pdf = await page.pdf({ path: out, format: 'A4', printBackground: false });
      t.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-', 'a PDF');
      const size = (await stat(out)).size;
      t.ok(size > 1024, `${out} is larger than 1 KB (${size} bytes)`);
      t.note(`pdf: ${path.relative(process.cwd(), out)} (${size} bytes)`);
      await page.emulateMedia({ media: 'screen' });
      t.ok(await page.locator('.quick-exit').isVisible(), 'back on screen, the quick exit is shown');
    },
  },
  {
    name: 'orientation screenshots: a step and the plan at phone size (390x844)',
    async fn(t, env) {
      const page = await t.page(PHONE);
      await page.goto('/orientation');
      await answer(t, page, 'proche');
      const widths = () => page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
      let w = await widths();
      t.ok(w.scroll <= w.client, `step at phone size: no horizontal scrolling (${w.scroll} > ${w.client})`);
      let out = path.join(env.outDir, 'browser-orientation-step.png');
      await page.screenshot({ path: out });
      t.ok((await stat(out)).size > 5000, `screenshot ${out} written`);
      t.note(`screenshot: ${path.relative(process.cwd(), out)}`);
      for (const v of PATHS.parentSextortion.slice(1)) await answer(t, page, v);
      t.equal(await page.locator('h1').innerText(), 'Votre plan d\'action', 'the plan');
      w = await widths();
      t.ok(w.scroll <= w.client, `plan at phone size: no horizontal scrolling (${w.scroll} > ${w.client})`);
      out = path.join(env.outDir, 'browser-orientation-plan.png');
      await page.screenshot({ path: out, fullPage: true });
      t.ok((await stat(out)).size > 5000, `screenshot ${out} written`);
      t.note(`screenshot: ${path.relative(process.cwd(), out)}`);
    },
  },
  orientationAxe('/orientation, first question', async (t, p) => {
    const resp = await p.goto('/orientation');
    t.equal(resp.status(), 200, 'status of /orientation');
  }),
  orientationAxe('/orientation, a question with the error shown', async (t, p) => {
    await p.goto('/orientation');
    await press(p, 'Continuer');
    t.ok(await p.getByRole('alert').isVisible(), 'the error is shown');
  }),
  orientationAxe('/orientation, a middle question (back and restart buttons)', async (t, p) => {
    await p.goto('/orientation');
    await answer(t, p, 'proche');
    await answer(t, p, 'non');
    t.equal((await question(p)).number, 'Question 3', 'on question 3');
    t.ok(await p.getByRole('button', { name: 'Revenir à la question précédente' }).isVisible(), 'the back button is shown');
  }),
  orientationAxe('/orientation, the surveillance question', async (t, p) => {
    await p.goto('/orientation');
    for (const v of ['victime', 'non', 'non', 'surveillance']) await answer(t, p, v);
    t.equal((await question(p)).number, 'Question 5', 'on question 5');
  }),
  orientationAxe('the plan (parent, danger, minor, sextortion: every section)', async (t, p) => {
    await completePath(t, p, PATHS.parentSextortion);
    const titles = await sectionTitles(p);
    t.ok(SECTIONS.every((s) => titles.includes(s)), `every section is shown (${titles.join(' | ')})`);
  }),
  {
    name: 'accessibility (axe): the plan at phone size, signed in as a professional',
    async fn(t) {
      const p = await t.page(PHONE);
      await login(p, USERS.pro);
      await completePath(t, p, ['professionnel', 'non', 'oui', 'grooming']);
      await audit(t, p, 'the plan for a professional at phone size');
      t.ok(await p.locator('section[aria-labelledby="plan-fiches"] a', { hasText: 'Accompagner' }).count() === 1,
        'a professional\'s plan lists the professional-only sheet « Accompagner un·e jeune… » in « Fiches à lire »');
    },
  },
];
