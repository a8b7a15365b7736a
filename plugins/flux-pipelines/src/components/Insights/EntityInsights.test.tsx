import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  mockFluxApi,
  renderWithApis,
  responseError,
  testSignals,
} from '../../__testUtils__/fixtures';
import {
  environmentInsights,
  insightsResponse,
} from '../../__testUtils__/insightsFixtures';
import { EntityInsights } from './EntityInsights';

const DAY_MS = 86_400_000;

async function renderInsights(
  getInsights = jest.fn(async () => insightsResponse()),
  signalApi?: ReturnType<typeof testSignals>['signalApi'],
) {
  const api = mockFluxApi([], { getInsights });
  await renderWithApis(
    <EntityInsights entityRef="component:default/podinfo" />,
    { api, signalApi },
  );
  return api;
}

/** The figure `label` of `environment`'s section. */
async function figureIn(environment: string, label: string) {
  const section = await screen.findByRole('region', {
    name: `Insights of ${environment}`,
  });
  return within(within(section).getByRole('group', { name: label }));
}

/** The period the last getInsights call asked for, in days. */
function askedDays(getInsights: jest.Mock): number {
  const calls = getInsights.mock.calls;
  const { from, to } = calls[calls.length - 1][0];
  return Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS);
}

describe('EntityInsights', () => {
  it("shows each environment's figures for the last 30 days", async () => {
    const api = await renderInsights();
    const shown: Array<[string, string[]]> = [
      ['Lead time', ['2h 0m', 'p90 5h 0m']],
      ['Hop dev → prod', ['1h 30m']],
      ['Deployment frequency', ['0.4 / day', '2.8 / week']],
      ['Change failure rate', ['20%', '3 failed or rolled back']],
      ['Time to restore', ['30m 0s']],
      ['Deployment duration', ['4m 0s', 'p90 9m 0s']],
    ];
    for (const [label, texts] of shown) {
      const figure = await figureIn('prod', label);
      texts.forEach(text => expect(figure.getByText(text)).toBeInTheDocument());
    }
    // The hop split into waiting for approval and gates, and deploying.
    expect(
      (await figureIn('prod', 'Hop dev → prod')).getByText(
        /waiting 1h 0m, deploying 30m 0s/,
      ),
    ).toBeInTheDocument();
    // The first environment has no hop.
    const dev = within(screen.getByRole('region', { name: 'Insights of dev' }));
    expect(dev.queryByRole('group', { name: /^Hop/ })).toBeNull();

    expect(api.getInsights).toHaveBeenCalledWith(
      expect.objectContaining({ entityRef: 'component:default/podinfo' }),
    );
    expect(askedDays(api.getInsights as jest.Mock)).toBe(30);
  });

  it("asks for the chart's days in the user's time zone", async () => {
    const api = await renderInsights();
    expect(api.getInsights).toHaveBeenCalledWith(
      expect.objectContaining({
        tz: new Intl.DateTimeFormat().resolvedOptions().timeZone,
      }),
    );
  });

  it('says how each figure is computed', async () => {
    await renderInsights();
    const lead = await figureIn('prod', 'Lead time');
    expect(
      lead.getByRole('img', {
        name: 'From first deployment to success here (definition of prod)',
      }),
    ).toBeInTheDocument();
    expect(lead.getByText('from 10 versions')).toBeInTheDocument();
  });

  it('lists the slowest targets, slowest first, in a sortable table', async () => {
    await renderInsights();
    const prod = await screen.findByRole('region', {
      name: 'Insights of prod',
    });
    expect(
      within(prod).getByText('Slowest targets in prod'),
    ).toBeInTheDocument();
    const table = within(prod).getByRole('table');
    const clusters = within(table)
      .getAllByRole('row')
      .slice(1)
      .map(row => within(row).getAllByRole('cell')[0].textContent);
    expect(clusters).toEqual(['eu', 'us']);
    // Sorted by median, fastest first (a click leaves the default order, the next sorts ascending).
    const median = within(table).getByRole('button', { name: 'Median' });
    await userEvent.click(median);
    await userEvent.click(median);
    await waitFor(() =>
      expect(
        within(table)
          .getAllByRole('row')
          .slice(1)
          .map(row => within(row).getAllByRole('cell')[0].textContent),
      ).toEqual(['us', 'eu']),
    );
  });

  it('opens the deployments behind a figure', async () => {
    const api = await renderInsights();
    const lead = await figureIn('prod', 'Lead time');
    await userEvent.click(lead.getByText('from 10 versions'));
    const dialog = await screen.findByRole('dialog');
    expect(
      within(dialog).getByText(/deployments of flux-system\/podinfo in prod/),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(api.getExecutions).toHaveBeenCalledWith(
        { namespace: 'flux-system', name: 'podinfo' },
        expect.anything(),
      ),
    );
  });

  it("asks the server for exactly the figure's deployments: its environment, statuses and period", async () => {
    const api = await renderInsights();
    const failures = await figureIn('prod', 'Change failure rate');
    await userEvent.click(failures.getByText(/^from \d+ deployments$/));
    await waitFor(() =>
      expect(api.getExecutions).toHaveBeenCalledWith(
        { namespace: 'flux-system', name: 'podinfo' },
        expect.objectContaining({
          deployments: expect.objectContaining({
            environment: 'prod',
            from: expect.any(String),
            to: expect.any(String),
          }),
        }),
      ),
    );
  });

  it('asks again for the period the user picks', async () => {
    const api = await renderInsights();
    await figureIn('prod', 'Lead time');
    await userEvent.click(screen.getByRole('button', { name: /Period/ }));
    await userEvent.click(
      await screen.findByRole('option', { name: 'Last 7 days' }),
    );
    await waitFor(() =>
      expect(askedDays(api.getInsights as jest.Mock)).toBe(7),
    );
    await userEvent.click(screen.getByRole('button', { name: /Period/ }));
    await userEvent.click(
      await screen.findByRole('option', { name: 'Last 90 days' }),
    );
    await waitFor(() =>
      expect(askedDays(api.getInsights as jest.Mock)).toBe(90),
    );
  });

  it('says when nothing was deployed in the period', async () => {
    const quiet = environmentInsights('dev');
    quiet.deploymentFrequency.n = 0;
    quiet.changeFailureRate.n = 0;
    await renderInsights(
      jest.fn(async () =>
        insightsResponse([
          { namespace: 'flux-system', name: 'podinfo', environments: [quiet] },
        ]),
      ),
    );
    expect(
      await screen.findByText('No deployments finished in the last 30 days'),
    ).toBeInTheDocument();
    expect(screen.queryByRole('group', { name: 'Lead time' })).toBeNull();
  });

  it("shows the backend's reason when the figures cannot be read", async () => {
    const error = await responseError(
      400,
      'InputError',
      'Invalid query: from: must be before to',
    );
    await renderInsights(
      jest.fn(async () => {
        throw error;
      }),
    );
    expect(
      (await screen.findAllByText(/must be before to/)).length,
    ).toBeGreaterThan(0);
  });

  it('recomputes the figures once after a burst of deployment and promotion signals, keeping them on screen', async () => {
    const { signalApi, send } = testSignals();
    const getInsights = jest.fn(async () => insightsResponse());
    await renderInsights(getInsights, signalApi);
    const failures = await figureIn('prod', 'Change failure rate');
    expect(failures.getByText('3 failed or rolled back')).toBeInTheDocument();

    const later = environmentInsights('prod');
    later.changeFailureRate.failed = 4;
    getInsights.mockImplementation(async () =>
      insightsResponse([
        { namespace: 'flux-system', name: 'podinfo', environments: [later] },
      ]),
    );
    await act(async () => {
      for (let i = 0; i < 5; i++) {
        send({ type: 'deployments-changed', targets: [] });
      }
      send({ type: 'promotion-changed', promotion: {} });
    });
    // Debounced: the old figures stay until the burst is over.
    expect(getInsights).toHaveBeenCalledTimes(1);
    expect(failures.getByText('3 failed or rolled back')).toBeInTheDocument();
    expect(
      await screen.findByText('4 failed or rolled back', undefined, {
        timeout: 5000,
      }),
    ).toBeInTheDocument();
    expect(getInsights).toHaveBeenCalledTimes(2);
  }, 15_000);
});
