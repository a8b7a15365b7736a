// A user reads podinfo's delivery figures on its Pipelines tab, and the
// platform team's page: its pipelines' matrix with their figures beside it.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { artifacts, useDemoSession } from './lib/session.mjs';
import { signIn } from './lib/pipelinePage.mjs';
import { FRONTEND } from './lib/demo.mjs';

const session = useDemoSession();

test('the Insights section on podinfo shows figures per environment, with definitions and a period picker', async () => {
  const page = await session.browser.context.newPage();
  await page.setViewportSize({ width: 1440, height: 1800 });
  await page.goto(
    `${FRONTEND}/catalog/default/component/podinfo/flux-pipelines`,
  );
  await signIn(page);
  // The demo deploys podinfo to dev continuously: dev has figures.
  const dev = page.getByRole('region', { name: 'Insights of dev' });
  const frequency = dev.getByRole('group', { name: 'Deployment frequency' });
  await frequency.getByText(/ \/ day$/).waitFor({ timeout: 180_000 });
  assert.match(await frequency.innerText(), /from [1-9]\d* deployments?$/);
  const duration = dev.getByRole('group', { name: 'Deployment duration' });
  assert.match(await duration.innerText(), /\d+(s|m)/);
  assert.ok(
    (await dev
      .getByRole('img', { name: /^Successful deployments \(one version/ })
      .count()) > 0,
    'the figure says how it is computed',
  );
  // The chart is drawn (recharts renders an SVG with a bar per day).
  await dev
    .getByRole('figure', { name: 'Successful deployments per day in dev' })
    .locator('svg.recharts-surface')
    .waitFor();
  // The Insights card, with the period it covers.
  const card = page.getByRole('region', { name: 'Delivery insights' });
  await card.screenshot({ path: join(artifacts, 'insights.png') });

  // Another period asks again.
  await page.getByRole('button', { name: /Period/ }).click();
  await page.getByRole('option', { name: 'Last 7 days' }).click();
  await frequency.getByText(/ \/ day$/).waitFor();
  await page.close();
});

test("the platform team page shows its pipelines' matrix and their figures", async () => {
  const page = await session.browser.context.newPage();
  await page.setViewportSize({ width: 1600, height: 1000 });
  await page.goto(`${FRONTEND}/flux-pipelines?owner=platform`);
  await signIn(page);
  await page.getByText('Flux pipelines of owner platform').waitFor();
  const matrix = page.getByRole('table', { name: 'Pipelines by environment' });
  await matrix
    .getByRole('row', { name: /^flux-system\/podinfo/ })
    .waitFor({ timeout: 120_000 });
  const devRow = page.getByRole('row', { name: /^flux-system\/podinfo dev/ });
  await devRow.waitFor({ timeout: 120_000 });
  assert.match(await devRow.innerText(), /\d/);
  await page.screenshot({ path: join(artifacts, 'team-page.png') });
  await page.close();
});
