import { PipelineExecution } from '@flux-pipelines/plugin-flux-pipelines-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  ago,
  mockFluxApi,
  promotion,
  renderWithApis,
} from '../../__testUtils__/fixtures';
import { ExecutionHistory } from './ExecutionHistory';

const podinfo = { namespace: 'flux-system', name: 'podinfo' };

function execution(
  version: string,
  extra: Partial<PipelineExecution> = {},
): PipelineExecution {
  return {
    chartVersion: version,
    appVersion: version,
    status: 'succeeded',
    startedAt: ago(120),
    finishedAt: ago(60),
    leadTimeMs: 3_600_000,
    environments: [
      {
        name: 'dev',
        state: 'succeeded',
        startedAt: ago(120),
        finishedAt: ago(118),
        durationMs: 125_000,
        deployments: [],
      },
      {
        name: 'prod',
        state: 'failed',
        startedAt: ago(70),
        finishedAt: ago(60),
        durationMs: 600_000,
        deployments: [],
      },
    ],
    ...extra,
  };
}

describe('ExecutionHistory', () => {
  it('lists executions with versions, per-environment chips, lead time and promotions', async () => {
    const api = mockFluxApi([], {
      getExecutions: jest.fn(async () => ({
        items: [
          execution('6.6.0', {
            promotions: [
              promotion({
                environment: 'prod',
                state: 'deployed',
                approvedBy: 'user:default/sam',
                pullRequestUrl: 'https://github.com/org/fleet/pull/9',
              }),
            ],
          }),
        ],
        totalCount: 1,
        limit: 10,
        offset: 0,
      })),
    });
    await renderWithApis(<ExecutionHistory pipeline={podinfo} />, { api });

    expect(await screen.findByText('6.6.0')).toBeInTheDocument();
    expect(screen.getByText('app 6.6.0')).toBeInTheDocument();
    expect(screen.getByText('dev: Succeeded · 2m 5s')).toBeInTheDocument();
    expect(screen.getByText('prod: Failed · 10m 0s')).toBeInTheDocument();
    expect(screen.getByRole('img', { name: 'Failed' })).toBeInTheDocument();
    expect(screen.getByText('1h 0m')).toBeInTheDocument();
    expect(screen.getByText(/→ prod: Promoted by jane/)).toBeInTheDocument();
    expect(screen.getByText(/approved by sam/)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /pull request/ })).toHaveAttribute(
      'href',
      'https://github.com/org/fleet/pull/9',
    );
    expect(api.getExecutions).toHaveBeenCalledWith(podinfo, {
      limit: 10,
      offset: 0,
      status: undefined,
    });
  });

  it('pages on the server', async () => {
    const api = mockFluxApi([], {
      getExecutions: jest.fn(async (_p, query) => ({
        items: Array.from(
          { length: Math.min(10, 23 - query!.offset!) },
          (_, i) => execution(`6.${query!.offset! + i}.0`),
        ),
        totalCount: 23,
        limit: query!.limit!,
        offset: query!.offset!,
      })),
    });
    await renderWithApis(<ExecutionHistory pipeline={podinfo} />, { api });
    expect(await screen.findByText('6.0.0')).toBeInTheDocument();
    expect(screen.getAllByText(/1-10 of 23/).length).toBeGreaterThan(0);

    await userEvent.click(screen.getByRole('button', { name: /next page/i }));
    expect(await screen.findByText('6.10.0')).toBeInTheDocument();
    expect(screen.queryByText('6.0.0')).toBeNull();
    expect(api.getExecutions).toHaveBeenLastCalledWith(podinfo, {
      limit: 10,
      offset: 10,
      status: undefined,
    });
  });

  it('filters by status on the server, from the first page', async () => {
    const api = mockFluxApi([], {
      getExecutions: jest.fn(async (_p, query) => ({
        items: [
          execution(query?.status === 'failed' ? '6.9.0' : '6.1.0', {
            status: query?.status ?? 'succeeded',
          }),
        ],
        totalCount: 1,
        limit: 10,
        offset: 0,
      })),
    });
    await renderWithApis(<ExecutionHistory pipeline={podinfo} />, { api });
    expect(await screen.findByText('6.1.0')).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: /Status/ }));
    const listbox = await screen.findByRole('listbox');
    await userEvent.click(
      within(listbox).getByRole('option', { name: 'Failed' }),
    );
    expect(await screen.findByText('6.9.0')).toBeInTheDocument();
    await waitFor(() =>
      expect(api.getExecutions).toHaveBeenLastCalledWith(podinfo, {
        limit: 10,
        offset: 0,
        status: 'failed',
      }),
    );
  });

  it('says when there is no history yet', async () => {
    await renderWithApis(<ExecutionHistory pipeline={podinfo} />, {
      api: mockFluxApi([]),
    });
    expect(await screen.findByText('No executions yet.')).toBeInTheDocument();
  });

  it('shows the reason when the history cannot be read', async () => {
    await renderWithApis(<ExecutionHistory pipeline={podinfo} />, {
      api: mockFluxApi([], {
        getExecutions: jest.fn(async () => {
          throw new Error('executions store is down');
        }),
      }),
    });
    expect(
      await screen.findByText(
        'Could not load the execution history: executions store is down',
      ),
    ).toBeInTheDocument();
  });

  it('tells waiting from deploying, and shows skipped environments and rollbacks as such', async () => {
    const env = (name: string, state: any, extra = {}) => ({
      name,
      state,
      deployments: [],
      ...extra,
    });
    const api = mockFluxApi([], {
      getExecutions: jest.fn(async () => ({
        items: [
          execution('6.9.9', {
            status: 'waiting',
            leadTimeMs: undefined,
            skipped: ['dev'],
            environments: [
              env('dev', 'skipped'),
              env('test', 'succeeded'),
              env('prod', 'waiting'),
            ],
          }),
          execution('6.5.4', {
            status: 'rolled-back',
            leadTimeMs: undefined,
            environments: [
              env('dev', 'rolled-back', { rolledBackTo: '6.5.3' }),
              env('test', 'waiting'),
            ],
          }),
          execution('6.5.3', {
            status: 'deploying',
            leadTimeMs: undefined,
            environments: [env('dev', 'succeeded'), env('test', 'deploying')],
          }),
        ],
        totalCount: 3,
        limit: 10,
        offset: 0,
      })),
    });
    await renderWithApis(<ExecutionHistory pipeline={podinfo} />, { api });

    const row = async (version: string) =>
      within((await screen.findByText(version)).closest('tr')!);
    const handCommit = await row('6.9.9');
    expect(handCommit.getByText('6.9.9 skipped dev')).toBeInTheDocument();
    expect(handCommit.getByText('Waiting for promotion')).toBeInTheDocument();
    expect(handCommit.getByText('dev: Skipped')).toBeInTheDocument();
    expect(handCommit.getByText('prod: Waiting')).toBeInTheDocument();
    expect(handCommit.queryByText(/Deploying|Progressing/)).toBeNull();
    expect(handCommit.queryByText(/^0s$/)).toBeNull();

    const rolledBack = await row('6.5.4');
    expect(
      rolledBack.getByText('dev: Rolled back to 6.5.3'),
    ).toBeInTheDocument();

    const deploying = await row('6.5.3');
    expect(deploying.getByText('Deploying')).toBeInTheDocument();
    expect(deploying.getByText('test: Deploying')).toBeInTheDocument();
  });
});
