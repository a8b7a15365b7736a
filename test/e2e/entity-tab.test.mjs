// A user opens podinfo in the catalog and sees its pipeline on the Pipelines tab.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { artifacts, useDemoSession } from './lib/session.mjs';
import { commitVersion, signIn } from './lib/pipelinePage.mjs';
import { BACKEND, CLUSTER, CLUSTER_TOKEN, FRONTEND } from './lib/demo.mjs';

const session = useDemoSession();

test('the health endpoint answers without credentials', async () => {
  const res = await fetch(`${BACKEND}/api/flux-pipelines/health`);
  assert.equal(res.status, 200);
  assert.equal((await res.json()).status, 'ok');
});

test('the demo cluster stand-in serves podinfo as a Flux HelmRelease in dev', async () => {
  const url = `${CLUSTER}/apis/helm.toolkit.fluxcd.io/v2/namespaces/dev/helmreleases/podinfo`;
  assert.equal((await fetch(url)).status, 401);
  const res = await fetch(url, {
    headers: { authorization: `Bearer ${CLUSTER_TOKEN}` },
  });
  assert.equal(res.status, 200);
  const release = await res.json();
  assert.equal(release.kind, 'HelmRelease');
  assert.ok(
    release.spec.chart.spec.version,
    'the HelmRelease names a chart version',
  );
});

test('reading pipelines without credentials is refused', async () => {
  const res = await fetch(`${BACKEND}/api/flux-pipelines/pipelines`);
  assert.equal(res.status, 401);
});

test('a user promotes dev’s version to test by commit, approves prod, merges its pull request, and the cards follow live', async () => {
  const page = await session.browser.context.newPage();
  await page.goto(
    `${FRONTEND}/catalog/default/component/podinfo/flux-pipelines`,
  );
  await signIn(page);
  const test = page.getByRole('listitem', { name: 'Environment test' });
  const prod = page.getByRole('listitem', { name: 'Environment prod' });

  // dev runs a newer version than test: the test card offers it.
  const promote = test.getByRole('button', { name: /^Promote \S+ to test$/i });
  await promote.waitFor({ timeout: 120_000 });
  const version = /^Promote (\S+) to test$/i.exec(
    (await promote.innerText()).trim(),
  )[1];
  assert.equal(await test.getByText(`Succeeded ${version}`).count(), 0);
  await promote.click();

  // The confirmation shows the strategy and the change to the GitOps repository.
  const dialog = page.getByRole('dialog');
  await dialog
    .getByText('apps/test/podinfo.yaml')
    .first()
    .waitFor({ timeout: 30_000 });
  assert.match(await dialog.innerText(), /commit to the GitOps repository/);
  assert.match(
    await dialog.innerText(),
    new RegExp(`\\+\\s+version: ${version.replace(/\./g, '\\.')}`),
  );
  await page.screenshot({ path: join(artifacts, 'promote-dialog.png') });
  await dialog.getByRole('button', { name: 'Promote' }).click();

  // The backend commits; the stand-in reconciles from git; the card follows
  // without a reload: progressing (the release takes 20 s), then succeeded.
  await test.getByText(`Progressing ${version}`).waitFor({ timeout: 60_000 });
  await test.getByText(`Succeeded ${version}`).waitFor({ timeout: 120_000 });
  const log = execFileSync(
    'git',
    ['-C', session.demo.fleetRepo, 'log', '--format=%an <%ae>|%s', '-n', '20'],
    { encoding: 'utf8' },
  );
  assert.ok(
    log.includes(
      `Demo Guest <guest@example.com>|Promote flux-system/podinfo ${version} to test`,
    ),
    `the fleet repository has the promotion commit:\n${log}`,
  );

  // prod waits for approval of that version; approving it deploys it there too.
  const approve = prod.getByRole('button', { name: 'Approve' });
  await approve.waitFor({ timeout: 120_000 });
  assert.equal(await prod.getByText(`Succeeded ${version}`).count(), 0);
  await page.screenshot({ path: join(artifacts, 'approval-waiting.png') });
  // The owners hear of it: the sidebar's bell leads to the notification.
  const inbox = await session.browser.context.newPage();
  await inbox.goto(`${FRONTEND}/catalog`);
  await inbox
    .getByRole('link', { name: /Notifications/ })
    .first()
    .click();
  await inbox.waitForURL(/\/notifications/);
  await inbox
    .getByText(`Approval needed: podinfo ${version} to prod`)
    .first()
    .waitFor({ timeout: 60_000 });
  await inbox.screenshot({ path: join(artifacts, 'notifications.png') });
  await inbox.close();
  await approve.click();
  const confirm = page.getByRole('dialog');
  await confirm
    .getByText(`Approve the promotion of ${version} to prod`)
    .waitFor({ timeout: 10_000 });
  await confirm.getByRole('button', { name: 'Approve' }).click();

  // prod goes by pull request, on the stand-in's GitHub: the card links it,
  // and merging it there deploys the version.
  const pullRequest = prod.getByRole('link', { name: 'Pull request' });
  await pullRequest.waitFor({ timeout: 120_000 });
  const pullRequestUrl = await pullRequest.getAttribute('href');
  assert.match(
    pullRequestUrl,
    /^http:\/\/127\.0\.0\.1:17443\/example\/fleet\/pull\/\d+$/,
  );
  await page.screenshot({ path: join(artifacts, 'pull-request-open.png') });
  assert.equal(await prod.getByText(`Succeeded ${version}`).count(), 0);
  const github = await session.browser.context.newPage();
  await github.goto(pullRequestUrl);
  assert.match(
    await github.locator('body').innerText(),
    new RegExp(
      `Promote flux-system/podinfo ${version.replace(/\./g, '\\.')} to prod`,
    ),
  );
  await github.locator('#merge').click();
  await github.getByText('Merged').first().waitFor({ timeout: 30_000 });
  await github.close();
  await prod.getByText(`Succeeded ${version}`).waitFor({ timeout: 120_000 });
  await page.screenshot({ path: join(artifacts, 'promoted-to-prod.png') });

  await page.close();
});

