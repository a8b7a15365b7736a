import { mockServices } from '@backstage/backend-test-utils';
import { flaggerCanary } from '../ingest/__testUtils__/flaggerCanary';
import { CanaryIngest } from './CanaryIngest';

const canary = (phase: string) =>
  flaggerCanary({
    status: {
      phase,
      lastAppliedSpec: '5f7b8d9c4',
      lastTransitionTime: '2026-01-01T00:01:00Z',
    },
  });

describe('CanaryIngest', () => {
  it('asks for the gates to be re-evaluated after it recorded phases, not for nothing', async () => {
    const recorded: unknown[] = [];
    const onRecorded = jest.fn();
    const ingest = new CanaryIngest({
      store: {
        record: async observations => {
          recorded.push(...observations);
        },
        verdict: async () => ({ state: 'none', canaries: [] }),
        deleteOlderThan: async () => 0,
      },
      logger: mockServices.logger.mock(),
      onRecorded,
    });

    await ingest.ingest('main', [canary('Winning')]);
    expect(onRecorded).not.toHaveBeenCalled();

    await ingest.ingest('main', [canary('Failed')]);
    expect(recorded).toHaveLength(1);
    expect(onRecorded).toHaveBeenCalledTimes(1);
  });
});
