import { ConfigReader } from '@backstage/config';
import {
  applyPromotionOverrides,
  readPromotionConfig,
} from '../config/readPromotionConfig';
import { evaluateGates } from '../domain/gates';
import { pipelineFromWge } from '../follow/pipelineFromWge';
import { wgePipeline } from '../__testUtils__/wgePipeline';

/** app-config: promotions into test soak 30 minutes, weekdays 09:00-17:00 Berlin. */
const config = readPromotionConfig(
  new ConfigReader({
    fluxPipelines: {
      promotion: {
        pipelines: [
          {
            pipeline: 'flux-system/podinfo',
            environments: [
              {
                name: 'test',
                gates: {
                  soak: '30m',
                  windows: {
                    timeZone: 'Europe/Berlin',
                    allow: [{ start: '0 9 * * 1-5', duration: '8h' }],
                  },
                },
              },
            ],
          },
        ],
      },
    },
  }),
);

/** A tenant's Pipeline object, with these gates on test. */
function tenantPipeline(gates: unknown) {
  const object = wgePipeline('podinfo', {});
  (object.spec.environments[1] as any).gates = gates;
  const result = pipelineFromWge('main', object);
  if ('error' in result) throw new Error(result.error);
  return applyPromotionOverrides(result.pipeline, config);
}

describe('a Pipeline object and the gates app-config sets', () => {
  it.each([
    ['no gates', undefined],
    ['empty gates', {}],
    [
      'a shorter soak and an always-open window',
      {
        soak: '1s',
        windows: { allow: [{ start: '* * * * *', duration: '1h' }] },
      },
    ],
  ])('cannot remove or weaken them (%s)', (_, gates) => {
    const test = tenantPipeline(gates).environments[1];
    expect(test.gates?.soak).toBe('30m');
    // Saturday noon: app-config's window still refuses, whatever the Pipeline says.
    const [, windows] = evaluateGates(test.gates, {
      version: '6.5.1',
      fromEnvironment: 'dev',
      previous: [],
      now: Date.parse('2026-12-12T11:00:00Z'),
    });
    expect(windows).toMatchObject({ gate: 'windows', state: 'waiting' });
  });

  it('may add gates and make them stricter', () => {
    const test = tenantPipeline({
      soak: '2h',
      windows: { deny: [{ start: '0 0 24 12 *', duration: '48h' }] },
    }).environments[1];
    expect(test.gates?.soak).toBe('2h');
    expect(test.gates?.windows).toHaveLength(2);
    const dev = tenantPipeline({}).environments[0];
    expect(dev.gates).toBeUndefined();
  });

  it('is ignored, naming the key, when its gates are unusable', () => {
    const object = wgePipeline('podinfo', {});
    (object.spec.environments[1] as any).gates = { soak: 'forever' };
    expect(pipelineFromWge('main', object)).toEqual({
      error:
        'Pipeline flux-system/podinfo on cluster main environment test: gates.soak: must be a positive Go duration such as 30m, 1h30m or 90s',
    });
  });

  it('app-config with an unusable gate stops the backend, naming the key', () => {
    const bad = new ConfigReader({
      fluxPipelines: {
        promotion: {
          pipelines: [
            {
              pipeline: 'flux-system/podinfo',
              environments: [
                {
                  name: 'prod',
                  gates: {
                    windows: {
                      timeZone: 'Mars/Olympus',
                      allow: [{ start: '0 9 * * *', duration: '1h' }],
                    },
                  },
                },
              ],
            },
          ],
        },
      },
    });
    expect(() => readPromotionConfig(bad)).toThrow(
      /^fluxPipelines.promotion.pipelines flux-system\/podinfo environment prod: gates.windows.allow.0.start: '0 9 \* \* \*' in Mars\/Olympus: /,
    );
  });
});
