import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { podinfoRelease } from '../__testUtils__/fixtures';
import { GitCloneOptions, GitRepository } from './GitRepository';
import { PreviewClones } from './PreviewClones';
import { createTestRemote, TestRemote } from './__testUtils__/testRemote';

const FILE = 'apps/test/podinfo.yaml';
const MARKER = 'flux-system:podinfo:test';

// Real git runs several processes per test.
jest.setTimeout(60_000);

describe('PreviewClones', () => {
  let remote: TestRemote;
  let clones: PreviewClones;
  let now = 0;
  let cloned: GitRepository[];
  let fetches: number;

  beforeEach(() => {
    remote = createTestRemote({ [FILE]: podinfoRelease('test', '6.0.0') });
    cloned = [];
    fetches = 0;
    clones = new PreviewClones({
      freshMs: 10_000,
      maxClones: 2,
      now: () => now,
      clone: async (options: GitCloneOptions) => {
        const repository = await GitRepository.clone(options);
        const reset = repository.resetToRemote.bind(repository);
        repository.resetToRemote = branch => {
          fetches++;
          return reset(branch);
        };
        cloned.push(repository);
        return repository;
      },
    });
  });

  afterEach(async () => {
    await clones.dispose();
    remote.cleanup();
  });

  const options = { url: '', branch: 'main' };
  const preview = (version: string) =>
    clones.use({ ...options, url: remote.url }, repository =>
      repository.editPromotion({ marker: MARKER, version, selector: {} }),
    );

  it('clones once for concurrent previews, each starting from the branch as it is', async () => {
    now = 1_000;
    const results = await Promise.all([
      preview('6.1.0'),
      preview('6.2.0'),
      preview('6.3.0'),
    ]);
    expect(cloned).toHaveLength(1);
    expect(fetches).toBe(0);
    // Every diff starts from 6.0.0: the previous preview's edit was discarded.
    for (const [i, diffs] of results.entries()) {
      expect(diffs[0].diff).toContain('-      version: 6.0.0');
      expect(diffs[0].diff).toContain(`+      version: 6.${i + 1}.0`);
    }
    expect(readFileSync(join(cloned[0].dir, FILE), 'utf8')).toBe(
      podinfoRelease('test', '6.0.0'),
    );
  });

  it('fetches what the branch got once the clone is older than freshMs, with one fetch for concurrent previews', async () => {
    now = 1_000;
    await preview('6.1.0');
    remote.commit('main', { [FILE]: podinfoRelease('test', '6.0.5') }, 'Bump');
    now = 20_000;
    const [first, second] = await Promise.all([
      preview('6.1.0'),
      preview('6.2.0'),
    ]);
    expect(fetches).toBe(1);
    expect(first[0].diff).toContain('-      version: 6.0.5');
    expect(second[0].diff).toContain('-      version: 6.0.5');
    expect(cloned).toHaveLength(1);
  });

  it("reads a commit the clone lacks without a preview's fetch, reset and clean, and the next preview still starts from the branch", async () => {
    now = 1_000;
    await preview('6.1.0');
    const sha = remote.commit(
      'main',
      { [FILE]: podinfoRelease('test', '6.0.5') },
      'Bump',
    );
    now = 20_000; // the clone is older than freshMs
    const author = await clones.read({ ...options, url: remote.url }, r =>
      r.commitAuthor(sha),
    );
    expect(author).toBe(remote.git('log', '-1', '--format=%an', sha).trim());
    expect(fetches).toBe(0);
    expect(cloned).toHaveLength(1);

    const [diff] = await preview('6.2.0');
    expect(fetches).toBe(1);
    expect(diff.diff).toContain('-      version: 6.0.5');
  });

  it('keeps at most maxClones, removing the least recently used', async () => {
    const others = [0, 1].map(() =>
      createTestRemote({ [FILE]: podinfoRelease('test', '6.0.0') }),
    );
    try {
      await preview('6.1.0');
      for (const other of others) {
        await clones.use({ ...options, url: other.url }, async () => undefined);
      }
      await new Promise(r => setTimeout(r, 200)); // the eviction's removal
      expect(cloned).toHaveLength(3);
      expect(existsSync(cloned[0].dir)).toBe(false);
      expect(existsSync(cloned[2].dir)).toBe(true);
    } finally {
      others.forEach(o => o.cleanup());
    }
  });

  it('does not keep a clone whose previews fail in git, but keeps one whose edit was refused', async () => {
    await expect(
      clones.use({ ...options, url: remote.url }, async repository => {
        writeFileSync(join(repository.dir, FILE), 'changed');
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    await preview('6.1.0');
    expect(cloned).toHaveLength(1);
    await expect(
      clones.use(
        { url: `${remote.url}-missing`, branch: 'main' },
        async () => 1,
      ),
    ).rejects.toThrow();
    await expect(
      clones.use(
        { url: `${remote.url}-missing`, branch: 'main' },
        async () => 1,
      ),
    ).rejects.toThrow();
  });
});
