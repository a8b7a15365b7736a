import { createTestDatabases } from '../__testUtils__/databases';
import { eventually } from '../follow/scenarios/__testUtils__/scenarioHelpers';
import {
  ADA,
  commitAndWait,
  usePromotionScenario,
} from '../promotion/__testUtils__/promotionScenario';
import {
  GRACE,
  LINUS,
  startNotifyingBackend,
} from './__testUtils__/notificationsBackend';

jest.setTimeout(120_000);

const databases = createTestDatabases();
const TOPIC = 'flux-pipelines:flux-system/podinfo';
const TAB = '/catalog/default/component/podinfo/flux-pipelines';
const pause = (ms: number) => new Promise(r => setTimeout(r, ms));

/**
 * The real plugin, the real notifications backend, the stand-in cluster and
 * a fleet repository: what the owners of podinfo (team-a: grace) and the
 * configured approver (linus) find in their notifications.
 */
describe.each(databases.eachSupportedId())(
  'notifications of pipeline states, on %p',
  databaseId => {
    const scenario = usePromotionScenario('flux-pipelines-notify-');
    const others: Array<{ backend: { stop(): Promise<void> } }> = [];
    afterEach(async () => {
      await Promise.all(others.splice(0).map(o => o.backend.stop()));
    });
    const start = async (dbs: Parameters<typeof startNotifyingBackend>[2]) =>
      startNotifyingBackend(scenario.sim, scenario.fleet.url, dbs);
    const newDatabases = async () => ({
      plugin: await databases.init(databaseId),
      notifications: await databases.init(databaseId),
    });

    it('tells the owner and the approver once that a promotion to prod waits for approval', async () => {
      const dbs = await newDatabases();
      const b = await start(dbs);
      scenario.backend = b;
      // A second replica on the same databases runs the follow-up too.
      others.push(await start(dbs));
      await commitAndWait(b, scenario.fleet, 'test', '6.6.0');
      const res = await b.promote({
        environment: 'prod',
        version: '6.6.0',
        entityRef: 'component:default/podinfo',
      });
      expect(res.status).toBe(201);
      expect(res.body.state).toBe('waiting-approval');

      const inbox = await eventually(async () => {
        const list = await b.inbox(GRACE);
        return list.length ? list : undefined;
      });
      expect(inbox).toHaveLength(1);
      expect(inbox[0].payload).toMatchObject({
        title: 'Approval needed: podinfo 6.6.0 to prod',
        severity: 'normal',
        topic: TOPIC,
        link: TAB,
        scope: `promotion:${res.body.id}`,
      });
      expect(inbox[0].payload.description).toContain(`${ADA} asked`);
      await eventually(async () => (await b.inbox(LINUS)).length === 1);
      // Ada asked and owns nothing: she is not told.
      expect(await b.inbox(ADA)).toEqual([]);
      // Follow-up passes on both replicas send nothing more.
      await pause(3000);
      expect(await b.inbox(GRACE)).toHaveLength(1);
      expect(await b.inbox(LINUS)).toHaveLength(1);
    });

    it('tells the owner once of a failed deployment, not again on another replica after a restart', async () => {
      const dbs = await newDatabases();
      const a = await start(dbs);
      scenario.backend = a;
      scenario.sim.simulator!.planOutcome(
        { namespace: 'test', name: 'podinfo', version: '6.6.1' },
        'fail',
      );
      await commitAndWait(a, scenario.fleet, 'test', '6.6.0');
      scenario.fleet.commit('test', '6.6.1');
      const [failed] = await eventually(async () => {
        const list = await a.inbox(GRACE);
        return list.length ? list : undefined;
      }, 30_000);
      expect(failed.payload).toMatchObject({
        title: 'podinfo 6.6.1 failed in test',
        severity: 'high',
        topic: TOPIC,
        link: TAB,
      });
      // Not an approval: the approver is not told.
      expect(await a.inbox(LINUS)).toEqual([]);
      await a.markRead(GRACE, [failed.id]);

      // A second replica takes the cluster over when the first stops, and
      // lists it again from the start.
      const b = await start(dbs);
      await a.backend.stop();
      scenario.backend = b;
      // B watches the cluster: a new version in dev shows through it.
      await commitAndWait(b, scenario.fleet, 'dev', '6.6.2', { tested: false });
      await pause(3000);
      const after = await b.inbox(GRACE);
      expect(after).toHaveLength(1);
      // Not sent again: a repeat would have made it unread.
      expect(after[0]).toMatchObject({ id: failed.id });
      expect(after[0].read).toBeTruthy();
    });

    it('tells the owners once, at high severity, that a promotion went through a failing gate, naming the gate and who overrode it', async () => {
      const dbs = await newDatabases();
      const soakOnTest = {
        pipelines: [
          {
            pipeline: 'flux-system/podinfo',
            strategy: { commit: { url: scenario.fleet.url, branch: 'main' } },
            environments: [
              { name: 'test', automatic: false, gates: { soak: '1h' } },
            ],
          },
        ],
      };
      const startWithGate = () =>
        startNotifyingBackend(
          scenario.sim,
          scenario.fleet.url,
          dbs,
          [LINUS],
          soakOnTest,
        );
      const b = await startWithGate();
      scenario.backend = b;
      others.push(await startWithGate());
      await commitAndWait(b, scenario.fleet, 'dev', '6.5.1');
      const res = await b.promote({
        environment: 'test',
        version: '6.5.1',
        entityRef: 'component:default/podinfo',
        override: true,
      });
      expect(res.status).toBe(201);

      const title = 'Gate overridden: podinfo 6.5.1 to test';
      const overrides = async (user: string) =>
        (await b.inbox(user)).filter(n => n.payload.title === title);
      const [notice] = await eventually(async () => {
        const list = await overrides(GRACE);
        return list.length ? list : undefined;
      }, 30_000);
      expect(notice.payload).toMatchObject({
        severity: 'high',
        topic: TOPIC,
        link: TAB,
        scope: `promotion:${res.body.id}:gates-overridden`,
      });
      expect(notice.payload.description).toBe(
        `${ADA} promoted 6.5.1 to test in pipeline flux-system/podinfo through soak (soak 0 of 60 min in dev).`,
      );
      // Follow-up passes on both replicas, and the promotion's later states, send it no more.
      await eventually(
        async () => (await b.get('/promotions')).items[0]?.state === 'deployed',
        30_000,
      );
      await pause(3000);
      expect(await overrides(GRACE)).toHaveLength(1);
      // The owners are told; the approver and the overrider are not.
      expect(await overrides(LINUS)).toEqual([]);
      expect(await overrides(ADA)).toEqual([]);
    });
  },
);
