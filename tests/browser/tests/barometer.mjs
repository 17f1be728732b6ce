// The barometer: after answers to the starter questionnaire, the list of
// indicators and an indicator broken down by sex, without JavaScript (the
// breakdown is a GET form), with its chart and its table; cells under 10
// answers say "masqué".  axe-core on both pages.
import { pathOf } from '../lib/helpers.mjs';
import { audit } from './orientation.mjs';

async function press(page, name) {
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name, exact: true }).click()]);
}

async function answerOnce(page, sexe) {
  await page.goto('/q/barometre_jeunes');
  await press(page, 'Commencer');
  await page.fill('#age', '15');
  await page.getByLabel(sexe, { exact: true }).check();
  await page.selectOption('#dep', '42');
  await press(page, 'Continuer');
  await page.locator('input[name="harcele"][value="non"]').check();
  await page.locator('input[name="image_diffusee"][value="non"]').check();
  await press(page, 'Continuer');
  await press(page, 'Continuer');
  await press(page, 'Envoyer mes réponses');
}

export default [
  {
    name: 'barometer without JavaScript: the indicators, a breakdown by a GET form, hidden small cells; axe on both pages',
    async fn(t, env) {
      await env.server.cli('wave', 'open', 'barometre_jeunes', '--name', 'Vague du baromètre');
      const page = await t.page({ javaScriptEnabled: false });
      await answerOnce(page, 'Une fille');
      await answerOnce(page, 'Un garçon');
      let resp = await page.goto('/barometre');
      t.equal(resp.status(), 200, '/barometre');
      t.match(await page.locator('main').innerText(), /Jeunes harcelés en ligne/, 'the indicators are listed');
      await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'Jeunes harcelés en ligne dans l\'année' }).click()]);
      t.equal(pathOf(page), '/barometre/harcelement', 'the indicator\'s page');
      await page.selectOption('#by', 'sexe');
      await press(page, 'Afficher');
      t.equal(new URL(page.url()).search, '?by=sexe', 'the breakdown is a GET parameter');
      t.ok(await page.locator('svg.chart').isVisible(), 'the chart is drawn');
      t.match(await page.locator('table.data').innerText(), /masqué : moins de 10 réponses/, 'small cells are hidden');
      const p2 = await t.page();
      await p2.goto('/barometre');
      await audit(t, p2, '/barometre');
      await p2.goto('/barometre/harcelement?by=sexe');
      await audit(t, p2, 'an indicator broken down by sex');
      // A second wave: the trend section appears.
      await env.server.cli('wave', 'open', 'barometre_jeunes', '--name', 'Vague suivante');
      await answerOnce(page, 'Une fille');
      await p2.goto('/barometre/harcelement');
      t.ok(await p2.getByRole('heading', { name: 'Évolution' }).isVisible(), 'the trend over the two waves');
      await audit(t, p2, 'an indicator with its trend');
      const resp2 = await p2.goto('/barometre/actions');
      t.equal(resp2.status(), 200, 'the dashboard of actions');
      await audit(t, p2, 'the dashboard of actions');
    },
  },
];
