import { ClusterHealth } from '@flux-pipelines/plugin-flux-pipelines-common';
import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { PipelineOverview } from '../../hooks/usePipelinesOverview';
import {
  describeSummary,
  summarizeEnvironment,
} from '../shared/environmentSummary';
import { StatusIcon, StatusLabel, TARGET_STATUS } from '../shared/status';
import { describeFlag, PipelineFlag } from './pipelineFlags';

/** Every environment name, in the order pipelines list them. */
export function environmentColumns(rows: PipelineOverview[]): string[] {
  const columns: string[] = [];
  rows.forEach(({ pipeline }) =>
    pipeline.environments.forEach((environment, index) => {
      if (columns.includes(environment.name)) return;
      const previous = pipeline.environments[index - 1]?.name;
      const at = previous ? columns.indexOf(previous) + 1 : columns.length;
      columns.splice(at > 0 ? at : columns.length, 0, environment.name);
    }),
  );
  return columns;
}

/** Pipelines × environments: the version each environment runs, its status, and the flags. */
export const PipelineMatrix = ({
  rows,
  unreachable,
}: {
  rows: Array<PipelineOverview & { flags: PipelineFlag[] }>;
  unreachable: Map<string, ClusterHealth>;
}) => {
  const columns = environmentColumns(rows);
  return (
    <Table aria-label="Pipelines by environment">
      <TableHead>
        <TableRow>
          <TableCell>Pipeline</TableCell>
          {columns.map(column => (
            <TableCell key={column}>{column}</TableCell>
          ))}
          <TableCell>Attention</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {rows.map(({ pipeline, flags }) => (
          <TableRow key={`${pipeline.namespace}/${pipeline.name}`}>
            <TableCell component="th" scope="row">
              <Typography variant="body2">
                {pipeline.namespace}/{pipeline.name}
              </Typography>
              <Typography variant="caption" color="textSecondary">
                {pipeline.appRef.kind} {pipeline.appRef.name}
              </Typography>
            </TableCell>
            {columns.map(column => {
              const environment = pipeline.environments.find(
                e => e.name === column,
              );
              if (!environment) {
                return (
                  <TableCell key={column} aria-label="not in this pipeline">
                    —
                  </TableCell>
                );
              }
              const summary = summarizeEnvironment(environment, unreachable);
              return (
                <TableCell key={column}>
                  <Box display="flex" alignItems="center" style={{ gap: 4 }}>
                    <StatusIcon status={TARGET_STATUS[summary.state]} />
                    <span>{describeSummary(summary)}</span>
                  </Box>
                </TableCell>
              );
            })}
            <TableCell>
              {flags.map(flag => (
                <Typography
                  key={`${flag.kind}-${flag.environment}`}
                  variant="body2"
                  component="div"
                >
                  <StatusLabel
                    status={{
                      kind: flag.kind === 'failing' ? 'error' : 'warning',
                      label: describeFlag(flag),
                    }}
                  />
                </Typography>
              ))}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
};
