import {
  firstTime,
  goDurationMs,
  isoTime,
  truncateMessage,
  MAX_MESSAGE_CHARS,
} from './values';

describe('values', () => {
  it.each([
    ['42.5s', 42_500],
    ['5m0s', 300_000],
    ['1h2m3.5s', 3_723_500],
    ['250ms', 250],
    ['1500us', 2],
    ['0', 0],
  ])('goDurationMs(%j) = %d', (s, ms) => expect(goDurationMs(s)).toBe(ms));

  it('rejects non-durations', () => {
    for (const v of ['', 'soon', '5 m', '-1s', {}, NaN, -5, '1e9s']) {
      expect(goDurationMs(v)).toBeUndefined();
    }
    expect(goDurationMs(1_500_000_000)).toBe(1500);
  });

  it('normalises times and skips invalid ones', () => {
    expect(isoTime('2024-05-02T10:15:30Z')).toBe('2024-05-02T10:15:30.000Z');
    expect(isoTime('2024-05-02T10:15:30.123456+02:00')).toBe(
      '2024-05-02T08:15:30.123Z',
    );
    expect(isoTime('1714644930')).toBeUndefined();
    expect(isoTime('2024-02-30T10:00:00Z')).toBeUndefined();
    expect(isoTime('2024-02-29T10:00:00Z')).toBe('2024-02-29T10:00:00.000Z');
    expect(isoTime('2024-13-45T99:99:99Z')).toBeUndefined();
    expect(firstTime(null, '', 'x', '2024-05-02T10:15:30Z')).toBe(
      '2024-05-02T10:15:30.000Z',
    );
  });

  it('truncates keeping the start without splitting a surrogate pair', () => {
    const s = `${'a'.repeat(MAX_MESSAGE_CHARS - 1)}😀tail`;
    const t = truncateMessage(s);
    expect(t.startsWith('a'.repeat(MAX_MESSAGE_CHARS - 1))).toBe(true);
    // The emoji (2 UTF-16 units) is dropped whole, with the 4-character tail.
    expect(t.endsWith('a\n…[truncated 6 characters]')).toBe(true);
    expect(truncateMessage('short')).toBe('short');
    expect(truncateMessage(12)).toBe('');
  });
});
