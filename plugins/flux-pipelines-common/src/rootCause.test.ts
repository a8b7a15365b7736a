import { rootCause } from './rootCause';

describe('rootCause', () => {
  it('leads with the failed Helm test, not with the release it belongs to', () => {
    expect(
      rootCause(
        'Helm test failed for release dev/podinfo.v3 with chart podinfo@6.5.3: 1 error occurred:\n\t* pod podinfo-test-connection failed\n\n',
      ),
    ).toBe('pod podinfo-test-connection failed');
  });

  it('lists every error of a multi-error, and drops Helm’s logs', () => {
    expect(
      rootCause(
        'Helm install failed for release prod/podinfo with chart podinfo@6.5.4: 2 errors occurred:\n\t* Deployment.apps "podinfo" is invalid: spec.replicas: Invalid value: -1\n\t* Service "podinfo" already exists\n\nLast Helm logs:\n\ncreating 3 resource(s)\nbeginning wait',
      ),
    ).toBe(
      'Deployment.apps "podinfo" is invalid: spec.replicas: Invalid value: -1; Service "podinfo" already exists',
    );
  });

  it('strips the context of upgrade, rollback and legacy messages', () => {
    expect(
      rootCause(
        'Helm upgrade failed for release dev/podinfo with chart podinfo@6.5.4: context deadline exceeded\n\nLast Helm logs:\n\nwaiting for 1 resource(s)',
      ),
    ).toBe('context deadline exceeded');
    expect(
      rootCause(
        'Helm rollback to previous release dev/podinfo.v2 with chart podinfo@6.5.2 failed: timed out waiting for the condition',
      ),
    ).toBe('timed out waiting for the condition');
    expect(
      rootCause('Helm upgrade failed: another operation is in progress'),
    ).toBe('another operation is in progress');
  });

  it('reads kustomize-controller’s health check and apply failures', () => {
    expect(
      rootCause(
        "health check failed after 5m0s: timeout waiting for: [Deployment/default/podinfo status: 'InProgress']",
      ),
    ).toBe(
      "timeout waiting for: [Deployment/default/podinfo status: 'InProgress']",
    );
    expect(
      rootCause(
        'Service/default/podinfo dry-run failed, reason: Invalid: Service "podinfo" is invalid: spec.ports[0].port: Invalid value: 0\n',
      ),
    ).toBe(
      'Service/default/podinfo dry-run failed, reason: Invalid: Service "podinfo" is invalid: spec.ports[0].port: Invalid value: 0',
    );
  });

  it('leaves a message without known context as it is', () => {
    expect(rootCause('ImagePullBackOff')).toBe('ImagePullBackOff');
    expect(rootCause('')).toBe('');
  });
});
