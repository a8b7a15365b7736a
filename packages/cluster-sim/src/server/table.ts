import { ResourceType } from '../store/resourceTypes';
import { KubeObject } from '../store/types';

/** kubectl asks for `as=Table` so the server decides the columns of `kubectl get`. */
export function wantsTable(accept: string | undefined): boolean {
  return !!accept && /as=Table/.test(accept.split(',')[0]);
}

interface Column {
  name: string;
  type: string;
  format?: string;
  value: (o: KubeObject, now: number) => unknown;
}

const age: Column = {
  name: 'Age',
  type: 'date',
  value: (o, now) => humanAge(o.metadata.creationTimestamp, now),
};
const ready: Column = {
  name: 'Ready',
  type: 'string',
  value: o => readyCondition(o)?.status ?? 'Unknown',
};
const status: Column = {
  name: 'Status',
  type: 'string',
  value: o => readyCondition(o)?.message ?? '',
};
const url: Column = {
  name: 'URL',
  type: 'string',
  value: o => o.spec?.url ?? '',
};

function columnsFor(type: ResourceType): Column[] {
  switch (type.kind) {
    case 'Namespace':
      return [
        { name: 'Status', type: 'string', value: o => o.status?.phase ?? '' },
        age,
      ];
    case 'Event':
      return [
        {
          name: 'Last Seen',
          type: 'string',
          value: (o, now) =>
            humanAge(
              o.lastTimestamp ?? o.deprecatedLastTimestamp ?? o.eventTime,
              now,
            ),
        },
        { name: 'Type', type: 'string', value: o => o.type },
        { name: 'Reason', type: 'string', value: o => o.reason },
        { name: 'Object', type: 'string', value: o => involved(o) },
        { name: 'Message', type: 'string', value: o => o.message ?? o.note },
      ];
    case 'GitRepository':
    case 'HelmRepository':
    case 'OCIRepository':
      return [url, age, ready, status];
    case 'Pipeline':
      return [age];
    case 'Canary':
      // Flagger's printer columns: STATUS WEIGHT LASTTRANSITIONTIME.
      return [
        { name: 'Status', type: 'string', value: o => o.status?.phase ?? '' },
        {
          name: 'Weight',
          type: 'integer',
          value: o => o.status?.canaryWeight ?? 0,
        },
        {
          name: 'LastTransitionTime',
          type: 'string',
          value: o => o.status?.lastTransitionTime ?? '',
        },
      ];
    case 'Secret':
      return [
        { name: 'Type', type: 'string', value: o => o.type ?? '' },
        {
          name: 'Data',
          type: 'integer',
          value: o => Object.keys(o.data ?? {}).length,
        },
        age,
      ];
    default:
      return [age, ready, status];
  }
}

export function toTable(
  type: ResourceType,
  items: KubeObject[],
  resourceVersion: string,
  now: number,
) {
  const columns = [
    {
      name: 'Name',
      type: 'string',
      format: 'name',
      value: (o: KubeObject) => o.metadata.name,
    },
    ...columnsFor(type),
  ];
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion },
    columnDefinitions: columns.map(c => ({
      name: c.name,
      type: c.type,
      format: c.format ?? '',
      description: '',
      priority: 0,
    })),
    rows: items.map(o => ({
      cells: columns.map(c => c.value(o, now) ?? ''),
      object: {
        kind: 'PartialObjectMetadata',
        apiVersion: 'meta.k8s.io/v1',
        metadata: o.metadata,
      },
    })),
  };
}

function readyCondition(o: KubeObject) {
  return (o.status?.conditions ?? []).find((c: any) => c.type === 'Ready');
}

function involved(o: KubeObject) {
  const ref = o.involvedObject ?? o.regarding ?? {};
  return `${String(ref.kind ?? '').toLowerCase()}/${ref.name ?? ''}`;
}

/** Like Kubernetes' duration.HumanDuration: `45s`, `5m`, `3h`, `2d`. */
export function humanAge(timestamp: string | undefined, now: number): string {
  if (!timestamp) return '<unknown>';
  const s = Math.max(0, Math.floor((now - Date.parse(timestamp)) / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return s % 60 ? `${m}m${s % 60}s` : `${m}m`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 8) return m % 60 ? `${h}h${m % 60}m` : `${h}h`;
  if (h < 48) return `${h}h`;
  return `${Math.floor(h / 24)}d`;
}
