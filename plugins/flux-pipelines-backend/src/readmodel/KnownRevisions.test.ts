import { GLOBAL_KEY } from '../database/RevisionStore';
import { KnownRevisions } from './KnownRevisions';

/** Revisions as one statement read them, the global one among them. */
const read = (global: number, revisions: Record<string, string> = {}) =>
  new Map([[GLOBAL_KEY, String(global)], ...Object.entries(revisions)]);

describe('KnownRevisions', () => {
  it('answers from memory while the global revision stands still, and knows a key never bumped', () => {
    const known = new KnownRevisions();
    known.learn(['a', 'never'], read(5, { a: '2' }));
    expect(known.lookUp(['a', 'never', 'other'], read(5))).toEqual({
      found: new Map([['a', '2']]),
      missing: ['other'],
    });
  });

  it('forgets everything once the global revision moved', () => {
    const known = new KnownRevisions();
    known.learn(['a', 'b'], read(5, { a: '2', b: '1' }));
    // a request that started after another change must not be answered from 5
    expect(known.lookUp(['a', 'b'], read(6)).missing).toEqual(['a', 'b']);
    known.learn(['a'], read(6, { a: '3' }));
    expect(known.lookUp(['a', 'b'], read(6))).toEqual({
      found: new Map([['a', '3']]),
      missing: ['b'],
    });
  });

  it('keeps nothing read before what it knows (a slow read racing a newer one)', () => {
    const known = new KnownRevisions();
    known.learn(['a'], read(7, { a: '3' }));
    known.learn(['a', 'b'], read(6, { a: '2', b: '1' }));
    expect(known.lookUp(['a', 'b'], read(6))).toEqual({
      found: new Map([['a', '3']]),
      missing: ['b'],
    });
  });

  it('answers a request that started earlier from what is known now (newer)', () => {
    const known = new KnownRevisions();
    known.learn(['a'], read(7, { a: '3' }));
    expect(known.lookUp(['a'], read(6)).found).toEqual(new Map([['a', '3']]));
  });

  it('compares revisions as numbers, not text', () => {
    const known = new KnownRevisions();
    known.learn(['a'], read(9, { a: '1' }));
    known.learn(['a'], read(10, { a: '2' }));
    expect(known.lookUp(['a'], read(10)).found).toEqual(new Map([['a', '2']]));
  });
});
