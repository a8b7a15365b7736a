import { promotionBranch } from './promotionBranch';

/** The rules of `git check-ref-format` for a branch name. */
function isValidBranch(name: string): boolean {
  return (
    ![...name].some(c => c.charCodeAt(0) <= 0x20 || c.charCodeAt(0) === 0x7f) &&
    !/[~^:?*[\\]/.test(name) &&
    !name.includes('..') &&
    !name.includes('@{') &&
    !name.includes('//') &&
    !name.startsWith('/') &&
    !name.endsWith('/') &&
    !name.endsWith('.') &&
    name !== '@' &&
    name
      .split('/')
      .every(part => part && !part.startsWith('.') && !part.endsWith('.lock'))
  );
}

describe('promotionBranch', () => {
  it('names one branch per pipeline and environment', () => {
    expect(promotionBranch('flux-system', 'podinfo', 'prod')).toBe(
      'flux-pipelines/promote/flux-system/podinfo/prod',
    );
  });

  it('makes any environment name a valid branch name', () => {
    for (const environment of [
      'prod eu',
      '..hidden',
      'a..b',
      'x.lock',
      'ends.',
      'we~ird^:?*[\\',
      '@{x}',
      '',
      'ünïcode',
    ]) {
      const branch = promotionBranch('ns', 'app', environment);
      expect([environment, isValidBranch(branch)]).toEqual([environment, true]);
      expect(branch.startsWith('flux-pipelines/promote/ns/app/')).toBe(true);
    }
  });

  it('never gives two environments the same branch', () => {
    const names = ['prod eu', 'prod-eu', 'prod/eu', 'prod_eu', 'prod.eu'];
    const branches = new Set(names.map(n => promotionBranch('ns', 'app', n)));
    expect(branches.size).toBe(names.length);
  });
});
