import { parseEntityRef } from '@backstage/catalog-model';
import {
  Pipeline,
  Promotion,
  TargetDeployment,
} from '@internal/plugin-flux-pipelines-common';
import { NotificationSendOptions } from '@backstage/plugin-notifications-node';
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

/** The notice for a promotion's new state; none for states nobody waits to hear of. */
export function promotionNotice(p: Promotion): PipelineNotice | undefined {
  const pipeline = { namespace: p.pipelineNamespace, name: p.pipelineName };
  const base = {
    subject: `promotion:${p.id}:${p.state}`,
    pipeline,
    // One promotion, one notification: a later state updates it.
    scope: `promotion:${p.id}`,
  };
  const app = `${p.pipelineNamespace}/${p.pipelineName}`;
  const from = p.fromEnvironment ? ` from ${p.fromEnvironment}` : '';
  const text = (
    title: string,
    description: string,
    severity: 'high' | 'normal' | 'low',
  ) => ({ title, description, severity, topic: pipelineTopic(pipeline) });
  switch (p.state) {
    case 'waiting-approval':
      return {
        ...base,
        audience: 'owners-and-approvers',
        payload: {
          scope: base.scope,
          ...text(
            `Approval needed: ${p.pipelineName} ${p.version} to ${p.environment}`,
            `${p.requestedBy} asked to promote ${p.version}${from} to ${p.environment} in pipeline ${app}; it waits for approval.`,
            'normal',
          ),
        },
      };
    case 'pr-open':
      return {
        ...base,
        audience: 'owners',
        payload: {
          scope: base.scope,
          ...text(
            `Pull request opened: ${p.pipelineName} ${p.version} to ${p.environment}`,
            `The promotion of ${p.version}${from} to ${
              p.environment
            } in pipeline ${app} opened ${
              p.pullRequestUrl ?? 'a pull request'
            }.`,
            'low',
          ),
        },
      };
    case 'failed':
      return {
        ...base,
        audience: 'owners',
        payload: {
          scope: base.scope,
          ...text(
            `Promotion failed: ${p.pipelineName} ${p.version} to ${p.environment}`,
            `The promotion of ${p.version}${from} to ${
              p.environment
            } in pipeline ${app} failed: ${firstLine(p.error)}`,
            'high',
          ),
        },
      };
    default:
      return undefined;
  }
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
