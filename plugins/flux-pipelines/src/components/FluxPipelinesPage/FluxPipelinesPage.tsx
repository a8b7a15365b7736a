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
import Grid from '@material-ui/core/Grid';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { useUnreachableClusters } from '../../hooks/useClusterHealth';
import { InsightsPeriod, useInsights } from '../../hooks/useInsights';
import { usePipelinesOverview } from '../../hooks/usePipelinesOverview';
import { PipelineMatrix } from './PipelineMatrix';
import { InsightsCard } from '../Insights';
import { pipelineFlags } from './pipelineFlags';
import { TeamScopePicker } from './TeamScopePicker';
import { describeTeamScope, inScope, teamScopeOf } from './teamScope';

type Filter = 'all' | 'failing' | 'skewed';

/**
 * All pipelines at a glance: the version each environment runs, which
 * environments fail, and which are ahead of, behind or skipped the one before them.
 * With `?owner=` or `?system=` it is that team's or system's page: only their
 * entities' pipelines, with their delivery figures beside the matrix.
 */
export const FluxPipelinesPage = () => {
  const overview = usePipelinesOverview();
  const [params] = useSearchParams();
  const scope = teamScopeOf(params);
  const [days, setDays] = useState<InsightsPeriod>(30);
  const insights = useInsights(scope, days);
  const scoped = !scope || insights.value;
  const value = scoped ? overview.value : undefined;
  const loading = overview.loading || (!!scope && insights.loading);
  const error = overview.error ?? (scope ? insights.error : undefined);
  const unreachable = useUnreachableClusters();
  const [search, setSearch] = useState('');
  const [filter, setFilter] = useState<Filter>('all');

  const rows = useMemo(
    () =>
      (value ?? [])
        .filter(
          row =>
            !insights.value || inScope(insights.value.pipelines, row.pipeline),
        )
        .map(row => ({
          ...row,
          flags: pipelineFlags(row.pipeline, unreachable),
        })),
    [value, unreachable, insights.value],
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
        title={
          scope
            ? `No pipelines of ${describeTeamScope(scope)}`
            : 'No pipelines yet'
        }
        description={
          scope
            ? 'None of its catalog entities you may see has a pipeline.'
            : 'Define Weave GitOps Pipeline objects in a watched cluster, or fluxPipelines.pipelines in app-config.'
        }
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
        title={
          scope
            ? `Flux pipelines of ${describeTeamScope(scope)}`
            : 'Flux pipelines'
        }
        subtitle={
          scope
            ? 'Which version runs where, and how it got there'
            : 'Which version runs where, across every pipeline'
        }
      />
      <Content>
        <ContentHeader title="Pipelines">
          <TeamScopePicker scope={scope} />
        </ContentHeader>
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
        {scope ? (
          <Grid container spacing={3}>
            <Grid item xs={12}>
              {body}
            </Grid>
            <Grid item xs={12}>
              <InsightsCard
                id="flux-pipelines-team-period"
                days={days}
                onDaysChange={setDays}
                value={insights.value}
                loading={insights.loading}
                error={insights.error}
                variant="table"
              />
            </Grid>
          </Grid>
        ) : (
          body
        )}
      </Content>
    </Page>
  );
};
