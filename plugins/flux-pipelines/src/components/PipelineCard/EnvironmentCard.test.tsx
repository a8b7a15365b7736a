import { EnvironmentStatus } from '@flux-pipelines/plugin-flux-pipelines-common';
import { screen, within } from '@testing-library/react';
import {
  devTestPipeline,
  mockFluxApi,
  permissions,
  promotion,
  renderWithApis,
  target,
  uniqueEntity,
} from '../../__testUtils__/fixtures';
import { EntityFluxPipelinesContent } from '../EntityFluxPipelinesContent';

/** Renders the Pipelines tab with the test environment as the backend describes it. */
async function testCard(test: Partial<EnvironmentStatus>) {
  const { entity } = uniqueEntity();
  await renderWithApis(<EntityFluxPipelinesContent />, {
    api: mockFluxApi([devTestPipeline(test)]),
    entity,
    permissionApi: permissions(),
  });
  return screen.findByRole('listitem', { name: 'Environment test' });
}

describe('an environment card says one thing at a time', () => {
  it('waiting for approval: the promote button says the same, never "already running"', async () => {
    const card = await testCard({
      promotion: promotion({ state: 'waiting-approval' }),
      activity: { kind: 'awaiting-approval', version: '6.6.0' },
    });
    expect(
      await within(card).findByText('Waiting for approval 6.6.0'),
    ).toBeInTheDocument();
    expect(
      await within(card).findByRole('button', {
        name: 'Promote 6.6.0 to test',
        description: 'A promotion of 6.6.0 to test waits for approval',
      }),
    ).toBeDisabled();
    expect(within(card).queryByText(/already running/)).toBeNull();
  });

  it('a hand commit past dev: ahead of dev, skipped dev, and no downgrade offered', async () => {
    const card = await testCard({
      targets: [target('main', 'test', { chartVersion: '6.9.9' })],
      running: '6.9.9',
      relation: { upstream: 'dev', position: 'ahead', versions: 1 },
      skipped: ['dev'],
      promotable: undefined,
      activity: { kind: 'ahead', version: '6.9.9' },
    });
    expect(
      await within(card).findByText('1 version ahead of dev'),
    ).toBeInTheDocument();
    expect(within(card).getByText('6.9.9 skipped dev')).toBeInTheDocument();
    expect(
      await within(card).findByRole('button', {
        name: 'Promote to test',
        description: 'Nothing to promote: test runs 6.9.9, newer than dev runs',
      }),
    ).toBeDisabled();
    expect(within(card).queryByText(/behind/)).toBeNull();
  });

  it('a newer version not yet confirmed upstream: says so, not "nothing to promote"', async () => {
    const card = await testCard({
      relation: { upstream: 'dev', position: 'behind', versions: 1 },
      promotable: undefined,
      activity: { kind: 'confirming', version: '6.6.0' },
    });
    expect(
      await within(card).findByText('dev has not confirmed 6.6.0 yet'),
    ).toBeInTheDocument();
    expect(within(card).getByText('1 version behind dev')).toBeInTheDocument();
    expect(
      await within(card).findByRole('button', {
        name: 'Promote to test',
        description:
          'Not promotable yet: dev has not confirmed 6.6.0 (its status, Helm tests or every target)',
      }),
    ).toBeDisabled();
    expect(within(card).queryByText(/Nothing to promote/)).toBeNull();
  });
});
