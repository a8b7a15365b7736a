import { ApiError } from '../store/ApiError';
import { ControlRoutes } from '../server/controlRoutes';
import { FluxSimulator } from './FluxSimulator';
import { HELM_RELEASE, ReleaseOutcome } from './HelmReleaseSimulator';

const OUTCOMES: ReleaseOutcome[] = ['success', 'fail', 'test-fail'];

/**
 * Control routes for the Flux simulator:
 * `POST /_sim/helmreleases/outcomes` `{namespace, name, version?, outcomes: ['fail', ...]}` queues outcomes;
 * `POST /_sim/helmreleases/release` `{namespace, name, version?, values?, outcome?}` sets the
 * desired chart version/values as a commit to the cluster would;
 * `POST /_sim/canaries/outcome` `{namespace, name, version, outcome: 'fail' | 'success'}` decides how
 * the canary's analysis of that chart version ends.
 */
export function registerSimulatorRoutes(
  control: ControlRoutes,
  simulator: FluxSimulator,
) {
  control.register('POST', '/_sim/helmreleases/outcomes', body => {
    const outcomes: ReleaseOutcome[] = body.outcomes ?? [];
    if (
      !body.namespace ||
      !body.name ||
      outcomes.some(o => !OUTCOMES.includes(o))
    ) {
      throw ApiError.badRequest(
        `need namespace, name and outcomes from ${OUTCOMES.join(', ')}`,
      );
    }
    simulator.planOutcome(body, ...outcomes);
    return { queued: outcomes.length };
  });
  control.register('POST', '/_sim/canaries/outcome', body => {
    if (
      !body.namespace ||
      !body.name ||
      !body.version ||
      !['fail', 'success'].includes(body.outcome)
    )
      throw ApiError.badRequest(
        'need namespace, name, version and outcome fail or success',
      );
    simulator.planCanary(body, body.outcome);
    return { planned: body.outcome };
  });
  control.register('POST', '/_sim/helmreleases/release', body => {
    if (!body.namespace || !body.name)
      throw ApiError.badRequest('need namespace and name');
    if (body.outcome)
      simulator.planOutcome(
        { namespace: body.namespace, name: body.name },
        body.outcome,
      );
    const store = simulator.store;
    const hr = store.mutate(HELM_RELEASE, body.namespace, body.name, obj => {
      obj.spec ??= {};
      if (body.version) {
        obj.spec.chart ??= { spec: {} };
        obj.spec.chart.spec.version = body.version;
      }
      if (body.values) obj.spec.values = body.values;
    });
    return {
      generation: hr.metadata.generation,
      resourceVersion: hr.metadata.resourceVersion,
    };
  });
}
