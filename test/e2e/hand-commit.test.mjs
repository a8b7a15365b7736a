// The README's hand commit, in the browser: after a promotion to test, someone
// commits 6.9.9 straight into test. Every card, the history and the overview
// must then say what is true (issue #14): test is ahead of dev, not behind;
// 6.9.9 skipped dev; no older version is offered as a promotion; the finished
// promotion of the version test no longer runs is gone from its card; and a
// version that only waits for a promotion is not shown as deploying.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { FRONTEND } from './lib/demo.mjs';
import { artifacts, useDemoSession } from './lib/session.mjs';
import { commitVersion, environmentCard, signIn } from './lib/pipelinePage.mjs';

const session = useDemoSession();

test('after a hand commit of 6.9.9 to test, the cards, the history and the overview tell the truth', async () => {
  const page = await session.browser.context.newPage();
  await page.goto(
    `${FRONTEND}/catalog/default/component/podinfo/flux-pipelines`,
  );
  await signIn(page);
  const testCard = environmentCard(page, 'test');
  const prodCard = environmentCard(page, 'prod');

  // First an honest promotion of dev's version to test, by commit.
  const promote = testCard.getByRole('button', {
    name: /^Promote \S+ to test$/i,
  });
  await promote.waitFor({ timeout: 120_000 });
  const promoted = /^Promote (\S+) to test$/i.exec(
    (await promote.innerText()).trim(),
  )[1];
  await promote.click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('button', { name: 'Promote' }).click();
  await testCard
    .getByText(`Succeeded ${promoted}`)
    .waitFor({ timeout: 120_000 });
  const promotion = testCard.getByRole('group', { name: 'Promotion' });
  await promotion.getByText(promoted).waitFor({ timeout: 30_000 });

  // Then the hand commit, past dev.
  commitVersion(session.demo.fleetRepo, 'test', '6.9.9');
  await testCard.getByText('Succeeded 6.9.9').waitFor({ timeout: 120_000 });

  // test is ahead of dev, and says that 6.9.9 skipped dev.
  await testCard
    .getByText(/^\d+ versions? ahead of dev$/)
    .waitFor({ timeout: 30_000 });
  await testCard.getByText('6.9.9 skipped dev').first().waitFor();
  assert.doesNotMatch(await testCard.innerText(), /behind dev/);
  // No version older than 6.9.9 is offered as a promotion into test.
  const offered = testCard.getByRole('button', {
    name: /^Promote \S+ to test$/i,
  });
  for (let i = 0; i < (await offered.count()); i++) {
    assert.equal(
      await offered.nth(i).isDisabled(),
      true,
      `test offers "${await offered.nth(i).innerText()}" while it runs 6.9.9`,
    );
  }
  // The finished promotion of the version test no longer runs is gone.
  await promotion.waitFor({ state: 'detached', timeout: 30_000 });
  // prod is not asked to approve 6.9.9: automatic promotion does not carry
  // a version that skipped dev.
  assert.doesNotMatch(await prodCard.innerText(), /approval[^\n]*6\.9\.9/i);
  await page.screenshot({ path: join(artifacts, 'hand-commit-cards.png') });

  // The history: 6.9.9 skipped dev; versions that only wait for a promotion
  // say so, and nothing that is not being deployed says "Deploying".
  // (The history's rows are the page's only table rows.)
  const row = page
    .getByRole('row')
    .filter({ hasText: '6.9.9' })
    .filter({ hasText: 'dev: Skipped' });
  await row.first().waitFor({ timeout: 30_000 });
  assert.match(await row.first().innerText(), /test: Succeeded/);
  assert.doesNotMatch(await row.first().innerText(), /Deploying|Progressing/);
  await page
    .getByRole('row')
    .getByText(/^Waiting for (promotion|approval)$/)
    .first()
    .waitFor({ timeout: 30_000 });
  await page.screenshot({ path: join(artifacts, 'hand-commit-history.png') });

  // The overview says the same as the cards.
  await page.goto(`${FRONTEND}/flux-pipelines`);
  const matrix = page.getByRole('table', { name: 'Pipelines by environment' });
  const podinfo = matrix
    .getByRole('row')
    .filter({ hasText: 'flux-system/podinfo' });
  await podinfo
    .getByText(/test is \d+ versions? ahead of dev/)
    .first()
    .waitFor({ timeout: 60_000 });
  await podinfo.getByText('6.9.9 skipped dev').first().waitFor();
  assert.doesNotMatch(
    await podinfo.innerText(),
    /test is \d+ versions? behind/,
  );
  await page.screenshot({ path: join(artifacts, 'hand-commit-overview.png') });
  await page.close();
});
