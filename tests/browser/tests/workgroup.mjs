// The working group (/groupe): an editor adds a professional to the group;
// the professional, without JavaScript, presents a case, reads it and
// contributes; a professional outside the group gets the page explaining
// how to join and 404 on the case.  The library: a document added, found
// by the French search, read and deleted.  axe-core on the members page,
// the list, the new case form, a case, the library, a document, the
// deletion step and the join page.
import { login, pathOf, USERS } from '../lib/helpers.mjs';
import { audit } from './orientation.mjs';

async function press(page, name) {
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name, exact: true }).click()]);
}

export default [
  {
    timeoutMs: 90000,
    name: 'working group: membership, a case presented and discussed without JavaScript, the join page and 404 for others; axe on every page',
    async fn(t, env) {
      const ed = await t.page();
      await login(ed, USERS.editor);
      let resp = await ed.goto('/groupe/membres');
      t.equal(resp.status(), 200, 'the members page opens for an editor');
      await audit(t, ed, 'the members page');
      await ed.fill('#email', USERS.pro.email);
      await press(ed, 'Ajouter au groupe');
      t.equal(pathOf(ed), '/groupe/membres', 'back to the members page');
      t.match(await ed.locator('table.data').innerText(), new RegExp(USERS.pro.name), 'the professional is listed');

      // The flow without JavaScript; axe (which needs it) in another tab.
      const page = await t.page({ javaScriptEnabled: false });
      await login(page, USERS.pro);
      const seen = await t.page();
      await login(seen, USERS.pro);
      resp = await page.goto('/groupe');
      t.equal(resp.status(), 200, 'the group opens for a member');
      await page.goto('/groupe/cas/nouveau');
      await page.fill('#title', 'Harcèlement par messagerie au collège');
      await page.fill('#summary', 'Une élève reçoit des **menaces** répétées.');
      await page.getByLabel('Cyberharcèlement').check();
      await page.getByLabel('Éducation').check();
      await page.selectOption('#departement', '42');
      await press(page, 'Enregistrer le cas');
      t.match(pathOf(page), /^\/groupe\/cas\/\d+$/, 'the new case has its page, its id only in the address');
      const casePath = pathOf(page);
      const main = await page.locator('main').innerText();
      t.match(main, /Harcèlement par messagerie au collège/, 'the case shows its title');
      t.match(main, /menaces/, 'and its summary');
      await page.fill('#body', 'Proposition : orienter vers le référent harcèlement.');
      await press(page, 'Publier la contribution');
      t.equal(pathOf(page), casePath, 'back to the case after contributing');
      t.match(await page.locator('.workgroup-contribution').last().innerText(), /référent harcèlement/, 'the contribution is in the thread');

      await seen.goto('/groupe');
      await audit(t, seen, 'the list of cases');
      await seen.goto('/groupe/cas/nouveau');
      await audit(t, seen, 'the new case form');
      await seen.goto(casePath);
      await audit(t, seen, 'a case with a contribution');

      // A meeting planned without JavaScript, then checked by axe.
      await page.goto('/groupe/reunions');
      await page.fill('#day', '2030-01-15');
      await page.fill('#time', '10:00');
      await page.fill('#place', 'Maison des associations');
      await page.fill('#agenda', 'Tour de table');
      await press(page, 'Enregistrer la réunion');
      t.match(pathOf(page), /^\/groupe\/reunions\/\d+$/, 'the meeting has its page');
      const meetingPath = pathOf(page);
      await seen.goto('/groupe/reunions');
      await audit(t, seen, 'the meetings page');
      await seen.goto(meetingPath);
      await audit(t, seen, 'a meeting');

      // The library: a text document added without JavaScript, found by
      // the French search (a stemmed word of its description), read,
      // then deleted through the confirmation step.
      await page.goto('/groupe/documents');
      await page.fill('#title', 'Protocole de signalement');
      await page.selectOption('#kind', 'protocole');
      await page.fill('#description', 'Les étapes pour signaler un contenu.');
      await page.fill('#body', 'Étape 1 : **conserver les preuves**.');
      await press(page, 'Ajouter le document');
      t.match(pathOf(page), /^\/groupe\/documents\/\d+$/, 'the new document has its page');
      const docPath = pathOf(page);
      t.match(await page.locator('main').innerText(), /conserver les preuves/, 'the document shows its text');
      await page.goto('/groupe/documents');
      await page.fill('#q', 'signalements');
      await press(page, 'Rechercher');
      t.match(await page.locator('table.workgroup-documents').innerText(), /Protocole de signalement/, 'the search finds it by a stemmed word');
      await seen.goto('/groupe/documents?q=signaler');
      await audit(t, seen, 'the library with a search');
      await seen.goto(docPath);
      await audit(t, seen, 'a document');
      await seen.goto(docPath + '/suppression');
      await audit(t, seen, 'the deletion step');
      await page.goto(docPath + '/suppression');
      await page.getByLabel('Je confirme la suppression de ce document').check();
      await press(page, 'Supprimer');
      t.equal(pathOf(page), '/groupe/documents', 'back to the library after deleting');
      t.ok(!/Protocole de signalement/.test(await page.locator('main').innerText()), 'the document is gone');

      const out = await t.page();
      await login(out, USERS.cookies);
      resp = await out.goto('/groupe');
      t.equal(resp.status(), 200, 'the group page opens for a professional outside it');
      t.match(await out.locator('main').innerText(), /pas encore partie du groupe/, 'explaining how to join');
      await audit(t, out, 'the join page');
      resp = await out.goto(casePath);
      t.equal(resp.status(), 404, 'a professional outside the group gets 404 on the case');
      t.ok(!/Harcèlement par messagerie/.test(await out.locator('main').innerText()), 'and sees nothing of it');
      resp = await out.goto(docPath);
      t.equal(resp.status(), 404, 'a professional outside the group gets 404 on a document');
    },
  },
];
