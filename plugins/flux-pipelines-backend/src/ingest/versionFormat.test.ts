import {
  MAX_VERSION_CHARS,
  isVersionOf,
  versionProblem,
} from './versionFormat';

const SHA1 = '2f7a1c0d9e8b7a6f5e4d3c2b1a0f9e8d7c6b5a49';
const SHA256 =
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

describe('versionFormat', () => {
  it.each([
    '6.5.0',
    '0.1.3+2',
    '6.6.1+0cc9a8446c95',
    '1.0.0-rc.1',
    '1.0.0-alpha.1+build.5.sha-1f2e',
    'v2.3.4',
    '1.2',
    '9.9.9-forged', // a valid version: the controller and the status decide
    `6.6.1@sha256:${SHA256}`,
    `6.6.1+0cc9a8446c95@sha256:${SHA256}`,
  ])('takes the Helm chart version %p', version => {
    expect(isVersionOf('HelmRelease', version)).toBe(true);
  });

  it.each([
    `main@sha1:${SHA1}`,
    `refs/heads/main@sha1:${SHA1}`,
    `refs/tags/v1.2.3@sha1:${SHA1}`,
    `v1.2.3@sha1:${SHA1}`,
    `feature/x_y-z@sha1:${SHA1}`,
    `sha256:${SHA256}`,
    `sha1:${SHA1}`,
    `latest@sha256:${SHA256}`,
    `main/${SHA1}`,
    SHA1,
    SHA256,
  ])('takes the source revision %p', revision => {
    expect(isVersionOf('Kustomization', revision)).toBe(true);
  });

  it.each([
    '',
    ' 6.5.0',
    '6.5.0 ',
    '6.5.0\n',
    '6.5.0; rm -rf /',
    '6.5.0@sha256:abc',
    '../../etc/passwd',
    '6.5.0\u0000',
    '６.５.０',
    'latest',
    `1.0.0-${'a'.repeat(MAX_VERSION_CHARS)}`,
    '<script>alert(1)</script>',
    '1.0.0+',
    '1.0.0-',
    '1..0',
  ])('refuses %p as a Helm chart version', version => {
    expect(isVersionOf('HelmRelease', version)).toBe(false);
  });

  it.each([
    '6.5.0',
    'main',
    'main@sha1:2f7a1c0d',
    `main@sha1:${SHA1}x`,
    `main@md5:${SHA1}`,
    `ma in@sha1:${SHA1}`,
    `../x@sha1:${SHA1}`,
    `main@sha1:${SHA1.toUpperCase()}`,
    `${'r'.repeat(120)}@sha1:${SHA1}`,
    `main@sha1:${SHA1}\nsecond line`,
  ])('refuses %p as a source revision', revision => {
    expect(isVersionOf('Kustomization', revision)).toBe(false);
  });

  it('refuses non-strings', () => {
    for (const v of [6, null, {}, ['6.5.0'], true]) {
      expect(isVersionOf('HelmRelease', v)).toBe(false);
    }
  });

  it('names the field and the expected form, and cuts long values', () => {
    expect(
      versionProblem('HelmRelease', undefined, 'revision'),
    ).toBeUndefined();
    expect(versionProblem('HelmRelease', '6.5.0', 'revision')).toBeUndefined();
    const problem = versionProblem('HelmRelease', 'x'.repeat(300), 'revision');
    expect(problem).toMatch(
      /^revision "x{40}"… \(300 characters\) is not a Helm chart version \(SemVer 2\) of at most 128 characters$/,
    );
  });
});
