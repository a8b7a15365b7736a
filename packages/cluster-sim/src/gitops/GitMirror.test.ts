import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GitMirror } from './GitMirror';

describe('GitMirror', () => {
  let repo: string;
  beforeAll(() => {
    repo = mkdtempSync(join(tmpdir(), 'git-mirror-test-'));
    const git = (...args: string[]) =>
      execFileSync('git', ['-C', repo, ...args], { stdio: 'ignore' });
    git('init', '--quiet', '--initial-branch', 'main');
    // Enough objects that a fetch is still writing when the mirror closes.
    for (let i = 0; i < 300; i++) {
      writeFileSync(join(repo, `f${i}.yaml`), `n: ${i}\n${'x'.repeat(2000)}\n`);
    }
    git('add', '.');
    git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'seed');
  });
  afterAll(() => rmSync(repo, { recursive: true, force: true }));

  it('reads the files of the fetched commit', async () => {
    const mirror = new GitMirror(repo, 'main');
    const sha = await mirror.fetch();
    expect(sha).toMatch(/^[0-9a-f]{40}$/);
    expect(await mirror.yamlFiles(sha, './')).toHaveLength(300);
    expect(await mirror.read(sha, 'f7.yaml')).toMatch(/^n: 7\n/);
    mirror.close();
  });

  it('closes while a fetch is running: the fetch stops, the mirror is removed, nothing throws', async () => {
    for (let i = 0; i < 10; i++) {
      const mirror = new GitMirror(repo, 'main');
      const dir = (mirror as any).dir as string;
      const fetching = mirror.fetch();
      // Let git start writing into the mirror, then close it.
      await new Promise(r => setTimeout(r, i * 3));
      expect(() => mirror.close()).not.toThrow();
      await fetching.catch(() => undefined);
      expect(existsSync(dir)).toBe(false);
      await expect(mirror.fetch()).rejects.toThrow(/closed/);
    }
  });
});
