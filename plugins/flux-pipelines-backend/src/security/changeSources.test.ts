import { mockServices } from '@backstage/backend-test-utils';
import { JsonValue } from '@backstage/config';
import { GithubStandIn, startGithubStandIn } from '@internal/cluster-sim';
import {
  Pipeline,
  TargetDeployment,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import { createTestDatabases } from '../__testUtils__/databases';
import { DatabaseAppLabelStore } from '../database/DatabaseAppLabelStore';
import { DatabaseDeploymentStore } from '../database/DatabaseDeploymentStore';
import { migrateDatabase } from '../database/migrateDatabase';
import { eventually } from '../follow/scenarios/__testUtils__/scenarioHelpers';
import {
  createTestRemote,
  TestRemote,
} from '../promotion/git/__testUtils__/testRemote';
import { PreviewClones } from '../promotion/git/PreviewClones';
import { stopStandIn } from '../promotion/scm/__testUtils__/fakeApi';
import { githubStandInIntegrations } from '../promotion/scm/__testUtils__/providerHarnesses';
import { setupChangeSources } from '../provenance/setupChangeSources';

const databases = createTestDatabases();
const FILE = 'apps/dev/apps.yaml';

/** A pipeline of the Kustomization `apps` in namespace `namespace`, promoting by commit to `url`. */
function pipeline(
  name: string,
  namespace: string,
  url: string,
  source: Pipeline['source'],
): Pipeline {
  return {
    namespace: 'flux-system',
    name,
    source,
    appRef: {
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      name: 'apps',
    },
    environments: [{ name: 'dev', targets: [{ cluster: 'main', namespace }] }],
    promotion: {
      strategy: { type: 'commit', url, branch: 'main', path: FILE },
    },
  };
}

function deployment(
  namespace: string,
  chartVersion: string,
  extra: Partial<TargetDeployment> = {},
): TargetDeployment {
  return {
    cluster: 'main',
    namespace,
    kind: 'Kustomization',
    name: 'apps',
    chartVersion,
    status: 'succeeded',
    updatedAt: '2026-12-07T10:00:00Z',
    ...extra,
  };
}

// Each test clones the fleet through the GitHub stand-in: seconds on a busy machine.
jest.setTimeout(60_000);

/**
 * Where a change came from is shown to everyone and links off the page:
 * only a revision that parses becomes a link, only to a repository
 * app-config lets the pipeline use, and only for a commit git found there.
 */
describe.each(databases.eachSupportedId())('change sources (%s)', id => {
  let fleet: TestRemote;
  let github: GithubStandIn;
  let clones: PreviewClones;
  let sha: string;
  const logger = mockServices.logger.mock();

  beforeEach(async () => {
    fleet = createTestRemote({ [FILE]: 'a: 1\n' }, { workTree: true });
    sha = fleet.commit('main', { [FILE]: 'a: 2\n' }, 'change apps');
    github = await startGithubStandIn({ repo: fleet.path, persist: false });
    clones = new PreviewClones();
    jest.clearAllMocks();
  });
  afterEach(async () => {
    await clones.dispose();
    await stopStandIn(github, 'the GitHub API').finally(() => fleet.cleanup());
  });

  async function create(repositories: JsonValue[]) {
    const knex = await migrateDatabase(
      mockServices.database({ knex: await databases.init(id) }),
    );
    return setupChangeSources({
      config: mockServices.rootConfig({
        data: {
          integrations: {
            github: githubStandInIntegrations(github, github.token),
          },
          fluxPipelines: {
            promotion: { repositories, allowInsecureHttp: true },
          },
        },
      }),
      logger,
      knex,
      deployments: new DatabaseDeploymentStore(knex),
      appLabels: new DatabaseAppLabelStore(knex),
      previewClones: clones,
    });
  }

  it('links a commit only for a pipeline app-config lets use the repository', async () => {
    const url = `${github.url}/org/fleet.git`;
    // Listed for the pipelines of cluster namespace dev only (by path).
    const sources = await create([{ url, branches: ['main'], paths: [FILE] }]);
    const allowed = pipeline('allowed', 'dev', url, 'cluster');
    const known = deployment('dev', `main@sha1:${sha}`);
    await eventually(async () => {
      await sources.annotate([allowed], [known]);
      return known.commitUrl;
    });
    expect(known).toMatchObject({
      commitUrl: `${github.url}/org/fleet/commit/${sha}`,
      changedBy: { name: 'Seed', via: 'commit' },
    });

    // A Pipeline object naming the same repository for another file is no
    // destination app-config allows: the same commit gets no link, no author.
    const other = pipeline('other', 'other', url, 'cluster');
    other.promotion = {
      strategy: { type: 'commit', url, branch: 'main', path: 'apps/x.yaml' },
    };
    const borrowed = deployment('other', `main@sha1:${sha}`);
    await sources.annotate([other], [borrowed]);
    expect(borrowed.sourceRevision).toBe(`main@sha1:${sha}`);
    expect(borrowed.commitUrl).toBeUndefined();
    expect(borrowed.changedBy).toBeUndefined();
  });

  it('never links a forged revision, nor a commit the repository lacks', async () => {
    const url = `${github.url}/org/fleet.git`;
    const sources = await create([url]);
    const p = pipeline('podinfo', 'dev', url, 'config');
    const elsewhere = 'e'.repeat(40);
    const missing = deployment('dev', `main@sha1:${elsewhere}`);
    const forged = deployment('dev', `main@sha1:${sha}"><img src=x>`, {
      // eslint-disable-next-line no-script-url -- a hostile input
      sourceRevision: 'javascript:alert(1)//',
    });
    const real = deployment('dev', `main@sha1:${sha}`);
    await eventually(async () => {
      await sources.annotate([p], [missing, forged, real]);
      return real.commitUrl;
    });
    // Looked up before the real one (one clone, one queue): git lacks it.
    expect(missing.sourceRevision).toBe(`main@sha1:${elsewhere}`);
    expect(missing.commitUrl).toBeUndefined();
    expect(missing.changedBy).toBeUndefined();
    expect(forged.sourceRevision).toBeUndefined();
    expect(forged.commitUrl).toBeUndefined();
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('Kustomization dev/apps on cluster main'),
      expect.anything(),
    );
  });
});
