import { LoggerService } from '@backstage/backend-plugin-api';
import { NotificationService } from '@backstage/plugin-notifications-node';
import {
  Pipeline,
  Promotion,
  TargetDeployment,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import { PipelineStore } from '../database/PipelineStore';
import { objectKey, targetKey } from '../domain/objectKey';
import { at } from '../domain/time';
import { NotificationClaims } from './NotificationClaims';
import {
  PipelineNotice,
  deploymentNotice,
  pipelinesTab,
  gateOverrideNotice,
  promotionNotice,
} from './pipelineNotices';

/** Where a notice goes when no entity links the pipeline: the plugin's own page. */
const PIPELINES_PAGE = '/flux-pipelines';

export interface PipelineNotifierOptions {
  notifications: NotificationService;
  claims: NotificationClaims;
  /** The catalog entities linking a pipeline; their owners are told. */
  linkedEntities: { of(pipeline: Pipeline): Promise<string[]> };
  pipelines: Pick<PipelineStore, 'getPipeline' | 'listPipelines'>;
  /** Users and groups told of every approval waiting. */
  approvers: string[];
  logger: LoggerService;
  /** Outcomes older than this are old news (a cluster listed after downtime); default 1 hour. */
  maxAgeMs?: number;
  now?: () => Date;
}

/**
 * Tells people of a pipeline's states through Backstage notifications:
 * approvals waiting, promotions failed, pull requests opened, deployments
 * failed or rolled back. Each state is claimed before it is sent, so it is
 * sent once across replicas and restarts. Never throws: a notification that
 * cannot be sent is logged, and the state may be sent on its next repeat.
 */
export class PipelineNotifier {
  private readonly sending = new Set<Promise<void>>();

  private constructor(private readonly options: PipelineNotifierOptions) {}

  static create(options: PipelineNotifierOptions): PipelineNotifier {
    return new PipelineNotifier(options);
  }

  /** Hook for every change of a promotion's state. */
  promotionChanged(promotion: Promotion): void {
    const notices = [
      promotionNotice(promotion),
      gateOverrideNotice(promotion),
    ].filter((n): n is PipelineNotice => n !== undefined);
    if (!notices.length) return;
    this.track(async () => {
      const pipeline = await this.options.pipelines.getPipeline(
        promotion.pipelineNamespace,
        promotion.pipelineName,
      );
      if (!pipeline) return;
      for (const notice of notices) await this.send(pipeline, notice);
    });
  }

  /** Hook for every batch of deployments the ingest changed. */
  deploymentsChanged(changed: TargetDeployment[]): void {
    const oldest =
      (this.options.now?.() ?? new Date()).getTime() -
      (this.options.maxAgeMs ?? 60 * 60_000);
    const outcomes = changed.filter(
      d =>
        (d.status === 'failed' || d.status === 'rolled-back') &&
        at(d.updatedAt) >= oldest,
    );
    if (!outcomes.length) return;
    this.track(async () => {
      for (const pipeline of await this.options.pipelines.listPipelines()) {
        for (const d of outcomes) {
          const environment = pipeline.environments.find(e =>
            e.targets.some(t => targetKey(pipeline, t) === objectKey(d)),
          );
          const notice =
            environment && deploymentNotice(pipeline, environment.name, d);
          if (notice) await this.send(pipeline, notice);
        }
      }
    });
  }

  /** Resolves once every notification started so far was sent or given up. */
  async idle(): Promise<void> {
    while (this.sending.size) await Promise.all([...this.sending]);
  }

  private track(work: () => Promise<void>) {
    const done = work()
      .catch(error =>
        this.options.logger.warn(
          `Failed to prepare a flux-pipelines notification: ${error}`,
        ),
      )
      .finally(() => this.sending.delete(done));
    this.sending.add(done);
  }

  private async send(pipeline: Pipeline, notice: PipelineNotice) {
    const { claims, logger } = this.options;
    const owners = await this.options.linkedEntities.of(pipeline);
    const entityRef = [
      ...owners,
      ...(notice.audience === 'owners-and-approvers'
        ? this.options.approvers
        : []),
    ];
    const meta = {
      pipeline: `${pipeline.namespace}/${pipeline.name}`,
      subject: notice.subject,
    };
    if (!entityRef.length) {
      logger.info(
        'No one to notify: no catalog entity links the pipeline',
        meta,
      );
      return;
    }
    if (!(await claims.claim(notice.subject))) return;
    try {
      await this.options.notifications.send({
        recipients: { type: 'entity', entityRef },
        payload: {
          ...notice.payload,
          link: owners.length ? pipelinesTab(owners[0]) : PIPELINES_PAGE,
        },
      });
      logger.info(`Notified: ${notice.payload.title}`, meta);
    } catch (error) {
      await claims.release(notice.subject);
      logger.warn(
        `Failed to send the notification '${notice.payload.title}': ${error}`,
        meta,
      );
    }
  }
}
