import { ConflictError, ServiceUnavailableError } from '@backstage/errors';
import { createHmac } from 'node:crypto';
import {
  PromotionContext,
  PromotionOutcome,
  PromotionStrategy,
} from '../types';

/** The body POSTed by the notification strategy. */
export interface PromotionNotification {
  type: 'flux-pipelines.promotion';
  promotionId: string;
  pipeline: { namespace: string; name: string };
  environment: string;
  fromEnvironment?: string;
  version: string;
  appVersion?: string;
  trigger: string;
  requestedBy: string;
  approvedBy?: string;
  app: { kind: string; name: string };
  /** Where the version goes: the environment's targets. */
  targets: Array<{ cluster: string; namespace: string }>;
}

/**
 * POSTs a signed promotion event to a URL from configuration, for teams
 * whose CI makes the change. The signature is `X-Signature: sha256=<hex>`
 * of the HMAC-SHA256 of the raw body, as Flux's `generic-hmac` provider
 * signs, with the configured key or else the `hmac-key` of the strategy's
 * `secretRef` Secret; the promotion id lets the receiver drop repeats.
 */
export class NotificationStrategy implements PromotionStrategy {
  constructor(
    private readonly target: { url: string; hmacKey?: string },
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  async preview(): Promise<undefined> {
    return undefined;
  }

  async promote(context: PromotionContext): Promise<PromotionOutcome> {
    const { promotion, pipeline } = context;
    const env = pipeline.environments.find(
      e => e.name === promotion.environment,
    );
    const notification: PromotionNotification = {
      type: 'flux-pipelines.promotion',
      promotionId: promotion.id,
      pipeline: { namespace: pipeline.namespace, name: pipeline.name },
      environment: promotion.environment,
      ...(promotion.fromEnvironment
        ? { fromEnvironment: promotion.fromEnvironment }
        : {}),
      version: promotion.version,
      ...(promotion.appVersion ? { appVersion: promotion.appVersion } : {}),
      trigger: promotion.trigger,
      requestedBy: promotion.requestedBy,
      ...(promotion.approvedBy ? { approvedBy: promotion.approvedBy } : {}),
      app: { kind: pipeline.appRef.kind, name: pipeline.appRef.name },
      targets: env?.targets ?? [],
    };
    const hmacKey =
      this.target.hmacKey ?? context.credentials?.hmacKey?.reveal();
    if (!hmacKey) {
      throw new ConflictError(
        `The notification for pipeline ${pipeline.namespace}/${pipeline.name} cannot be signed: set fluxPipelines.promotion.notification.hmacKey in app-config, or name a Secret with an 'hmac-key' key by the Pipeline's spec.promotion.strategy.secretRef`,
      );
    }
    const body = JSON.stringify(notification);
    const signature = createHmac('sha256', hmacKey).update(body).digest('hex');
    let response: Response;
    try {
      response = await this.fetchImpl(this.target.url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'X-Signature': `sha256=${signature}`,
          'Idempotency-Key': promotion.id,
        },
        body,
        signal: AbortSignal.timeout(15_000),
      });
    } catch (error) {
      throw new ServiceUnavailableError(
        `Promotion notification to ${new URL(this.target.url).origin} failed: ${
          (error as Error).message
        }`,
      );
    }
    if (!response.ok) {
      throw new ServiceUnavailableError(
        `Promotion notification to ${
          new URL(this.target.url).origin
        } was refused: HTTP ${response.status}`,
      );
    }
    return { state: 'notified' };
  }
}
