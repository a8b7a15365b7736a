import {
  Promotion,
  PromotionState,
  TargetDeployment,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import { deployment } from './__testUtils__/deployment';
import { environmentState, executionStatus } from './executionState';

const d = (status: TargetDeployment['status']) => deployment('6.9.9', status);

const promotion = (state: PromotionState) =>
  ({ version: '6.9.9', environment: 'prod', state } as Promotion);

describe('the state of a version in an environment', () => {
  it('is waiting when nothing promotes or deploys it there yet', () => {
    expect(environmentState({ reached: [undefined, undefined] })).toBe(
      'waiting',
    );
    // A promotion that ended without deploying it leaves it waiting.
    expect(
      environmentState({
        reached: [undefined],
        promotion: promotion('failed'),
      }),
    ).toBe('waiting');
  });

  it('awaits approval while its promotion waits for someone to approve it', () => {
    expect(
      environmentState({
        reached: [undefined],
        promotion: promotion('waiting-approval'),
      }),
    ).toBe('awaiting-approval');
  });

  it('is deploying while its promotion runs, or a target progresses, or some targets still lack it', () => {
    for (const state of [
      'in-progress',
      'pr-open',
      'committed',
      'merged',
    ] as const) {
      expect(
        environmentState({ reached: [undefined], promotion: promotion(state) }),
      ).toBe('deploying');
    }
    expect(environmentState({ reached: [d('progressing')] })).toBe('deploying');
    expect(environmentState({ reached: [d('unknown')] })).toBe('deploying');
    expect(environmentState({ reached: [d('succeeded'), undefined] })).toBe(
      'deploying',
    );
  });

  it('is succeeded, superseded, failed or rolled back as its deployments say', () => {
    expect(
      environmentState({ reached: [d('succeeded'), d('superseded')] }),
    ).toBe('succeeded');
    expect(environmentState({ reached: [d('superseded')] })).toBe('superseded');
    expect(environmentState({ reached: [d('succeeded'), d('failed')] })).toBe(
      'failed',
    );
    expect(environmentState({ reached: [d('rolled-back')] })).toBe(
      'rolled-back',
    );
  });

  it('is skipped when a later environment got it without it passing through here', () => {
    expect(environmentState({ reached: [undefined], skipped: true })).toBe(
      'skipped',
    );
    // What happened here wins over the skip.
    expect(environmentState({ reached: [d('failed')], skipped: true })).toBe(
      'failed',
    );
  });
});

describe('the state of a version\u2019s journey', () => {
  it('succeeded once it succeeded everywhere in the last environment', () => {
    expect(executionStatus(['skipped', 'succeeded', 'succeeded'], true)).toBe(
      'succeeded',
    );
  });

  it('waits, not deploys, while it only waits to be promoted', () => {
    expect(executionStatus(['succeeded', 'waiting', 'waiting'], false)).toBe(
      'waiting',
    );
    expect(
      executionStatus(['succeeded', 'succeeded', 'awaiting-approval'], false),
    ).toBe('awaiting-approval');
    expect(executionStatus(['succeeded', 'deploying', 'waiting'], false)).toBe(
      'deploying',
    );
  });

  it('is failed or rolled back when it was anywhere, superseded when replaced where it went furthest', () => {
    expect(executionStatus(['succeeded', 'failed', 'waiting'], false)).toBe(
      'failed',
    );
    expect(
      executionStatus(['superseded', 'rolled-back', 'waiting'], false),
    ).toBe('rolled-back');
    expect(executionStatus(['superseded', 'waiting', 'waiting'], false)).toBe(
      'superseded',
    );
    expect(executionStatus(['superseded', 'deploying', 'waiting'], false)).toBe(
      'deploying',
    );
  });
});
