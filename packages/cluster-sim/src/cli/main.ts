import { parseArgs } from 'node:util';
import { parseDuration } from '../clock';
import { DEFAULT_TOKEN } from '../server/auth';
import { loadScenario } from '../scenario/loadScenario';
import { Scenario } from '../scenario/Scenario';
import { startScenario } from '../scenario/startScenario';

const USAGE = `Usage: cluster-sim [--port 16443] [--host 127.0.0.1] [--scenario demo|<file.yaml>] [--token T]
                   [--kubeconfig PATH] [--tls] [--webhook-url URL [--webhook-hmac-key KEY]]
                   [--git-repo PATH|file://URL [--git-branch main]] [--event-ttl 1h]

Serves a Kubernetes API stand-in with a simulated Flux until stopped (Ctrl-C).
Default token: ${DEFAULT_TOKEN}. Note: kubectl only sends tokens over TLS, so use --tls for kubectl.
With a local --git-repo, a GitHub API stand-in over it listens on port + 1000 (plain HTTP,
same token): pull requests from the repository's branches, merged into it for real.`;

/** The `cluster-sim` command. */
export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string', default: '16443' },
      host: { type: 'string', default: '127.0.0.1' },
      scenario: { type: 'string' },
      token: { type: 'string' },
      kubeconfig: { type: 'string' },
      tls: { type: 'boolean', default: false },
      'git-repo': { type: 'string' },
      'git-branch': { type: 'string', default: 'main' },
      'event-ttl': { type: 'string' },
      'webhook-url': { type: 'string' },
      'webhook-hmac-key': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const scenario: Scenario = values.scenario
    ? loadScenario(values.scenario)
    : { name: 'empty', clusters: [{ name: 'cluster-sim' }] };
  const webhookUrl = values['webhook-url'];
  const running = await startScenario(scenario, {
    port: Number(values.port),
    host: values.host,
    token: values.token,
    tls: values.tls,
    kubeconfigPath: values.kubeconfig,
    eventTtlMs: values['event-ttl']
      ? parseDuration(values['event-ttl'])
      : undefined,
    gitops: values['git-repo']
      ? { repo: values['git-repo'], branch: values['git-branch'] }
      : undefined,
    simulator: webhookUrl
      ? { webhook: { url: webhookUrl, hmacKey: values['webhook-hmac-key'] } }
      : undefined,
  });
  const [first, ...others] = running.clusters;
  console.log(
    `cluster-sim listening on ${first.url} (cluster ${first.name}, scenario ${scenario.name})`,
  );
  for (const c of others)
    console.log(`cluster-sim cluster ${c.name} listening on ${c.url}`);
  if (values.kubeconfig)
    console.log(`kubeconfig written to ${values.kubeconfig}`);
  if (first.gitops) {
    console.log(
      `reconciling from git ${values['git-repo']} (${values['git-branch']})`,
    );
  }
  if (first.scm) {
    console.log(
      `GitHub API stand-in: ${first.scm.githubApiBaseUrl} (pull requests at ${first.scm.url}/<owner>/<repo>/pulls, token ${first.scm.token})`,
    );
    first.scm.onViolation(message =>
      console.warn(`GitHub stand-in: request broke the API: ${message}`),
    );
  }
  console.log(
    `token: ${first.token}; fault control: POST ${first.url}/_sim/faults/<action>`,
  );

  const shutdown = async () => {
    await running.stop();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  await new Promise<never>(() => {});
}
