import { z } from 'zod';
import { eventDedupKey } from './dedup';
import { objectLabel, observationFromEvent } from './eventObservation';
import { zodReason } from './normaliseCoreEvent';
import {
  NormaliseContext,
  NormaliseResult,
  neverThrows,
  rejected,
} from './types';
import { MAX_NAME_CHARS, field, firstTime, int, str } from './values';

/**
 * events.k8s.io/v1 names the same things differently (FLUX.md §3):
 * regarding↔involvedObject, note↔message, deprecatedCount↔count,
 * deprecatedLastTimestamp↔lastTimestamp. A series keeps the first note.
 */
const eventsV1Schema = z.object({
  regarding: z.object({ kind: z.string(), name: z.string() }),
  reason: z.string(),
  note: z.string().optional(),
});

function impl(input: unknown, ctx: NormaliseContext): NormaliseResult {
  const parsed = eventsV1Schema.safeParse(input);
  const regarding = field(input, 'regarding');
  if (!parsed.success) {
    return rejected(
      zodReason('events.k8s.io/v1 Event', parsed.error),
      objectLabel(regarding),
    );
  }
  const meta = field(input, 'metadata');
  const series = field(input, 'series');
  const namespace =
    str(field(meta, 'namespace'), MAX_NAME_CHARS) ??
    str(field(regarding, 'namespace'), MAX_NAME_CHARS) ??
    '';
  const eventId =
    str(field(meta, 'name'), MAX_NAME_CHARS) ?? str(field(meta, 'uid'), 128);
  const count =
    int(field(series, 'count')) ?? int(field(input, 'deprecatedCount')) ?? 1;
  return observationFromEvent(
    {
      cluster: ctx.cluster,
      involvedObject: regarding,
      reason: field(input, 'reason'),
      message: field(input, 'note') ?? '',
      severity: field(input, 'type'),
      metadata: field(meta, 'annotations'),
      time: firstTime(
        field(series, 'lastObservedTime'),
        field(input, 'deprecatedLastTimestamp'),
        field(input, 'eventTime'),
        field(input, 'deprecatedFirstTimestamp'),
        field(meta, 'creationTimestamp'),
      ),
      source: 'events.k8s.io',
      reportedBy: [
        field(input, 'reportingController'),
        field(field(input, 'deprecatedSource'), 'component'),
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

/** An events.k8s.io/v1 Event → at most one observation. Never throws. */
export const normaliseEventsV1: (
  input: unknown,
  ctx: NormaliseContext,
) => NormaliseResult = neverThrows('normaliseEventsV1', impl);
