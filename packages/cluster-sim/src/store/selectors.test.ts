import { parseFieldSelector, parseLabelSelector } from './selectors';
import { applyJsonPatch, applyMergePatch } from './patch';

const obj = (
  labels: Record<string, string>,
  extra: Record<string, unknown> = {},
) => ({ metadata: { name: 'x', labels }, ...extra });

describe('selectors and patches', () => {
  it('matches label selectors the way kubectl -l does', () => {
    const s = parseLabelSelector('env in (dev,test),app!=other,!legacy,team');
    expect(s(obj({ env: 'dev', app: 'podinfo', team: 'a' }))).toBe(true);
    expect(s(obj({ env: 'prod', team: 'a' }))).toBe(false);
    expect(s(obj({ env: 'dev', team: 'a', legacy: 'y' }))).toBe(false);
    expect(s(obj({ env: 'dev' }))).toBe(false);
    expect(parseLabelSelector('env notin (prod)')(obj({}))).toBe(true);
  });

  it('matches field selectors, with aliases for events.k8s.io names', () => {
    const s = parseFieldSelector('regarding.name=podinfo,type!=Normal', {
      'regarding.': 'involvedObject.',
    });
    expect(
      s(obj({}, { involvedObject: { name: 'podinfo' }, type: 'Warning' })),
    ).toBe(true);
    expect(
      s(obj({}, { involvedObject: { name: 'podinfo' }, type: 'Normal' })),
    ).toBe(false);
  });

  it('applies merge patches (null deletes) and JSON patches', () => {
    expect(
      applyMergePatch({ a: 1, b: { c: 2, d: 3 } }, { b: { c: null, e: 4 } }),
    ).toEqual({ a: 1, b: { d: 3, e: 4 } });
    const doc = { spec: { list: [1, 2] } };
    expect(
      applyJsonPatch(doc, [
        { op: 'add', path: '/spec/list/-', value: 3 },
        { op: 'remove', path: '/spec/list/0' },
        { op: 'add', path: '/spec/a~1b', value: true },
      ]),
    ).toEqual({ spec: { list: [2, 3], 'a/b': true } });
    expect(() =>
      applyJsonPatch(doc, [{ op: 'test', path: '/spec/list/0', value: 9 }]),
    ).toThrow('test operation failed');
    expect(doc).toEqual({ spec: { list: [1, 2] } });
  });
});
