import { Table, TableColumn } from '@backstage/core-components';
import {
  EXECUTION_STATUSES,
  ExecutionStatus,
  PipelineExecution,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import Box from '@material-ui/core/Box';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { memo, useState } from 'react';
import {
  ExecutionDeploymentsFilter,
  PipelineRef,
} from '../../api/FluxPipelinesApi';
import { useExecutions } from '../../hooks/useExecutions';
import { describeError } from '../shared/describeError';
import { formatDuration } from '../shared/formatTime';
import { EXECUTION_STATUS, StatusLabel } from '../shared/status';
import { Timestamp } from '../shared/Timestamp';
import { ExecutionChangeSources } from '../PipelineCard/ChangeSource';
import { EnvironmentChips } from './EnvironmentChips';
import { PromotionList } from './PromotionList';

/** Rows per page to start with. */
export const DEFAULT_PAGE_SIZE = 10;

const columns: TableColumn<PipelineExecution>[] = [
  {
    title: 'Version',
    field: 'chartVersion',
    render: execution => (
      <>
        <Typography variant="body2">{execution.chartVersion}</Typography>
        {execution.appVersion && (
          <Typography variant="caption" color="textSecondary">
            app {execution.appVersion}
          </Typography>
        )}
        {execution.skipped && (
          <Typography variant="caption" color="error" component="div">
            {execution.chartVersion} skipped {execution.skipped.join(', ')}
          </Typography>
        )}
      </>
    ),
  },
  {
    title: 'Status',
    field: 'status',
    render: execution => (
      <StatusLabel status={EXECUTION_STATUS[execution.status]} />
    ),
  },
  {
    title: 'Started',
    field: 'startedAt',
    render: execution =>
      execution.startedAt ? <Timestamp iso={execution.startedAt} /> : '—',
  },
  {
    title: 'Environments',
    render: execution => (
      <EnvironmentChips environments={execution.environments} />
    ),
  },
  {
    title: 'Lead time',
    field: 'leadTimeMs',
    render: execution =>
      execution.leadTimeMs !== undefined
        ? formatDuration(execution.leadTimeMs)
        : '—',
  },
  {
    title: 'Source',
    render: execution => <ExecutionChangeSources execution={execution} />,
  },
  {
    title: 'Promotions',
    render: execution => (
      <PromotionList promotions={execution.promotions ?? []} />
    ),
  },
];

/**
 * A pipeline's executions (each version's journey through the environments),
 * newest first, paged and filtered on the server; with `deployments`, only
 * the versions (and, in that environment, the deployments) an insights
 * figure counts. Memoised: a reload of the cards above does not draw it again.
 */
export const ExecutionHistory = memo(function ExecutionHistoryView({
  pipeline,
  deployments,
}: {
  pipeline: PipelineRef;
  deployments?: ExecutionDeploymentsFilter;
}) {
  const [page, setPage] = useState(0);
  const [pageSize, setPageSize] = useState(DEFAULT_PAGE_SIZE);
  const [status, setStatus] = useState<ExecutionStatus | ''>('');
  const { value, loading, error } = useExecutions(pipeline, {
    limit: pageSize,
    offset: page * pageSize,
    status: status || undefined,
    deployments,
  });

  return (
    <Table<PipelineExecution>
      title={
        <Box display="flex" alignItems="center" style={{ gap: 16 }}>
          <Typography variant="h6" component="h3">
            Execution history
          </Typography>
          <TextField
            select
            id={`flux-pipelines-status-${pipeline.namespace}-${pipeline.name}`}
            size="small"
            variant="outlined"
            label="Status"
            value={status}
            style={{ minWidth: 160 }}
            onChange={e => {
              setStatus(e.target.value as ExecutionStatus | '');
              setPage(0);
            }}
          >
            <MenuItem value="">All</MenuItem>
            {EXECUTION_STATUSES.map(s => (
              <MenuItem key={s} value={s}>
                {EXECUTION_STATUS[s].label}
              </MenuItem>
            ))}
          </TextField>
        </Box>
      }
      options={{
        search: false,
        paging: true,
        pageSize,
        pageSizeOptions: [5, 10, 25, 50],
        padding: 'dense',
        sorting: false,
        draggable: false,
      }}
      columns={columns}
      data={value?.items ?? []}
      page={page}
      totalCount={value?.totalCount ?? 0}
      onPageChange={(newPage, newPageSize) => {
        if (newPageSize !== pageSize) {
          setPageSize(newPageSize);
          setPage(0);
        } else {
          setPage(newPage);
        }
      }}
      isLoading={loading && !value}
      emptyContent={
        <Box p={2}>
          <Typography variant="body2" color={error ? 'error' : 'textSecondary'}>
            {error
              ? `Could not load the execution history: ${describeError(error)}`
              : 'No executions yet.'}
          </Typography>
        </Box>
      }
    />
  );
});
