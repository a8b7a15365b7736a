import { LoggerService } from '@backstage/backend-plugin-api';
import {
  AuthenticationError,
  InputError,
  NotFoundError,
} from '@backstage/errors';
import express from 'express';
import Router from 'express-promise-router';
import { DeploymentTracker } from '../correlate/DeploymentTracker';
import {
  OwningControllers,
  RefusalWarnings,
  normaliseWebhook,
  occurrenceKey,
} from '../ingest';
import { verifySignature } from './verifySignature';

/** Largest webhook body accepted; Flux events are a few kilobytes. */
export const WEBHOOK_BODY_LIMIT = '256kb';

/**
 * `POST /webhook/:cluster`: Flux notification-controller events (provider
 * `generic-hmac`). Every cluster has its own mandatory HMAC key, so a body
 * signed for one cluster is refused for another.
 */
export function createWebhookRouter(options: {
  hmacKeyFor(cluster: string): string | undefined;
  tracker: DeploymentTracker;
  logger: LoggerService;
  /** Per kind, the controllers whose events count (default: Flux's own). */
  controllers?: OwningControllers;
}): express.Router {
  const router = Router();
  const refusals = new RefusalWarnings({ logger: options.logger });
  router.post(
    '/webhook/:cluster',
    express.raw({ type: () => true, limit: WEBHOOK_BODY_LIMIT }),
    async (req, res) => {
      const cluster = req.params.cluster;
      const key = options.hmacKeyFor(cluster);
      if (!key) {
        throw new NotFoundError(
          `No webhook is configured for cluster '${cluster}'`,
        );
      }
      const body: Buffer = Buffer.isBuffer(req.body)
        ? req.body
        : Buffer.alloc(0);
      if (!verifySignature(req.header('x-signature'), body, key)) {
        throw new AuthenticationError(
          `Missing or wrong X-Signature for the webhook of cluster '${cluster}'`,
        );
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(body.toString('utf8'));
      } catch {
        throw new InputError('The webhook body is not JSON');
      }
      const result = normaliseWebhook(parsed, {
        cluster,
        controllers: options.controllers,
        reportedBy: req.header('gotk-component'),
      });
      if (!result.ok) {
        const label = result.object ?? 'an unknown object';
        const message = `Refused a webhook event from cluster ${cluster} for ${label}: ${result.reason}`;
        if (result.rule) {
          refusals.warn(`${cluster}/${label}`, message, {
            cluster,
            object: label,
            rule: result.rule,
          });
          throw new InputError(`Not evidence: ${result.reason}`);
        }
        options.logger.warn(message);
        throw new InputError(`Not a Flux event: ${result.reason}`);
      }
      const recorded = await options.tracker.ingest(
        result.observations.map(observation => ({
          observation,
          occurrenceKey: occurrenceKey(observation),
        })),
      );
      res.status(202).json({
        recorded: recorded.length,
        duplicates: result.observations.length - recorded.length,
        ...(result.ignored ? { ignored: result.ignored } : {}),
      });
    },
  );
  return router;
}
