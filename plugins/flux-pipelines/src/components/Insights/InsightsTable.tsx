import { Table, TableColumn } from '@backstage/core-components';
import {
  EnvironmentInsights,
  InsightsResponse,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import Tooltip from '@material-ui/core/Tooltip';
import { formatCount, formatMs, formatRate } from './insightsFormat';

interface Row {
  id: string;
  pipeline: string;
  environment: string;
  perDay: number;
  leadMs: number | null;
  leadP90Ms: number | null;
  rate: number | null;
  restoreMs: number | null;
  durationMs: number | null;
  insights: EnvironmentInsights;
}

/** Every row's figures are computed alike: the definitions, from any row. */
function definitionsOf(e?: EnvironmentInsights): Record<string, string> {
  const of = (figure?: { definition: string }) => figure?.definition ?? '';
  return {
    deploymentFrequency: of(e?.deploymentFrequency),
    leadTime: of(e?.leadTime),
    changeFailureRate: of(e?.changeFailureRate),
    timeToRestore: of(e?.timeToRestore),
    deploymentDuration: of(e?.deploymentDuration),
  };
}

/** A column header that says how its figure is computed. */
const header = (title: string, definition: string) => (
  <Tooltip title={definition}>
    <span aria-label={`${title}: ${definition}`}>{title}</span>
  </Tooltip>
);

const columns = (definitions: Record<string, string>): TableColumn<Row>[] => [
  { title: 'Pipeline', field: 'pipeline', defaultSort: 'asc' },
  { title: 'Environment', field: 'environment', sorting: false },
  {
    title: header('Deploys / day', definitions.deploymentFrequency),
    field: 'perDay',
    type: 'numeric',
    render: r => formatCount(r.perDay),
  },
  {
    title: header('Lead time', definitions.leadTime),
    field: 'leadMs',
    type: 'numeric',
    render: r => `${formatMs(r.leadMs)} (p90 ${formatMs(r.leadP90Ms)})`,
  },
  {
    title: header('Change failure rate', definitions.changeFailureRate),
    field: 'rate',
    type: 'numeric',
    render: r => formatRate(r.rate),
  },
  {
    title: header('Time to restore', definitions.timeToRestore),
    field: 'restoreMs',
    type: 'numeric',
    render: r => formatMs(r.restoreMs),
  },
  {
    title: header('Deployment duration', definitions.deploymentDuration),
    field: 'durationMs',
    type: 'numeric',
    render: r => formatMs(r.durationMs),
  },
];

/** One row per pipeline and environment: the headline figures, sortable. */
export const InsightsTable = ({ insights }: { insights: InsightsResponse }) => {
  const rows: Row[] = insights.pipelines.flatMap(p =>
    p.environments.map(e => ({
      id: `${p.namespace}/${p.name}/${e.environment}`,
      pipeline: `${p.namespace}/${p.name}`,
      environment: e.environment,
      perDay: e.deploymentFrequency.perDay,
      leadMs: e.leadTime.medianMs,
      leadP90Ms: e.leadTime.p90Ms,
      rate: e.changeFailureRate.rate,
      restoreMs: e.timeToRestore.medianMs,
      durationMs: e.deploymentDuration.medianMs,
      insights: e,
    })),
  );
  return (
    <Table<Row>
      options={{
        search: false,
        paging: false,
        padding: 'dense',
        toolbar: false,
        draggable: false,
      }}
      columns={columns(definitionsOf(rows[0]?.insights))}
      data={rows}
    />
  );
};
