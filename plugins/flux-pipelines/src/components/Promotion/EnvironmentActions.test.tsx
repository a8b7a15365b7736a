import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  devTestPipeline,
  mockFluxApi,
  permissions,
  promotion,
  renderWithApis,
  responseError,
  uniqueEntity,
} from '../../__testUtils__/fixtures';
import { EntityFluxPipelinesContent } from '../EntityFluxPipelinesContent';
import { EnvironmentStatus } from '@flux-pipelines/plugin-flux-pipelines-common';

async function renderTest(
  test: Partial<EnvironmentStatus> = {},
  options: {
    allow?: (name: string) => boolean;
    api?: ReturnType<typeof mockFluxApi>;
  } = {},
) {
  const api = options.api ?? mockFluxApi([devTestPipeline(test)]);
  const { entity, entityRef } = uniqueEntity();
  await renderWithApis(<EntityFluxPipelinesContent />, {
    api,
    entity,
    permissionApi: permissions(options.allow),
  });
  const card = await screen.findByRole('listitem', {
    name: 'Environment test',
  });
  return { api, card, entityRef };
}

describe('promotion actions', () => {
  it('offers to promote the promotable version, but not into the first environment', async () => {
    const { card } = await renderTest();
    const button = await within(card).findByRole('button', {
      name: 'Promote 6.6.0 to test',
    });
    await waitFor(() => expect(button).toBeEnabled());
    const dev = screen.getByRole('listitem', { name: 'Environment dev' });
    expect(within(dev).queryByRole('button', { name: /Promote/ })).toBeNull();
  });

  it('disables promoting, saying why, when the user may not promote', async () => {
    const { card } = await renderTest(
      {},
      { allow: name => name !== 'flux-pipelines.promotion.create' },
    );
    const reason = await within(card).findByTitle(
      'You are not allowed to promote to test',
    );
    const button = within(reason).getByRole('button', {
      name: 'Promote 6.6.0 to test',
    });
    expect(button).toBeDisabled();
    expect(button).toHaveAccessibleDescription(
      'You are not allowed to promote to test',
    );
    await userEvent.hover(reason);
    expect(
      await screen.findByRole('tooltip', {
        name: 'You are not allowed to promote to test',
      }),
    ).toBeInTheDocument();
  });

  it('disables promoting when there is nothing to promote', async () => {
    const { card } = await renderTest({
      promotable: undefined,
      activity: { kind: 'up-to-date', version: '6.5.0' },
    });
    const button = await within(card).findByRole('button', {
      name: 'Promote to test',
      description:
        'Nothing to promote: test runs 6.5.0, the newest version that succeeded in dev',
    });
    expect(button).toBeDisabled();
  });

  it('disables promoting while a promotion runs, and shows its progress', async () => {
    const { card } = await renderTest({
      promotion: promotion({ state: 'in-progress' }),
      activity: { kind: 'deploying', version: '6.6.0' },
    });
    expect(
      await within(card).findByRole('button', {
        name: 'Promote 6.6.0 to test',
        description: '6.6.0 is being deployed to test',
      }),
    ).toBeDisabled();
    expect(within(card).getByText('Promoting 6.6.0')).toBeInTheDocument();
    expect(within(card).getByText(/Requested by jane/)).toBeInTheDocument();
  });

  it('links the pull request of a running promotion', async () => {
    const { card } = await renderTest({
      promotion: promotion({
        state: 'pr-open',
        pullRequestUrl: 'https://github.com/org/fleet/pull/7',
      }),
    });
    expect(
      await within(card).findByText('Promoting: pull request open 6.6.0'),
    ).toBeInTheDocument();
    expect(
      within(card).getByRole('link', { name: /Pull request/ }),
    ).toHaveAttribute('href', 'https://github.com/org/fleet/pull/7');
  });

  it('shows a failed promotion with its error, and allows promoting again', async () => {
    const { card } = await renderTest({
      promotion: promotion({ state: 'failed', error: 'push rejected' }),
    });
    expect(
      await within(card).findByText('Promotion failed 6.6.0'),
    ).toBeInTheDocument();
    expect(within(card).getByText('push rejected')).toBeInTheDocument();
    await waitFor(() =>
      expect(
        within(card).getByRole('button', { name: 'Promote 6.6.0 to test' }),
      ).toBeEnabled(),
    );
  });

  it('confirms with the preview, then posts the promotion and reloads', async () => {
    const { api, card, entityRef } = await renderTest();
    const button = await within(card).findByRole('button', {
      name: 'Promote 6.6.0 to test',
    });
    await waitFor(() => expect(button).toBeEnabled());
    await userEvent.click(button);

    const dialog = await screen.findByRole('dialog', {
      name: 'Promote 6.6.0 to test',
    });
    expect(
      await within(dialog).findByText(
        /a pull request against the GitOps repository/,
      ),
    ).toBeInTheDocument();
    expect(within(dialog).getByText('sha256:aaa')).toBeInTheDocument();
    expect(within(dialog).getByText('sha256:bbb')).toBeInTheDocument();
    expect(within(dialog).getByText('Digest (changes)')).toBeInTheDocument();
    expect(
      within(dialog).getByText('apps/test/podinfo.yaml'),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByText(/^\+\s+version: 6\.6\.0$/),
    ).toBeInTheDocument();
    expect(api.getPromotionPreview).toHaveBeenCalledWith(
      { namespace: 'flux-system', name: 'podinfo' },
      { environment: 'test', version: '6.6.0' },
    );

    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Promote' }),
    );
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(api.createPromotion).toHaveBeenCalledWith(
      { namespace: 'flux-system', name: 'podinfo' },
      {
        environment: 'test',
        version: '6.6.0',
        entityRef,
      },
    );
    expect(api.getPipelinesForEntity).toHaveBeenCalledTimes(2);
  });

  it.each([
    [
      409,
      'ConflictError',
      '6.1.0 has not succeeded in dev',
      '6.1.0 has not succeeded in dev',
    ],
    [
      403,
      'NotAllowedError',
      'Forbidden',
      'You are not allowed to do this: Forbidden',
    ],
  ])(
    'keeps the dialog open with the reason when the backend answers %s',
    async (status, name, message, shown) => {
      const error = await responseError(status, name, message);
      const api = mockFluxApi([devTestPipeline()], {
        createPromotion: jest.fn(async () => {
          throw error;
        }),
      });
      const { card } = await renderTest({}, { api });
      const button = await within(card).findByRole('button', {
        name: 'Promote 6.6.0 to test',
      });
      await waitFor(() => expect(button).toBeEnabled());
      await userEvent.click(button);
      const dialog = await screen.findByRole('dialog');
      await within(dialog).findByText('sha256:bbb');
      await userEvent.click(
        within(dialog).getByRole('button', { name: 'Promote' }),
      );
      expect(await within(dialog).findByText(shown)).toBeInTheDocument();
      expect(within(dialog).getByText(/Could not promote/)).toBeInTheDocument();
    },
  );

  it('closes the dialog with Escape without promoting', async () => {
    const { api, card } = await renderTest();
    const button = await within(card).findByRole('button', {
      name: 'Promote 6.6.0 to test',
    });
    await waitFor(() => expect(button).toBeEnabled());
    await userEvent.click(button);
    await screen.findByRole('dialog');
    await userEvent.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(api.createPromotion).not.toHaveBeenCalled();
  });

  it('approves a promotion that waits for approval', async () => {
    const { api, card, entityRef } = await renderTest({
      manual: true,
      promotion: promotion({ state: 'waiting-approval' }),
    });
    expect(
      await within(card).findByText('Waiting for approval 6.6.0'),
    ).toBeInTheDocument();
    expect(within(card).getByText('Approval required')).toBeInTheDocument();
    const approve = within(card).getByRole('button', { name: 'Approve' });
    await waitFor(() => expect(approve).toBeEnabled());
    await userEvent.click(approve);
    const dialog = await screen.findByRole('dialog', {
      name: 'Approve the promotion of 6.6.0 to test',
    });
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Approve' }),
    );
    await waitFor(() =>
      expect(api.approvePromotion).toHaveBeenCalledWith(
        { namespace: 'flux-system', name: 'podinfo' },
        'p1',
        { entityRef },
      ),
    );
  });

  it('disables approving for users without the approve permission', async () => {
    const { card } = await renderTest(
      { promotion: promotion({ state: 'waiting-approval' }) },
      { allow: name => name !== 'flux-pipelines.promotion.approve' },
    );
    expect(
      await within(card).findByRole('button', {
        name: 'Approve',
        description: 'You are not allowed to approve promotions to test',
      }),
    ).toBeDisabled();
  });

  it('disables approving a promotion of a protected environment for the person who asked for it, saying why', async () => {
    const asked = promotion({
      state: 'waiting-approval',
      requestedBy: 'user:default/test',
    });
    const { card } = await renderTest({
      manual: true,
      separateApprover: true,
      promotion: asked,
    });
    expect(
      await within(card).findByRole('button', {
        name: 'Approve',
        description:
          'test is protected: someone other than you, who asked for this promotion, must approve it',
      }),
    ).toBeDisabled();
  });

  it('lets someone else approve a promotion of a protected environment', async () => {
    const { card } = await renderTest({
      manual: true,
      separateApprover: true,
      promotion: promotion({
        state: 'waiting-approval',
        requestedBy: 'user:default/jane',
      }),
    });
    const approve = await within(card).findByRole('button', {
      name: 'Approve',
    });
    await waitFor(() => expect(approve).toBeEnabled());
  });

  it('rolls back to a version picked from the menu', async () => {
    const { api, card, entityRef } = await renderTest({
      rollbackCandidates: [
        { version: '6.4.0', appVersion: '6.4.0' },
        { version: '6.3.0' },
      ],
    });
    const menuButton = await within(card).findByRole('button', {
      name: 'Roll back test',
    });
    await waitFor(() => expect(menuButton).toBeEnabled());
    await userEvent.click(menuButton);
    const items = await screen.findAllByRole('menuitem');
    expect(items.map(i => i.textContent)).toEqual([
      'Roll back to 6.4.0 (app 6.4.0)',
      'Roll back to 6.3.0',
    ]);
    await userEvent.click(items[0]);
    const dialog = await screen.findByRole('dialog', {
      name: 'Roll back test to 6.4.0',
    });
    expect(
      within(dialog).getByText(/automatic promotion into test is held/),
    ).toBeInTheDocument();
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Roll back' }),
    );
    await waitFor(() =>
      expect(api.createPromotion).toHaveBeenCalledWith(
        { namespace: 'flux-system', name: 'podinfo' },
        {
          environment: 'test',
          version: '6.4.0',
          entityRef,
          rollback: true,
        },
      ),
    );
  });

  it('shows why the pipeline rolled an environment back on its own', async () => {
    const { card } = await renderTest({
      promotion: promotion({
        version: '6.4.0',
        trigger: 'rollback',
        fromEnvironment: undefined,
        requestedBy: 'pipeline',
        state: 'deployed',
        reason:
          'automatic rollback: 6.5.0 failed in test (canary failed on main/test)',
      }),
    });
    const summary = await within(card).findByRole('group', {
      name: 'Promotion',
    });
    expect(summary).toHaveTextContent('(rollback to 6.4.0)');
    expect(summary).toHaveTextContent(
      'automatic rollback: 6.5.0 failed in test (canary failed on main/test)',
    );
  });

  it('shows a rollback hold and releases it', async () => {
    const { api, card, entityRef } = await renderTest({
      hold: {
        version: '6.4.0',
        heldBy: 'user:default/jane',
        heldAt: new Date().toISOString(),
      },
    });
    expect(
      await within(card).findByText(
        'Held Automatic promotion held since rollback to 6.4.0',
      ),
    ).toBeInTheDocument();
    const release = within(card).getByRole('button', { name: 'Release hold' });
    await waitFor(() => expect(release).toBeEnabled());
    await userEvent.click(release);
    const dialog = await screen.findByRole('dialog', {
      name: 'Release the hold on test',
    });
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Release hold' }),
    );
    await waitFor(() =>
      expect(api.releaseHold).toHaveBeenCalledWith(
        { namespace: 'flux-system', name: 'podinfo' },
        'test',
        { entityRef },
      ),
    );
  });
});
