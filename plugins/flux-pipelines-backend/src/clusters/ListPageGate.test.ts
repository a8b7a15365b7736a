import { ListPageGate } from './ListPageGate';

describe('ListPageGate', () => {
  it('lets no more than its slots through; a slot given back goes to the first waiter', async () => {
    const gate = new ListPageGate(2);
    const signal = new AbortController().signal;
    const first = await gate.take(signal);
    await gate.take(signal);
    const order: string[] = [];
    const third = gate.take(signal).then(give => {
      order.push('third');
      return give;
    });
    const fourth = gate.take(signal).then(() => order.push('fourth'));
    await new Promise(r => setImmediate(r));
    expect(order).toEqual([]);

    first();
    first(); // given back once only
    await third;
    await new Promise(r => setImmediate(r));
    expect(order).toEqual(['third']);

    (await third)();
    await fourth;
    expect(order).toEqual(['third', 'fourth']);
  });

  it('a waiter whose list was stopped leaves the queue and takes no slot', async () => {
    const gate = new ListPageGate(1);
    const give = await gate.take(new AbortController().signal);
    const stopped = new AbortController();
    const waiting = gate.take(stopped.signal);
    stopped.abort();
    await expect(waiting).rejects.toBeDefined();

    give();
    // The slot is free again, not held by the stopped waiter.
    const again = await Promise.race([
      gate.take(new AbortController().signal).then(() => 'taken'),
      new Promise(r => setTimeout(() => r('blocked'), 1000)),
    ]);
    expect(again).toBe('taken');
  });
});