test('podinfo has a Pipelines tab showing the pipeline the backend reports', async () => {
  const page = await session.browser.context.newPage();
  await page.goto(`${FRONTEND}/catalog/default/component/podinfo`);
  await signIn(page);
  // The Overview tab's card sums up each environment and leads to the tab.
  const overviewCard = page.getByRole('table', { name: 'flux-system/podinfo' });
  await overviewCard.waitFor({ timeout: 60_000 });
  assert.match(await overviewCard.innerText(), /dev[\s\S]*test[\s\S]*prod/);
  await page
    .getByRole('link', { name: /Open the Pipelines tab/ })
    .click({ timeout: 30_000 });
  await page.waitForURL(
    /\/catalog\/default\/component\/podinfo\/flux-pipelines$/,
  );
  assert.equal(
    await page.getByRole('tab', { name: 'Pipelines', selected: true }).count(),
    1,
  );

  // The pipeline comes from the Weave GitOps Pipeline object in the stand-in.
  await page.getByText('flux-system/podinfo').waitFor({ timeout: 30_000 });
  for (const env of ['dev', 'test', 'prod']) {
    const card = page.getByRole('listitem', { name: `Environment ${env}` });
    await card.waitFor();
    assert.match(await card.innerText(), new RegExp(`main / ${env}`));
  }
  // Test and prod hold still in the demo; their cards show the version the
  // stand-in's HelmRelease status says is deployed.
  for (const env of ['test', 'prod']) {
    const res = await fetch(
      `${CLUSTER}/apis/helm.toolkit.fluxcd.io/v2/namespaces/${env}/helmreleases/podinfo`,
      { headers: { authorization: `Bearer ${CLUSTER_TOKEN}` } },
    );
    const deployed = (await res.json()).status.history.find(
      h => h.status === 'deployed',
    );
    const card = page.getByRole('listitem', { name: `Environment ${env}` });
    await card
      .getByText(`Succeeded ${deployed.chartVersion}`)
      .waitFor({ timeout: 30_000 });
  }
  await page.screenshot({ path: join(artifacts, 'podinfo-pipelines.png') });

  // A commit to the GitOps repository deploys a new version to test; the card
  // follows it live, without a reload.
  commitVersion(session.demo.fleetRepo, 'test', '6.9.9');
  const test = page.getByRole('listitem', { name: 'Environment test' });
  await test.getByText('Progressing 6.9.9').waitFor({ timeout: 60_000 });
  await test.getByText('Succeeded 6.9.9').waitFor({ timeout: 90_000 });
  await page.screenshot({
    path: join(artifacts, 'podinfo-pipelines-live.png'),
  });
  await page.close();
});

