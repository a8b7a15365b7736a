import { z } from 'zod';
import { stableHash } from './dedup';
import { objectLabel, observationFromEvent } from './eventObservation';
import { zodReason } from './normaliseCoreEvent';
import {
  NormaliseContext,
  NormaliseResult,
  neverThrows,
  rejected,
} from './types';
import { field, firstStr, firstTime, str } from './values';

/** A notification-controller generic webhook body (FLUX.md §4). */
const webhookSchema = z.object({
  involvedObject: z.object({ kind: z.string(), name: z.string() }),
  reason: z.string(),
  message: z.string(),
  timestamp: z.string(),
});

function impl(body: unknown, ctx: NormaliseContext): NormaliseResult {
  const parsed = webhookSchema.safeParse(body);
  const involved = field(body, 'involvedObject');
  if (!parsed.success) {
    return rejected(
      zodReason('webhook body', parsed.error),
      objectLabel(involved),
    );
  }
  const metadata = field(body, 'metadata');
  return observationFromEvent(
    {
      cluster: ctx.cluster,
      involvedObject: involved,
      reason: field(body, 'reason'),
      message: field(body, 'message'),
      severity: field(body, 'severity'),
      metadata,
      time: firstTime(field(body, 'timestamp')),
      source: 'webhook',
      reportedBy: [field(body, 'reportingController')],
      // No event uid or count in a webhook: hash what identifies the emission.
      dedupKey: () =>
        `webhook:${stableHash([
          ctx.cluster,
          str(field(involved, 'uid'), 128),
          str(field(involved, 'kind')),
          str(field(involved, 'namespace')),
          str(field(involved, 'name')),
          parsed.data.reason,
          parsed.data.message,
          parsed.data.timestamp,
          firstStr(metadata, [
            'revision',
            'helm.toolkit.fluxcd.io/revision',
            'kustomize.toolkit.fluxcd.io/revision',
          ]),
        ])}`,
    },
    ctx,
  );
}

/**
 * A notification-controller webhook body → at most one observation. Accepts
 * both metadata key styles (`revision`, Flux ≥ 2.5, and
 * `helm.toolkit.fluxcd.io/revision`) and legacy v2beta1 bodies whose reason is
 * the severity. The caller checks the signature first. Never throws.
 */
export const normaliseWebhook: (
  body: unknown,
  ctx: NormaliseContext,
) => NormaliseResult = neverThrows('normaliseWebhook', impl);
