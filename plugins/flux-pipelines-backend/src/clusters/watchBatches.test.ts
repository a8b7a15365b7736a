import { MAX_BATCH, WatchChange, handleWatchLines } from './watchBatches';

/** `count` ADDED lines whose resourceVersions are 1, 2, ... */
function lines(count: number) {
  return Array.from({ length: count }, (_, i) => ({
    type: 'ADDED',
    object: { metadata: { name: `e${i + 1}`, resourceVersion: `${i + 1}` } },
  }));
}

/** Runs handleWatchLines over two full batches, with each delivery held until released. */
function twoBatches(inFlight?: number) {
  const log: string[] = [];
  const held: Array<{ release(): void; fail(e: Error): void }> = [];
  const run = handleWatchLines(lines(2 * MAX_BATCH), {
    signal: new AbortController().signal,
    progress: { received: 0, expired: false },
    inFlight,
    deliver: (changes: WatchChange[]) => {
      log.push(`deliver ${changes.at(-1)!.object.metadata!.resourceVersion}`);
      return new Promise<void>((resolve, reject) => {
        held.push({ release: resolve, fail: reject });
      });
    },
    resumeFrom: rv => log.push(`resume ${rv}`),
  });
  return { log, held, run };
}

const settle = () => new Promise(r => setImmediate(r));
const [FIRST, SECOND] = [`${MAX_BATCH}`, `${2 * MAX_BATCH}`];

describe('handleWatchLines', () => {
  it('by default hands the next batch over only after the previous one was handled', async () => {
    const { log, held, run } = twoBatches();
    await settle();
    expect(log).toEqual([`deliver ${FIRST}`]);
    held[0].release();
    await settle();
    held[1].release();
    await run;
    expect(log).toEqual([
      `deliver ${FIRST}`,
      `resume ${FIRST}`,
      `deliver ${SECOND}`,
      `resume ${SECOND}`,
    ]);
  });

  it('with two in flight, prepares the next batch while the first is stored, and resumes after each in order', async () => {
    const { log, held, run } = twoBatches(2);
    await settle();
    expect(log).toEqual([`deliver ${FIRST}`, `deliver ${SECOND}`]);
    // The second is done first: the watch still may not move past the first.
    held[1].release();
    await settle();
    expect(log).not.toContain(`resume ${SECOND}`);
    held[0].release();
    await run;
    expect(log.slice(2)).toEqual([`resume ${FIRST}`, `resume ${SECOND}`]);
  });

  it('never resumes past a batch that failed, even when a later one was stored', async () => {
    const { log, held, run } = twoBatches(2);
    await settle();
    held[1].release();
    held[0].fail(new Error('database down'));
    await expect(run).rejects.toThrow('database down');
    expect(log.filter(l => l.startsWith('resume'))).toEqual([]);
  });
});
