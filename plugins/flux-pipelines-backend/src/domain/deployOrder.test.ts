import { TargetDeployment } from '@flux-pipelines/plugin-flux-pipelines-common';
import { deployment } from './__testUtils__/deployment';
import { deployOrder } from './deployOrder';
import { compareVersions } from './versionOrder';

/** A small deterministic random source, so a failure can be replayed. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

const sha = (n: number) => `main@sha1:${n.toString(16).padStart(40, '0')}`;
const digest = (n: number) => `sha256:${n.toString(16).padStart(64, '0')}`;

function history(seed: number, kinds: Array<'semver' | 'revision' | 'digest'>) {
  const next = random(seed);
  const versions = new Set<string>();
  const deployments: TargetDeployment[] = [];
  for (let i = 0; i < 12; i++) {
    const kind = kinds[Math.floor(next() * kinds.length)];
    const n = Math.floor(next() * 30);
    const version = {
      semver: () =>
        `${n % 3}.${n % 7}.${n % 5}${next() < 0.3 ? `+${n}` : ''}${
          next() < 0.2 ? '-rc.1' : ''
        }`,
      revision: () => sha(n),
      digest: () => digest(n),
    }[kind]();
    versions.add(version);
    const minute = Math.floor(next() * 600);
    deployments.push(
      deployment(version, 'superseded', {
        finishedAt: new Date(Date.UTC(2026, 11, 1, 0, minute)).toISOString(),
      }),
    );
  }
  // One version that was never deployed here.
  versions.add(kinds.includes('semver') ? '9.9.9' : sha(999));
  return { versions: [...versions], deployments };
}

describe('deploy order', () => {
  it.each([
    ['chart versions', ['semver'] as const],
    ['source revisions', ['revision'] as const],
    ['digests and revisions', ['revision', 'digest'] as const],
    [
      'a mix of chart versions, revisions and digests',
      ['semver', 'revision', 'digest'] as const,
    ],
  ])('is a total order on %s (antisymmetric, transitive)', (_, kinds) => {
    for (let seed = 1; seed <= 15; seed++) {
      const { versions, deployments } = history(seed, [...kinds]);
      const order = deployOrder(deployments);
      for (const a of versions) {
        expect(order(a, a)).toBe(0);
        for (const b of versions) {
          expect(Math.sign(order(a, b)) + Math.sign(order(b, a))).toBe(0);
          for (const c of versions) {
            const ordered = order(a, b) <= 0 && order(b, c) <= 0;
            expect(!ordered || order(a, c) <= 0).toBe(true);
          }
        }
      }
    }
  });

  it('agrees with SemVer for chart versions, whenever they were deployed', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const { versions, deployments } = history(seed, ['semver']);
      const order = deployOrder(deployments);
      for (const a of versions) {
        for (const b of versions) {
          expect(Math.sign(order(a, b))).toBe(
            Math.sign(compareVersions(a, b)!),
          );
        }
      }
    }
  });

  it('orders revisions and digests by first deployment, and puts one after the release deployed before it', () => {
    const at = (minute: number) =>
      new Date(Date.UTC(2026, 11, 1, 0, minute)).toISOString();
    const order = deployOrder([
      deployment('1.0.0', 'superseded', { finishedAt: at(1) }),
      deployment(sha(2), 'superseded', { finishedAt: at(2) }),
      deployment(digest(3), 'superseded', { finishedAt: at(3) }),
      deployment('2.0.0', 'succeeded', { finishedAt: at(4) }),
      deployment(sha(2), 'superseded', { finishedAt: at(5) }),
    ]);
    const sorted = ['2.0.0', digest(3), sha(2), '1.0.0'].sort(order);
    expect(sorted).toEqual(['1.0.0', sha(2), digest(3), '2.0.0']);
  });
});
