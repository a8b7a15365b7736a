import { Observation } from '@flux-pipelines/plugin-flux-pipelines-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  ago,
  environment,
  mockFluxApi,
  pipeline,
  renderWithApis,
  target,
} from '../../__testUtils__/fixtures';
import { EntityFluxPipelinesContent } from '../EntityFluxPipelinesContent';

function observation(
  cluster: string,
  minutesAgo: number,
  extra: Partial<Observation>,
): Observation {
  return {
    cluster,
    namespace: 'prod',
    kind: 'HelmRelease',
    name: 'podinfo',
    action: 'upgrade',
    outcome: 'succeeded',
    reason: 'UpgradeSucceeded',
    message: 'Helm upgrade succeeded',
    time: ago(minutesAgo),
    source: 'event',
    dedupKey: `${cluster}-${minutesAgo}`,
    ...extra,
  };
}

const events = [
  observation('eu', 2, {
    outcome: 'failed',
    reason: 'UpgradeFailed',
    chartVersion: '6.6.0',
    message: 'Helm upgrade failed\n\nLast Helm logs:\nwaiting',
  }),
  observation('us', 30, { chartVersion: '6.5.0' }),
  observation('eu', 90, { chartVersion: '6.5.0', durationMs: 42_000 }),
];

async function renderProd() {
  const api = mockFluxApi(
    [
      pipeline([
        environment('prod', [
          target('eu', 'prod', { chartVersion: '6.6.0', status: 'failed' }),
          target('us', 'prod', { chartVersion: '6.5.0' }),
        ]),
      ]),
    ],
    { getEnvironmentEvents: jest.fn(async () => ({ items: events })) },
  );
  await renderWithApis(<EntityFluxPipelinesContent />, { api });
  await screen.findByRole('listitem', { name: 'Environment prod' });
  return api;
}

describe('EventsDrawer', () => {
  it('opens the environment timeline from the Events button, newest first, and closes', async () => {
    const api = await renderProd();
    await userEvent.click(
      screen.getByRole('button', { name: 'Events of prod' }),
    );

    const drawer = await screen.findByRole('dialog', {
      name: 'Events of prod',
    });
    const items = await within(drawer).findAllByRole('listitem');
    expect(items.map(i => within(i).getByText(/Upgrade/).textContent)).toEqual([
      'UpgradeFailed',
      'UpgradeSucceeded',
      'UpgradeSucceeded',
    ]);
    expect(
      within(items[0]).getByRole('img', { name: 'Failed' }),
    ).toBeInTheDocument();
    expect(within(items[0]).getByText('6.6.0')).toBeInTheDocument();
    expect(within(items[0]).getByText('2 minutes ago')).toHaveAttribute(
      'title',
    );
    expect(within(items[0]).getByText(/Last Helm logs:/).tagName).toBe('PRE');
    expect(within(items[2]).getByText(/took 42s/)).toBeInTheDocument();
    expect(api.getEnvironmentEvents).toHaveBeenCalledWith(
      { namespace: 'flux-system', name: 'podinfo' },
      'prod',
      { limit: 100 },
    );

    await userEvent.click(
      within(drawer).getByRole('button', { name: 'Close' }),
    );
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });

  it('opens one target’s events from the target, can widen to all, and closes with Escape', async () => {
    await renderProd();
    await userEvent.click(
      screen.getByRole('button', { name: 'Events of eu / prod' }),
    );
    const drawer = await screen.findByRole('dialog', {
      name: 'Events of prod (eu / prod)',
    });
    expect(await within(drawer).findAllByRole('listitem')).toHaveLength(2);

    await userEvent.click(
      within(drawer).getByRole('button', { name: 'Show all targets of prod' }),
    );
    expect(within(drawer).getAllByRole('listitem')).toHaveLength(3);

    await userEvent.keyboard('{Escape}');
    // The drawer slides out (a 225 ms transition) before it leaves the page;
    // a loaded machine can take longer than waitFor's default second.
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull(), {
      timeout: 5000,
    });
  });
});
