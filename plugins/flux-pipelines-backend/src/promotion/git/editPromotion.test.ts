import { setField, setMarkedVersions } from './editPromotion';

const MARKER = 'flux-system:podinfo:test';

const podinfo = `# The podinfo release of the test environment.
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: podinfo   # keep this name
  namespace: test

spec:
  interval: 5m
  chart:
    spec:
      chart: podinfo
      version: 6.0.0 # {"$promotion": "flux-system:podinfo:test"}
      sourceRef: { kind: HelmRepository, name: podinfo }
  values:
    replicaCount: 2 # not a marker
`;

describe('setMarkedVersions', () => {
  it('changes only the marked value and keeps every other byte', () => {
    const result = setMarkedVersions(podinfo, MARKER, '6.1.0');
    expect(result).toEqual({
      text: podinfo.replace('version: 6.0.0', 'version: 6.1.0'),
      changed: 1,
      found: 1,
    });
  });

  it('keeps the quote style of the existing value', () => {
    const text = [
      `a: "6.0.0" # {"$promotion": "${MARKER}"}`,
      `b: '6.0.0' # {"$promotion": "${MARKER}"}`,
      `c: 6.0.0 # {"$promotion": "${MARKER}"}`,
      '',
    ].join('\n');
    expect(setMarkedVersions(text, MARKER, "7.0.0-rc.1'x").text).toBe(
      [
        `a: "7.0.0-rc.1'x" # {"$promotion": "${MARKER}"}`,
        `b: '7.0.0-rc.1''x' # {"$promotion": "${MARKER}"}`,
        `c: 7.0.0-rc.1'x # {"$promotion": "${MARKER}"}`,
        '',
      ].join('\n'),
    );
  });

  it('quotes a plain value that would otherwise read back as a number', () => {
    const text = `version: 1.9.0 # {"$promotion": "${MARKER}"}\n`;
    expect(setMarkedVersions(text, MARKER, '1.10').text).toBe(
      `version: "1.10" # {"$promotion": "${MARKER}"}\n`,
    );
  });

  it('tolerates spacing variations inside the marker comment', () => {
    const text = [
      `a: 1.0.0 #{"$promotion":"${MARKER}"}`,
      `b: 1.0.0    #   {  "$promotion" :  "${MARKER}"  }  `,
      `c: 1.0.0 # {"$promotion": "${MARKER}:other"}`,
      '',
    ].join('\n');
    const result = setMarkedVersions(text, MARKER, '2.0.0');
    expect(result.changed).toBe(2);
    expect(result.text.split('\n')).toEqual([
      `a: 2.0.0 #{"$promotion":"${MARKER}"}`,
      `b: 2.0.0    #   {  "$promotion" :  "${MARKER}"  }  `,
      `c: 1.0.0 # {"$promotion": "${MARKER}:other"}`,
      '',
    ]);
  });

  it('edits every document of a multi-document file, keeping CRLF line ends', () => {
    const crlf = `${podinfo}---\n${podinfo}`.replace(/\n/g, '\r\n');
    const result = setMarkedVersions(crlf, MARKER, '6.2.0');
    expect(result.changed).toBe(2);
    expect(result.text).toBe(
      crlf.split('version: 6.0.0').join('version: 6.2.0'),
    );
  });

  it('reports no change when nothing is marked, or the version is already there', () => {
    expect(setMarkedVersions(podinfo, 'other:podinfo:test', '6.1.0')).toEqual({
      text: podinfo,
      changed: 0,
      found: 0,
    });
    expect(setMarkedVersions(podinfo, MARKER, '6.0.0')).toEqual({
      text: podinfo,
      changed: 0,
      found: 1,
    });
  });

  it('rejects invalid YAML with a clear error', () => {
    expect(() =>
      setMarkedVersions(
        `a: [1, 2\nversion: 1.0.0 # {"$promotion": "${MARKER}"}\n`,
        MARKER,
        '2.0.0',
      ),
    ).toThrow(/^Invalid YAML: /);
  });
});

describe('setField', () => {
  const unmarked = podinfo.replace(/ # \{"\$promotion".*\}/, '');
  const namespace = `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: test\n`;

  it('changes the field in the documents that have it', () => {
    const text = `${namespace}---\n${unmarked}`;
    const result = setField(text, 'spec.chart.spec.version', '6.1.0');
    expect(result.changed).toBe(1);
    expect(result.text).toBe(text.replace('version: 6.0.0', 'version: 6.1.0'));
  });

  it('fails when no document has the field', () => {
    expect(() =>
      setField(namespace, 'spec.chart.spec.version', '1.0.0'),
    ).toThrow('No YAML document has the field spec.chart.spec.version');
  });

  it('fails when the field is not a single value', () => {
    expect(() => setField(unmarked, 'spec.chart', '1.0.0')).toThrow(
      'The field spec.chart is not a plain or quoted value',
    );
  });

  it('rejects invalid YAML with a clear error', () => {
    expect(() => setField('a: "unterminated\n', 'a', '1')).toThrow(
      /^Invalid YAML: /,
    );
  });
});
