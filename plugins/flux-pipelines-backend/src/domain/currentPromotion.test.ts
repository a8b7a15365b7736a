import { Promotion } from '@flux-pipelines/plugin-flux-pipelines-common';
import { currentPromotion, isCurrentPromotion } from './currentPromotion';

function promotion(
  version: string,
  state: Promotion['state'],
  extra: Partial<Promotion> = {},
): Promotion {
  return {
    id: `p-${version}-${state}`,
    pipelineNamespace: 'flux-system',
    pipelineName: 'podinfo',
    environment: 'test',
    version,
    previousVersion: '6.5.0',
    trigger: 'manual',
    strategy: 'commit',
    state,
    requestedBy: 'user:default/guest',
    requestedAt: '2026-12-07T08:00:00Z',
    updatedAt: '2026-12-07T08:00:00Z',
    ...extra,
  };
}

describe('the promotion a card shows', () => {
  it('hides a finished promotion once the environment runs another version (a hand commit)', () => {
    const promoted = promotion('6.5.1', 'deployed');
    expect(isCurrentPromotion(promoted, '6.5.1')).toBe(true);
    expect(isCurrentPromotion(promoted, '6.9.9')).toBe(false);
    expect(currentPromotion([promoted], '6.9.9')).toBeUndefined();
  });

  it('shows a promotion in flight, but not one that waits to bring an older version', () => {
    for (const state of [
      'requested',
      'waiting-approval',
      'pr-open',
      'merged',
    ] as const) {
      expect(isCurrentPromotion(promotion('6.5.2', state), '6.5.0')).toBe(true);
      expect(isCurrentPromotion(promotion('6.5.2', state), undefined)).toBe(
        true,
      );
      expect(isCurrentPromotion(promotion('6.5.2', state), '6.9.9')).toBe(
        false,
      );
    }
  });

  it('hides a waiting promotion of the version the environment already runs, not one about to be confirmed', () => {
    expect(
      isCurrentPromotion(promotion('6.9.9', 'waiting-approval'), '6.9.9'),
    ).toBe(false);
    expect(isCurrentPromotion(promotion('6.9.9', 'requested'), '6.9.9')).toBe(
      false,
    );
    expect(isCurrentPromotion(promotion('6.9.9', 'merged'), '6.9.9')).toBe(
      true,
    );
  });

  it('shows a rollback in flight, although it goes back by design', () => {
    const rollback = promotion('6.5.0', 'waiting-approval', {
      trigger: 'rollback',
      previousVersion: '6.9.9',
    });
    expect(isCurrentPromotion(rollback, '6.9.9')).toBe(true);
    expect(isCurrentPromotion(rollback, '6.5.0')).toBe(false);
  });

  it('shows an automatic rollback before it runs, although the failure left its version running', () => {
    const rollback = promotion('6.5.0', 'requested', {
      trigger: 'rollback',
      requestedBy: 'pipeline',
      previousVersion: '6.5.0',
    });
    expect(isCurrentPromotion(rollback, '6.5.0')).toBe(true);
  });

  it('shows a failure while the environment still runs what it ran before it', () => {
    const failed = promotion('6.6.0', 'failed', { previousVersion: '6.5.0' });
    expect(isCurrentPromotion(failed, '6.5.0')).toBe(true);
    expect(isCurrentPromotion(failed, '6.9.9')).toBe(false);
    expect(isCurrentPromotion(promotion('6.6.0', 'superseded'), '6.5.0')).toBe(
      false,
    );
  });

  it('looks at the newest promotion only', () => {
    const newest = promotion('6.6.0', 'superseded');
    const older = promotion('6.5.0', 'deployed');
    expect(currentPromotion([newest, older], '6.5.0')).toBeUndefined();
    expect(currentPromotion([], '6.5.0')).toBeUndefined();
  });
});
