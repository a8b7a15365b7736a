import { z } from 'zod';
import { eventDedupKey } from './dedup';
import { objectLabel, observationFromEvent } from './eventObservation';
import {
  NormaliseContext,
  NormaliseResult,
  neverThrows,
  rejected,
} from './types';
import { MAX_NAME_CHARS, field, firstTime, int, str } from './values';

/** The fields of a core/v1 Event we rely on; the rest is read leniently. */
const coreEventSchema = z.object({
  involvedObject: z.object({ kind: z.string(), name: z.string() }),
  reason: z.string(),
  message: z.string(),
});

/** Short description of the first zod issue, for the warning. */
export function zodReason(what: string, error: z.ZodError): string {
  const issue = error.issues[0];
  const path = issue?.path.join('.') || '(root)';
  return `malformed ${what}: ${path}: ${issue?.message ?? 'invalid'}`.slice(
    0,
    300,
  );
}

function impl(input: unknown, ctx: NormaliseContext): NormaliseResult {
  const parsed = coreEventSchema.safeParse(input);
  const involved = field(input, 'involvedObject');
  if (!parsed.success) {
    return rejected(
      zodReason('core/v1 Event', parsed.error),
      objectLabel(involved),
    );
  }
  const meta = field(input, 'metadata');
  const series = field(input, 'series');
  const namespace =
    str(field(meta, 'namespace'), MAX_NAME_CHARS) ??
    str(field(involved, 'namespace'), MAX_NAME_CHARS) ??
    '';
  const eventId =
    str(field(meta, 'name'), MAX_NAME_CHARS) ?? str(field(meta, 'uid'), 128);
  const count = int(field(series, 'count')) ?? int(field(input, 'count')) ?? 1;
  return observationFromEvent(
    {
      cluster: ctx.cluster,
      involvedObject: involved,
      reason: field(input, 'reason'),
      message: field(input, 'message'),
      severity: field(input, 'type'),
      metadata: field(meta, 'annotations'),
      time: firstTime(
        field(series, 'lastObservedTime'),
        field(input, 'lastTimestamp'),
        field(input, 'eventTime'),
        field(input, 'firstTimestamp'),
        field(meta, 'creationTimestamp'),
      ),
      source: 'event',
      reportedBy: [
        field(field(input, 'source'), 'component'),
        field(input, 'reportingComponent'),
      ],
      repeated: count > 1,
      dedupKey: obs =>
        eventId
          ? eventDedupKey(ctx.cluster, namespace, eventId, count)
          : `event:${ctx.cluster}/${namespace}/nameless-${obs.reason}-${obs.time}/${count}`,
    },
    ctx,
  );
}

/**
 * A core/v1 Event (as listed or watched) → at most one observation. Only
 * HelmRelease and Kustomization events count; trace events and other kinds are
 * ignored. Never throws.
 */
export const normaliseCoreEvent: (
  input: unknown,
  ctx: NormaliseContext,
) => NormaliseResult = neverThrows('normaliseCoreEvent', impl);
