import { mockServices } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { createTestDatabases } from '../__testUtils__/databases';
import { PipelineSources } from '../config/readPipelineSources';
import { DeploymentTracker } from '../correlate/DeploymentTracker';
import { DatabaseAppLabelStore } from '../database/DatabaseAppLabelStore';
import { DatabasePipelineStore } from '../database/DatabasePipelineStore';
import { DatabaseStatusFingerprintStore } from '../database/DatabaseStatusFingerprintStore';
import { DatabaseTargetTransactions } from '../database/DatabaseTargetTransactions';
import { migrateDatabase } from '../database/migrateDatabase';
import { HR_V2 } from '../ingest/__fixtures__/helmReleases';
import { FluxIngestSink } from './FluxIngestSink';

const databases = createTestDatabases();
const ID_LABEL = 'backstage.io/kubernetes-id';

/** A HelmRelease like HR_V2 under another name, labelled with it. */
function release(name: string) {
  return {
    ...HR_V2,
    metadata: {
      ...HR_V2.metadata,
      name,
      uid: `uid-${name}`,
      labels: { [ID_LABEL]: name },
    },
  };
}

describe.each(databases.eachSupportedId())('A list in pages on %s', id => {
  async function setup() {
    const knex = await migrateDatabase(
      mockServices.database({ knex: await databases.init(id) }),
    );
    const logger = mockServices.logger.mock();
    const labels = new DatabaseAppLabelStore(knex);
    const fingerprints = new DatabaseStatusFingerprintStore(knex);
    const sink = new FluxIngestSink({
      tracker: new DeploymentTracker({
        transactions: new DatabaseTargetTransactions(knex),
        logger,
      }),
      pipelines: new DatabasePipelineStore(knex),
      pipelineSources: PipelineSources.of([]),
      appLabels: labels,
      fingerprints,
      logger,
    });
    /** What the database knows of each app: labelled, fingerprinted. */
    const known = async (...names: string[]) => {
      const prints = await fingerprints.readKind('main', 'HelmRelease');
      const out: Record<string, string> = {};
      for (const name of names) {
        const labelled = (await labels.findByLabel(ID_LABEL, name)).length;
        const printed = prints.has(`apps/${name}`);
        out[name] = `${labelled ? 'labelled' : '-'} ${
          printed ? 'printed' : '-'
        }`;
      }
      return out;
    };
    await sink.synced('main', 'HelmRelease', [
      release('podinfo'),
      release('gone'),
    ]);
    return { knex, sink, known };
  }

  it('forgets the labels and fingerprints of the apps no page held, after the last page only', async () => {
    const { sink, known } = await setup();
    const list = sink.listing('main', 'HelmRelease');
    await list.page([release('checkout')]);
    await list.page([release('podinfo')]);
    expect(await known('checkout', 'podinfo', 'gone')).toEqual({
      checkout: 'labelled printed',
      podinfo: 'labelled printed',
      gone: 'labelled printed',
    });
    await list.done();
    expect(await known('checkout', 'podinfo', 'gone')).toEqual({
      checkout: 'labelled printed',
      podinfo: 'labelled printed',
      gone: '- -',
    });
  });

  it('forgets nothing for a list that broke off part way (no last page)', async () => {
    const { sink, known } = await setup();
    await sink.listing('main', 'HelmRelease').page([release('podinfo')]);
    // The list starts again and completes.
    const again = sink.listing('main', 'HelmRelease');
    await again.page([release('podinfo')]);
    expect(await known('podinfo', 'gone')).toEqual({
      podinfo: 'labelled printed',
      gone: 'labelled printed',
    });
    await again.page([release('gone')]);
    await again.done();
    expect(await known('podinfo', 'gone')).toEqual({
      podinfo: 'labelled printed',
      gone: 'labelled printed',
    });
  });

  it("writes each page's labels before what its statuses say (a Helm-tests label gates success)", async () => {
    const { knex, sink } = await setup();
    const order: string[] = [];
    const record = (q: { sql: string }) => {
      const table = /\b(app_labels|observations)\b/.exec(q.sql)?.[1];
      if (table && /^\s*(insert|delete)/i.test(q.sql) && order.at(-1) !== table)
        order.push(table);
    };
    (knex as Knex).on('query', record);
    const list = sink.listing('main', 'HelmRelease');
    await list.page([release('first')]);
    await list.page([release('second')]);
    await list.done();
    knex.removeListener('query', record);
    expect(order).toEqual([
      'app_labels',
      'observations',
      'app_labels',
      'observations',
      'app_labels', // done: podinfo and gone were in no page
    ]);
  });
});
