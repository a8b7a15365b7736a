import { parseEntityRef } from '@backstage/catalog-model';
import {
  Pipeline,
  Promotion,
  PromotionState,
  TargetDeployment,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import { NotificationSendOptions } from '@backstage/plugin-notifications-node';
import { isAutomaticRollback } from '../domain/currentPromotion';
import { objectKey } from '../domain/objectKey';

/** Who hears of a state: the owners of the linked entities, and for approvals the configured approvers too. */
export type NoticeAudience = 'owners' | 'owners-and-approvers';

/** What to tell about one state of a pipeline, before its recipients and link are known. */
export interface PipelineNotice {
  /** The state's identity: claimed once, so it is sent once. */
  subject: string;
  audience: NoticeAudience;
  pipeline: Pick<Pipeline, 'namespace' | 'name'>;
  payload: Omit<NotificationSendOptions['payload'], 'link'>;
}

/** The topic of a pipeline's notifications, which a person can mute. */
export function pipelineTopic(pipeline: Pick<Pipeline, 'namespace' | 'name'>) {
  return `flux-pipelines:${pipeline.namespace}/${pipeline.name}`;
}

/** The Pipelines tab of an entity's page, as the frontend routes it. */
export function pipelinesTab(entityRef: string): string {
  const { kind, namespace, name } = parseEntityRef(entityRef);
  return `/catalog/${[namespace, kind]
    .map(p => encodeURIComponent(p.toLocaleLowerCase('en-US')))
    .join('/')}/${encodeURIComponent(name)}/flux-pipelines`;
}

/** The first line of a controller's or a strategy's message, kept short. */
function firstLine(message: string | undefined): string {
  const line = (message ?? '').split('\n')[0].trim();
  return line.length > 300 ? `${line.slice(0, 299)}…` : line;
}

type Severity = 'high' | 'normal' | 'low';

/** What each notified promotion state says: audience, severity, title and description. */
const PROMOTION_STATES: Partial<
  Record<
    PromotionState,
    (p: Promotion, route: string) => [NoticeAudience, Severity, string, string]
  >
> = {
  'waiting-approval': (p, route) => [
    'owners-and-approvers',
    'normal',
    `Approval needed: ${p.pipelineName} ${p.version} to ${p.environment}`,
    `${
      p.requestedBy === 'pipeline' ? 'Automatic promotion' : p.requestedBy
    } asked to promote ${route}; it waits for approval.`,
  ],
  'pr-open': (p, route) => [
    'owners',
    'low',
    `Pull request opened: ${p.pipelineName} ${p.version} to ${p.environment}`,
    `The promotion of ${route} opened ${p.pullRequestUrl ?? 'a pull request'}.`,
  ],
  failed: (p, route) => [
    'owners',
    'high',
    `Promotion failed: ${p.pipelineName} ${p.version} to ${p.environment}`,
    `The promotion of ${route} failed: ${firstLine(p.error)}`,
  ],
};

/** An automatic rollback, when it is asked for (the reason says why). */
const rolledBackAutomatically = (
  p: Promotion,
): [NoticeAudience, Severity, string, string] => [
  'owners',
  'high',
  `Rolled back automatically: ${p.pipelineName} ${p.environment} to ${p.version}`,
  `${p.environment} of pipeline ${p.pipelineNamespace}/${p.pipelineName} goes back to ${p.version} (${p.reason}); automatic promotion into it is held until released.`,
];

/** The notice for a promotion's new state; none for states nobody waits to hear of. */
export function promotionNotice(p: Promotion): PipelineNotice | undefined {
  const automaticRollback = isAutomaticRollback(p) && p.state === 'requested';
  const describe = automaticRollback
    ? rolledBackAutomatically
    : PROMOTION_STATES[p.state];
  if (!describe) return undefined;
  const pipeline = { namespace: p.pipelineNamespace, name: p.pipelineName };
  const from = p.fromEnvironment ? ` from ${p.fromEnvironment}` : '';
  const [audience, severity, title, description] = describe(
    p,
    `${p.version}${from} to ${p.environment} in pipeline ${p.pipelineNamespace}/${p.pipelineName}`,
  );
  return {
    subject: `promotion:${p.id}:${p.state}`,
    audience,
    pipeline,
    payload: {
      title,
      description,
      severity,
      topic: pipelineTopic(pipeline),
      // One promotion, one notification: a later state updates it.
      scope: `promotion:${p.id}`,
    },
  };
}

/**
 * The notice that a promotion went through failing gates (once per
 * promotion, a notification of its own beside the promotion's states).
 */
export function gateOverrideNotice(p: Promotion): PipelineNotice | undefined {
  const gates = p.overriddenGates ?? [];
  if (!gates.length) return undefined;
  const pipeline = { namespace: p.pipelineNamespace, name: p.pipelineName };
  const by =
    p.approvedBy && p.approvedBy !== p.requestedBy
      ? p.approvedBy
      : p.requestedBy;
  return {
    subject: `promotion:${p.id}:gates-overridden`,
    audience: 'owners',
    pipeline,
    payload: {
      title: `Gate overridden: ${p.pipelineName} ${p.version} to ${p.environment}`,
      description: `${by} promoted ${p.version} to ${
        p.environment
      } in pipeline ${p.pipelineNamespace}/${p.pipelineName} through ${gates
        .map(g => `${g.gate} (${g.reason})`)
        .join(', ')}.`,
      severity: 'high',
      topic: pipelineTopic(pipeline),
      scope: `promotion:${p.id}:gates-overridden`,
    },
  };
}

/** The notice for a deployment that failed or was rolled back in an environment; none for other outcomes. */
export function deploymentNotice(
  pipeline: Pick<Pipeline, 'namespace' | 'name'>,
  environment: string,
  d: TargetDeployment,
): PipelineNotice | undefined {
  if (d.status !== 'failed' && d.status !== 'rolled-back') return undefined;
  const key = objectKey(d, d.chartVersion);
  const outcome = d.status === 'failed' ? 'failed' : 'was rolled back';
  const app = `${pipeline.namespace}/${pipeline.name}`;
  const scope = `deployment:${app}:${key}`;
  return {
    subject: `${scope}:${d.status}`,
    audience: 'owners',
    pipeline,
    payload: {
      title: `${pipeline.name} ${d.chartVersion} ${outcome} in ${environment}`,
      description: `${d.kind} ${d.namespace}/${d.name} on cluster ${
        d.cluster
      } (pipeline ${app}): ${firstLine(d.message) || d.status}`,
      severity: 'high',
      topic: pipelineTopic(pipeline),
      // Failed, then rolled back: one notification, updated.
      scope,
    },
  };
}
