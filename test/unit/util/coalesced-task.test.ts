import { CoalescedTask } from '../../../src/util/coalesced-task';

/** A task whose runs end only when the test says so (no timing). */
function gatedTask() {
  const gates: Array<{ resolve: () => void; reject: (e: Error) => void }> = [];
  let started = 0;
  const task = new CoalescedTask(() => new Promise<void>((resolve, reject) => { started++; gates.push({ resolve, reject }); }));
  const flush = () => new Promise((r) => setImmediate(r));
  return { task, gates, runs: () => started, flush };
}

describe('CoalescedTask', () => {
  it('callers during a run share one next run that starts after it', async () => {
    const { task, gates, runs, flush } = gatedTask();
    const first = task.run();
    const waiting = [task.run(), task.run(), task.run()];
    expect(runs()).toBe(1);
    let settled = 0;
    waiting.forEach((p) => void p.then(() => settled++));
    gates[0].resolve();
    await first;
    await flush();
    expect(runs()).toBe(2); // the three callers' run started only after the first ended
    expect(settled).toBe(0);
    gates[1].resolve();
    await Promise.all(waiting);
    expect(runs()).toBe(2);
    const later = task.run(); // idle again: a fresh run
    expect(runs()).toBe(3);
    gates[2].resolve();
    await later;
  });

  it('a failed run rejects its callers; the queued run still happens', async () => {
    const { task, gates, runs, flush } = gatedTask();
    const first = task.run();
    const queued = task.run();
    gates[0].reject(new Error('db busy'));
    await expect(first).rejects.toThrow('db busy');
    await flush();
    expect(runs()).toBe(2);
    gates[1].resolve();
    await expect(queued).resolves.toBeUndefined();
  });
});
