import { deployment } from './__testUtils__/deployment';
import { latestAttempt } from './latestAttempt';

describe('latest attempt', () => {
  const reinstated = deployment('6.5.0', 'succeeded', {
    startedAt: '2026-12-07T08:11:00Z',
    finishedAt: '2026-12-07T08:11:01Z',
    updatedAt: '2026-12-07T08:11:05Z',
  });
  const rolledBack = deployment('6.5.1', 'rolled-back', {
    startedAt: '2026-12-07T08:10:00Z',
    updatedAt: '2026-12-07T08:11:02Z',
  });

  it('stays the rolled-back version after the rollback changed the older version later', () => {
    expect(latestAttempt([reinstated, rolledBack])).toBe(rolledBack);
    expect(latestAttempt([rolledBack, reinstated])).toBe(rolledBack);
  });

  it('is the newer attempt once one starts after the rollback', () => {
    const next = deployment('6.5.2', 'progressing', {
      startedAt: '2026-12-07T08:20:00Z',
      updatedAt: '2026-12-07T08:20:00Z',
    });
    expect(latestAttempt([next, reinstated, rolledBack])).toBe(next);
  });

  it('is the newest change where no rollback happened, and nothing for no deployments', () => {
    const done = deployment('6.5.0', 'superseded', {
      finishedAt: '2026-12-07T07:01:00Z',
      updatedAt: '2026-12-07T07:01:00Z',
    });
    const running = deployment('6.5.1', 'progressing', {
      updatedAt: '2026-12-07T08:00:00Z',
    });
    expect(latestAttempt([running, done])).toBe(running);
    expect(latestAttempt([])).toBeUndefined();
  });
});
