import { deployment } from './__testUtils__/deployment';
import { latestAttempt } from './latestAttempt';

describe('latest attempt', () => {
  it('stays the rolled-back version after the rollback changed the older version later', () => {
    const rolledBack = deployment('6.5.1', 'rolled-back', {
      startedAt: '2026-12-07T08:10:00Z',
      updatedAt: '2026-12-07T08:11:00Z',
    });
    const reinstated = deployment('6.5.0', 'succeeded', {
      startedAt: '2026-12-07T07:00:00Z',
      updatedAt: '2026-12-07T08:11:05Z',
    });
    expect(latestAttempt([reinstated, rolledBack])).toBe(rolledBack);
  });

  it('is the version that started last, progressing or finished', () => {
    const done = deployment('6.5.0', 'succeeded', {
      startedAt: '2026-12-07T07:00:00Z',
      updatedAt: '2026-12-07T07:01:00Z',
    });
    const running = deployment('6.5.1', 'progressing', {
      startedAt: '2026-12-07T08:00:00Z',
      updatedAt: '2026-12-07T08:00:00Z',
    });
    expect(latestAttempt([running, done])).toBe(running);
    expect(latestAttempt([done])).toBe(done);
    expect(latestAttempt([])).toBeUndefined();
  });

  it('uses the last change where no start is known, and keeps the list order on a tie', () => {
    const a = deployment('1.0.1', 'succeeded', {
      updatedAt: '2026-12-07T08:00:00Z',
    });
    const b = deployment('1.0.0', 'superseded', {
      updatedAt: '2026-12-07T08:00:00Z',
    });
    expect(latestAttempt([a, b])).toBe(a);
  });
});
