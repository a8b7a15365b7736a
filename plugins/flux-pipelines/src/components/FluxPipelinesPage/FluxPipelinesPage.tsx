import {
  Content,
  ContentHeader,
  EmptyState,
  Header,
  InfoCard,
  Page,
  Progress,
  ResponseErrorPanel,
  WarningPanel,
} from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import { useMemo, useState } from 'react';
import { useUnreachableClusters } from '../../hooks/useClusterHealth';
import { usePipelinesOverview } from '../../hooks/usePipelinesOverview';
import { PipelineMatrix } from './PipelineMatrix';
import { pipelineFlags } from './pipelineFlags';

type Filter = 'all' | 'failing' | 'skewed';

/**
 * All pipelines at a glance: the version each environment runs, which
 * environments fail, and which are ahead of, behind or skipped the one before them.
 */
export const FluxPipelinesPage = () => {
  const { value, loading, error } = usePipelinesOverview();
  const unreachable = useUnreachableClusters();
  const [search, setSearch] = useState('');
  const [filter, setFilter] = useState<Filter>('all');

  const rows = useMemo(
    () =>
      (value ?? []).map(row => ({
        ...row,
        flags: pipelineFlags(row.pipeline, row.executions, unreachable),
      })),
    [value, unreachable],
  );
  const term = search.trim().toLowerCase();
  const shown = rows.filter(({ pipeline, flags }) => {
    const matches =
      !term ||
      `${pipeline.namespace}/${pipeline.name}`.toLowerCase().includes(term) ||
      pipeline.appRef.name.toLowerCase().includes(term);
    if (!matches) return false;
    if (filter === 'failing') return flags.some(f => f.kind === 'failing');
    if (filter === 'skewed') return flags.some(f => f.kind !== 'failing');
    return true;
  });

  let body;
  if (loading && !value) {
    body = <Progress />;
  } else if (error && !value) {
    body = <ResponseErrorPanel error={error} />;
  } else if (!rows.length) {
    body = (
      <EmptyState
        missing="data"
        title="No pipelines yet"
        description="Define Weave GitOps Pipeline objects in a watched cluster, or fluxPipelines.pipelines in app-config."
      />
    );
  } else {
    body = (
      <InfoCard noPadding>
        <Box display="flex" p={2} style={{ gap: 16 }} flexWrap="wrap">
          <TextField
            id="flux-pipelines-search"
            label="Search pipelines"
            variant="outlined"
            size="small"
            value={search}
            onChange={e => setSearch(e.target.value)}
            inputProps={{ 'aria-label': 'Search pipelines' }}
          />
          <TextField
            select
            id="flux-pipelines-filter"
            label="Show"
            variant="outlined"
            size="small"
            value={filter}
            style={{ minWidth: 180 }}
            onChange={e => setFilter(e.target.value as Filter)}
          >
            <MenuItem value="all">All pipelines</MenuItem>
            <MenuItem value="failing">Only failing</MenuItem>
            <MenuItem value="skewed">Only ahead, behind or skipped</MenuItem>
          </TextField>
        </Box>
        <PipelineMatrix rows={shown} unreachable={unreachable} />
      </InfoCard>
    );
  }

  return (
    <Page themeId="tool">
      <Header
        title="Flux pipelines"
        subtitle="Which version runs where, across every pipeline"
      />
      <Content>
        <ContentHeader title="Pipelines" />
        {error && value && (
          <Box mb={2}>
            <WarningPanel
              title="Could not refresh the pipelines; showing the last known state"
              message={error.message}
            />
          </Box>
        )}
        {unreachable.size > 0 && (
          <Box mb={2}>
            <WarningPanel
              title={`Cluster unreachable: ${[...unreachable.keys()].join(
                ', ',
              )}`}
              message="Versions on its targets are the last known ones."
            />
          </Box>
        )}
        {body}
      </Content>
    </Page>
  );
};
