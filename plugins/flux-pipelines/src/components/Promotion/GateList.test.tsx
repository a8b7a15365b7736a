import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  devTestPipeline,
  mockFluxApi,
  permissions,
  renderWithApis,
  uniqueEntity,
} from '../../__testUtils__/fixtures';
import { EntityFluxPipelinesContent } from '../EntityFluxPipelinesContent';
import { EnvironmentStatus } from '@flux-pipelines/plugin-flux-pipelines-common';

const gates: EnvironmentStatus['gates'] = [
  {
    gate: 'soak',
    state: 'waiting',
    reason: 'soak 22 of 30 min in dev',
    until: '2026-12-07T09:30:00Z',
  },
  {
    gate: 'windows',
    state: 'passed',
    reason: 'inside deploy window until Mon 17:00 Europe/Berlin',
  },
];

async function renderTest(allow: (name: string) => boolean) {
  const api = mockFluxApi([devTestPipeline({ gates })]);
  const { entity, entityRef } = uniqueEntity();
  await renderWithApis(<EntityFluxPipelinesContent />, {
    api,
    entity,
    permissionApi: permissions(allow),
  });
  const card = await screen.findByRole('listitem', {
    name: 'Environment test',
  });
  return { api, card, entityRef };
}

describe('gates on the card', () => {
  it('shows each gate and disables promoting with the refusing gate\u2019s reason', async () => {
    const { card } = await renderTest(
      name => name !== 'flux-pipelines.promotion.override',
    );
    const list = within(card).getByRole('group', { name: 'Gates' });
    expect(list).toHaveTextContent('soak: soak 22 of 30 min in dev');
    expect(list).toHaveTextContent(
      'windows: inside deploy window until Mon 17:00 Europe/Berlin',
    );
    const button = await within(card).findByRole('button', {
      name: 'Promote 6.6.0 to test',
      description: 'Refused by gate soak: soak 22 of 30 min in dev',
    });
    expect(button).toBeDisabled();
  });

  it('offers "Promote anyway" to a user who may override, confirms and sends override', async () => {
    const { api, card, entityRef } = await renderTest(() => true);
    const button = await within(card).findByRole('button', {
      name: 'Promote 6.6.0 to test anyway',
    });
    await waitFor(() => expect(button).toBeEnabled());
    await userEvent.click(button);
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByRole('alert')).toHaveTextContent(
      'soak: soak 22 of 30 min in dev',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Promote anyway' }),
    );
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(api.createPromotion).toHaveBeenCalledWith(
      { namespace: 'flux-system', name: 'podinfo' },
      { environment: 'test', version: '6.6.0', entityRef, override: true },
    );
  });
});
