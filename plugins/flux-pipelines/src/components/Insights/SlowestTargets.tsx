import { Table, TableColumn } from '@backstage/core-components';
import { InsightsSlowTarget } from '@flux-pipelines/plugin-flux-pipelines-common';
import { useMemo } from 'react';
import { formatMs } from './insightsFormat';

const columns: TableColumn<InsightsSlowTarget>[] = [
  { title: 'Cluster', field: 'cluster' },
  { title: 'Namespace', field: 'namespace' },
  {
    title: 'Median',
    field: 'medianMs',
    defaultSort: 'desc',
    render: t => formatMs(t.medianMs),
  },
  { title: 'p90', field: 'p90Ms', render: t => formatMs(t.p90Ms) },
  { title: 'Deployments', field: 'n', type: 'numeric' },
];

/** The environment's slowest targets by median deployment duration; sortable. */
export const SlowestTargets = ({
  targets,
  environment,
}: {
  targets: InsightsSlowTarget[];
  environment: string;
}) => {
  // material-table writes its own state into rows: give it copies.
  const rows = useMemo(() => targets.map(t => ({ ...t })), [targets]);
  return (
    <Table<InsightsSlowTarget>
      title={`Slowest targets in ${environment}`}
      options={{
        search: false,
        paging: false,
        padding: 'dense',
        toolbar: true,
        draggable: false,
      }}
      columns={columns}
      data={rows}
    />
  );
};
