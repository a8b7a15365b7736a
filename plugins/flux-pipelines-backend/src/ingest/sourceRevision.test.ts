import { changeSource, gitShaOf, parseSourceRevision } from './sourceRevision';
import { isVersionOf } from './versionFormat';

const SHA = '0123456789abcdef0123456789abcdef01234567';
const DIGEST = `sha256:${'ab'.repeat(32)}`;

describe('parseSourceRevision', () => {
  it('reads every form Flux reports', () => {
    expect(parseSourceRevision(`main@sha1:${SHA}`)).toEqual({
      kind: 'git',
      revision: `main@sha1:${SHA}`,
      ref: 'main',
      sha: SHA,
    });
    expect(gitShaOf(`refs/tags/v1.2.3@sha1:${SHA}`)).toBe(SHA);
    expect(gitShaOf(`sha1:${SHA}`)).toBe(SHA);
    expect(gitShaOf(`main/${SHA}`)).toBe(SHA);
    expect(gitShaOf(SHA)).toBe(SHA);
    expect(parseSourceRevision(`latest@${DIGEST}`)).toMatchObject({
      kind: 'digest',
      ref: 'latest',
      digest: DIGEST,
    });
    expect(parseSourceRevision('ab'.repeat(32))).toMatchObject({
      kind: 'digest',
      digest: DIGEST,
    });
  });

  it('refuses anything else, which is then never linked', () => {
    for (const junk of [
      undefined,
      42,
      '',
      // eslint-disable-next-line no-script-url -- a hostile input
      'javascript:alert(1)',
      `main@sha1:${SHA}"><img src=x>`,
      `main@sha1:${SHA.toUpperCase()}`,
      `../main@sha1:${SHA}`,
      `main with space@sha1:${SHA}`,
      `${'a'.repeat(100)}/b@sha1:${SHA}`,
      `main@sha1:${SHA.slice(1)}`,
    ]) {
      expect(parseSourceRevision(junk)).toBeUndefined();
    }
  });

  it('is the grammar Kustomization versions are checked with', () => {
    expect(isVersionOf('Kustomization', `main@sha1:${SHA}`)).toBe(true);
    // eslint-disable-next-line no-script-url -- a hostile input
    expect(isVersionOf('Kustomization', 'javascript:alert(1)')).toBe(false);
  });
});

describe('changeSource', () => {
  it('reads originRevision and oci-digest in both key styles, dropping junk', () => {
    expect(
      changeSource('Kustomization', {
        'kustomize.toolkit.fluxcd.io/originRevision': `main@sha1:${SHA}`,
      }),
    ).toBe(`main@sha1:${SHA}`);
    expect(changeSource('HelmRelease', { 'oci-digest': DIGEST })).toBe(DIGEST);
    expect(
      changeSource('HelmRelease', { 'oci-digest': 'sha256:<script>' }),
    ).toBeUndefined();
    expect(changeSource('Kustomization', 'not an object')).toBeUndefined();
  });
});
