import { chartVersion, normaliseCanary } from './normaliseCanary';
import { flaggerCanary as canary } from './__testUtils__/flaggerCanary';

describe('normaliseCanary', () => {
  it('reads the phase of the revision and the version and HelmRelease its labels name', () => {
    expect(normaliseCanary(canary(), { cluster: 'c' })).toEqual({
      ok: true,
      observation: {
        cluster: 'c',
        namespace: 'prod',
        target: 'podinfo',
        canary: 'podinfo',
        specHash: '5f7b8d9c4',
        phase: 'Progressing',
        version: '6.5.1',
        at: '2026-01-01T00:01:00.000Z',
      },
    });
  });

  it('ignores a canary that claims a HelmRelease of another namespace', () => {
    const result = normaliseCanary(
      canary({ labels: { 'helm.toolkit.fluxcd.io/namespace': 'team-a' } }),
      { cluster: 'c' },
    );
    expect(result).toEqual({
      ok: true,
      ignored: 'follows a HelmRelease in another namespace (team-a)',
    });
  });

  it('refuses malformed canaries with a reason naming them, and never throws', () => {
    expect(
      normaliseCanary(canary({ status: { phase: 'Winning' } }), {
        cluster: 'c',
      }),
    ).toEqual({
      ok: false,
      reason: "unknown status.phase 'Winning'",
      object: 'prod/podinfo',
    });
    expect(
      normaliseCanary(canary({ labels: { 'helm.sh/chart': 'podinfo' } }), {
        cluster: 'c',
      }),
    ).toMatchObject({ ok: false, object: 'prod/podinfo' });
    for (const bad of [
      null,
      7,
      'x',
      [],
      { metadata: 3 },
      canary({ status: 5 }),
    ])
      expect(() => normaliseCanary(bad, { cluster: 'c' })).not.toThrow();
    expect(normaliseCanary(null, { cluster: 'c' }).ok).toBe(false);
  });

  it('reads chart versions from chart labels with dashes in either part', () => {
    expect(chartVersion('my-chart-1.2.3-rc.1')).toBe('1.2.3-rc.1');
    expect(chartVersion('podinfo-6.5.1+0cc9a8446c95')).toBe(
      '6.5.1+0cc9a8446c95',
    );
    expect(chartVersion('podinfo')).toBeUndefined();
  });
});
