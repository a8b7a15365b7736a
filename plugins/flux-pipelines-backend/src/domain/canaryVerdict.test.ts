import { CanaryPhaseRecord, canaryVerdict } from './canaryVerdict';

let minute = 0;
function seen(
  phase: CanaryPhaseRecord['phase'],
  version: string,
  specHash: string,
  canary = 'podinfo',
): CanaryPhaseRecord {
  minute += 1;
  return {
    canary,
    specHash,
    phase,
    version,
    at: new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString(),
  };
}

describe('canaryVerdict', () => {
  it('says succeeded for the version whose revision Flagger analysed and promoted', () => {
    const records = [
      seen('Initialized', '6.5.0', 'h0'),
      seen('Progressing', '6.5.1', 'h1'),
      seen('Promoting', '6.5.1', 'h1'),
      seen('Succeeded', '6.5.1', 'h1'),
    ];
    expect(canaryVerdict(records, '6.5.1')).toMatchObject({
      state: 'succeeded',
      canaries: [{ canary: 'podinfo', phase: 'Succeeded' }],
    });
    expect(canaryVerdict(records.slice(0, 2), '6.5.1').state).toBe('analysing');
    // Initialisation is no analysis of a version.
    expect(canaryVerdict(records, '6.5.0').state).toBe('none');
  });

  it('keeps an old Succeeded with its old version after Helm re-labelled the canary', () => {
    const records = [
      seen('Progressing', '6.5.1', 'h1'),
      seen('Succeeded', '6.5.1', 'h1'),
      // Helm upgraded to 6.5.2 and re-labelled the canary; Flagger has not noticed yet.
      seen('Succeeded', '6.5.2', 'h1'),
    ];
    expect(canaryVerdict(records, '6.5.2').state).toBe('none');
    expect(canaryVerdict(records, '6.5.1').state).toBe('succeeded');
  });

  it('counts no version for a revision first seen already finished (after downtime)', () => {
    expect(
      canaryVerdict([seen('Succeeded', '6.5.2', 'h2')], '6.5.2').state,
    ).toBe('none');
  });

  it('lets a failed canary win over a succeeded one for the same version', () => {
    const records = [
      seen('Progressing', '6.5.1', 'h1', 'podinfo'),
      seen('Failed', '6.5.1', 'h1', 'podinfo'),
      seen('Progressing', '6.5.1', 'forged', 'podinfo-too'),
      seen('Succeeded', '6.5.1', 'forged', 'podinfo-too'),
    ];
    expect(canaryVerdict(records, '6.5.1').state).toBe('failed');
  });
});
