// A user opens podinfo in the catalog and sees its pipeline on the Pipelines tab.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { openBrowser } from './lib/browser.mjs';
import {
  BACKEND,
  CLUSTER,
  CLUSTER_TOKEN,
  FRONTEND,
  startDemo,
} from './lib/demo.mjs';

const artifacts = join(process.cwd(), 'test-results', 'e2e');
let demo;
let browser;

before(async () => {
  mkdirSync(artifacts, { recursive: true });
  demo = await startDemo();
  browser = await openBrowser();
});

after(async () => {
  await browser?.close();
  await demo?.stop();
});

async function signIn(page) {
  await page.getByRole('button', { name: 'Enter' }).click({ timeout: 60_000 });
}

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

test('podinfo has a Pipelines tab showing the pipeline the backend reports', async () => {
  const page = await browser.context.newPage();
  await page.goto(`${FRONTEND}/catalog/default/component/podinfo`);
  await signIn(page);
  await page.getByRole('tab', { name: 'Pipelines' }).click({ timeout: 60_000 });
  await page.waitForURL(/\/flux-pipelines$/);

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
  const file = join(demo.fleetRepo, 'apps', 'test', 'podinfo.yaml');
  writeFileSync(
    file,
    readFileSync(file, 'utf8').replace(/version: \S+/, 'version: 6.9.9'),
  );
  execFileSync('git', [
    '-C',
    demo.fleetRepo,
    '-c',
    'user.name=e2e',
    '-c',
    'user.email=e2e@localhost',
    'commit',
    '-qam',
    'Deploy podinfo 6.9.9 to test',
  ]);
  const test = page.getByRole('listitem', { name: 'Environment test' });
  await test.getByText('Progressing 6.9.9').waitFor({ timeout: 60_000 });
  await test.getByText('Succeeded 6.9.9').waitFor({ timeout: 90_000 });
  await page.screenshot({
    path: join(artifacts, 'podinfo-pipelines-live.png'),
  });
  await page.close();
});

test('an entity without a pipeline has no Pipelines tab', async () => {
  const page = await browser.context.newPage();
  await page.goto(`${FRONTEND}/catalog/default/component/no-pipeline`);
  await page
    .getByRole('tab', { name: 'Overview' })
    .waitFor({ timeout: 60_000 });
  assert.equal(await page.getByRole('tab', { name: 'Pipelines' }).count(), 0);
  await page.close();
});
