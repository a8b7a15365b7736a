import { formatAge, formatDuration, formatRelative } from './formatTime';

describe('formatTime', () => {
  it('writes durations the way people read them', () => {
    expect(formatDuration(42_000)).toBe('42s');
    expect(formatDuration(185_000)).toBe('3m 5s');
    expect(formatDuration(3_720_000)).toBe('1h 2m');
    expect(formatDuration(97_200_000)).toBe('1d 3h');
  });

  it('says how long ago something happened', () => {
    const now = Date.parse('2026-11-26T10:00:00Z');
    expect(formatRelative('2026-11-26T09:55:00Z', now)).toBe('5 minutes ago');
    expect(formatRelative('2026-11-26T07:00:00Z', now)).toBe('3 hours ago');
    expect(formatRelative('2026-11-24T10:00:00Z', now)).toBe('2 days ago');
  });

  it('says for how long something has been so', () => {
    const now = Date.parse('2026-11-26T10:00:00Z');
    expect(formatAge('2026-11-26T09:59:00Z', now)).toBe('1 minute');
    expect(formatAge('2026-11-26T07:00:00Z', now)).toBe('3 hours');
    expect(formatAge('2026-11-24T10:00:00Z', now)).toBe('2 days');
  });
});
