// What a user does on the demo's pages and in its GitOps repository, shared
// by the browser tests.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Signs in as the guest, unless this browser profile already did. */
export async function signIn(page) {
  const enter = page.getByRole('button', { name: 'Enter' });
  // Signed in, every page has the sidebar's Catalog link.
  await enter
    .or(page.getByRole('link', { name: 'Catalog' }))
    .first()
    .waitFor({ timeout: 60_000 });
  if (await enter.isVisible()) await enter.click();
}

/** The card of one environment on a Pipelines tab. */
export function environmentCard(page, environment) {
  return page.getByRole('listitem', { name: `Environment ${environment}` });
}

/**
 * Commits `version` for podinfo in `environment` straight to the fleet
 * repository, as a person would by hand (not through a promotion).
 */
export function commitVersion(fleetRepo, environment, version) {
  const file = join(fleetRepo, 'apps', environment, 'podinfo.yaml');
  writeFileSync(
    file,
    readFileSync(file, 'utf8').replace(/version: \S+/, `version: ${version}`),
  );
  execFileSync('git', [
    '-C',
    fleetRepo,
    '-c',
    'user.name=e2e',
    '-c',
    'user.email=e2e@localhost',
    'commit',
    '-qam',
    `Deploy podinfo ${version} to ${environment}`,
  ]);
}