test('a user who does not own checkout sees why they cannot promote it', async () => {
  const page = await session.browser.context.newPage();
  await page.goto(
    `${FRONTEND}/catalog/default/component/checkout/flux-pipelines`,
  );
  await signIn(page);
  const test = page.getByRole('listitem', { name: 'Environment test' });
  const promote = test.getByRole('button', { name: /^Promote .*to test$/i });
  await promote.waitFor({ timeout: 60_000 });
  await test
    .getByText('You are not allowed to promote to test')
    .waitFor({ state: 'attached', timeout: 30_000 });
  assert.equal(await promote.isDisabled(), true);
  await promote.locator('..').hover();
  await page
    .getByRole('tooltip', { name: 'You are not allowed to promote to test' })
    .waitFor({ timeout: 10_000 });
  await page.screenshot({ path: join(artifacts, 'promote-denied.png') });
  await page.close();
});

test('the pipelines overview shows every pipeline by environment, searchable', async () => {
  const page = await session.browser.context.newPage();
  await page.goto(`${FRONTEND}/flux-pipelines`);
  await signIn(page);
  const matrix = page.getByRole('table', { name: 'Pipelines by environment' });
  await matrix.getByText('flux-system/podinfo').waitFor({ timeout: 60_000 });
  await matrix.getByText('flux-system/checkout').waitFor();
  await page.screenshot({ path: join(artifacts, 'pipelines-overview.png') });

  await page
    .getByRole('textbox', { name: 'Search pipelines' })
    .fill('checkout');
  await matrix
    .getByText('flux-system/podinfo')
    .waitFor({ state: 'detached', timeout: 10_000 });
  assert.equal(await matrix.getByText('flux-system/checkout').count(), 1);
  await page.close();
});

test('the pages fit a 1280 px wide window without scrolling sideways', async () => {
  const page = await session.browser.context.newPage();
  for (const path of [
    '/catalog/default/component/podinfo/flux-pipelines',
    '/flux-pipelines',
  ]) {
    await page.goto(`${FRONTEND}${path}`);
    await signIn(page);
    await page
      .getByText('flux-system/podinfo')
      .first()
      .waitFor({ timeout: 60_000 });
    await page.waitForTimeout(1000);
    const { scrollWidth, clientWidth, widest } = await page.evaluate(() => {
      const root = document.documentElement;
      const over = [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > root.clientWidth + 1)
        .map(e => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')}`)
        .slice(0, 5);
      return {
        scrollWidth: root.scrollWidth,
        clientWidth: root.clientWidth,
        widest: over,
      };
    });
    assert.ok(
      scrollWidth <= clientWidth,
      `${path} is ${scrollWidth}px wide in a ${clientWidth}px window: ${widest.join(
        ', ',
      )}`,
    );
  }
  await page.close();
});

test('an entity without a pipeline has no Pipelines tab', async () => {
  const page = await session.browser.context.newPage();
  await page.goto(`${FRONTEND}/catalog/default/component/no-pipeline`);
  await page
    .getByRole('tab', { name: 'Overview' })
    .waitFor({ timeout: 60_000 });
  assert.equal(await page.getByRole('tab', { name: 'Pipelines' }).count(), 0);
  await page.close();
});
