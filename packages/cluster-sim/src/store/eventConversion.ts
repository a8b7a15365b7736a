import { KubeObject } from './types';

/**
 * core/v1 Event ↔ events.k8s.io/v1 Event. Both APIs show the same stored objects
 * (kept in core/v1 form) under different field names.
 */
export function coreEventToEventsV1(e: KubeObject): KubeObject {
  const out: KubeObject = {
    apiVersion: 'events.k8s.io/v1',
    kind: 'Event',
    metadata: e.metadata,
    eventTime: e.eventTime ?? null,
    reportingController: e.reportingComponent ?? e.source?.component ?? '',
    reportingInstance: e.reportingInstance ?? e.source?.host ?? '',
    action: e.action,
    reason: e.reason,
    regarding: e.involvedObject,
    related: e.related,
    note: e.message,
    type: e.type,
    deprecatedSource: e.source,
    deprecatedFirstTimestamp: e.firstTimestamp,
    deprecatedLastTimestamp: e.lastTimestamp,
    deprecatedCount: e.count,
    series: e.series,
  };
  return dropUndefined(out);
}

export function eventsV1ToCoreEvent(e: KubeObject): KubeObject {
  const out: KubeObject = {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: e.metadata,
    involvedObject: e.regarding ?? {},
    reason: e.reason,
    message: e.note,
    source:
      e.deprecatedSource ??
      (e.reportingController ? { component: e.reportingController } : {}),
    firstTimestamp: e.deprecatedFirstTimestamp,
    lastTimestamp: e.deprecatedLastTimestamp,
    count: e.deprecatedCount,
    type: e.type,
    eventTime: e.eventTime,
    series: e.series,
    action: e.action,
    related: e.related,
    reportingComponent: e.reportingController ?? '',
    reportingInstance: e.reportingInstance ?? '',
  };
  return dropUndefined(out);
}

/** Field selector names on events.k8s.io/v1 mapped onto the stored core/v1 fields. */
export const EVENTS_V1_FIELD_ALIASES: Record<string, string> = {
  'regarding.': 'involvedObject.',
  note: 'message',
  reportingController: 'reportingComponent',
  'deprecatedSource.': 'source.',
};

/** core/v1 accepts `source=<component>` as a shortcut field. */
export const CORE_EVENT_FIELD_ALIASES: Record<string, string> = {
  source: 'source.component',
};

function dropUndefined<T extends Record<string, any>>(obj: T): T {
  for (const k of Object.keys(obj)) if (obj[k] === undefined) delete obj[k];
  return obj;
}
