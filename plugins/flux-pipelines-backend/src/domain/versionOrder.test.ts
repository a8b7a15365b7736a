import { compareVersions, isDowngrade } from './versionOrder';

describe('version order', () => {
  it('orders chart versions by SemVer, not as text', () => {
    expect(compareVersions('6.10.0', '6.9.9')).toBeGreaterThan(0);
    expect(compareVersions('6.5.2', '6.9.9')).toBeLessThan(0);
    expect(compareVersions('1.0.0-rc.1', '1.0.0')).toBeLessThan(0);
    expect(compareVersions('1.0.0-rc.10', '1.0.0-rc.9')).toBeGreaterThan(0);
  });

  it('ignores build metadata and OCI digests for the order', () => {
    expect(compareVersions('6.6.1+0cc9a8446c95', '6.6.1+aaaaaaaaaaaa')).toBe(0);
    expect(
      compareVersions(`6.6.1@sha256:${'a'.repeat(64)}`, '6.6.0+0cc9a8446c95'),
    ).toBeGreaterThan(0);
  });

  it('cannot order what does not parse (source revisions)', () => {
    expect(compareVersions(`main@sha1:${'b'.repeat(40)}`, '1.0.0')).toBe(
      undefined,
    );
    expect(isDowngrade(`main@sha1:${'b'.repeat(40)}`, '1.0.0')).toBe(false);
  });

  it('calls going back to an older release a downgrade', () => {
    expect(isDowngrade('6.9.9', '6.5.2')).toBe(true);
    expect(isDowngrade('6.5.2', '6.9.9')).toBe(false);
    expect(isDowngrade(undefined, '6.5.2')).toBe(false);
    expect(isDowngrade('6.5.2', '6.5.2+build')).toBe(false);
  });

  it('is a total order on any list of chart versions (antisymmetric, transitive)', () => {
    const versions = [
      '0.0.1',
      '1.0.0-alpha',
      '1.0.0-alpha.1',
      '1.0.0-beta',
      '1.0.0',
      '1.0.0+b1',
      '1.2.0',
      '1.10.0',
      '2.0.0-rc.1',
      '2.0.0',
    ];
    for (const a of versions) {
      for (const b of versions) {
        expect(
          Math.sign(compareVersions(a, b)!) + Math.sign(compareVersions(b, a)!),
        ).toBe(0);
        for (const c of versions) {
          const ordered =
            compareVersions(a, b)! <= 0 && compareVersions(b, c)! <= 0;
          expect(!ordered || compareVersions(a, c)! <= 0).toBe(true);
        }
      }
    }
  });
});
