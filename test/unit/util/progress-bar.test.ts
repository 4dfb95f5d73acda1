import { renderBar, terminalProgress } from '../../../src/cli/progress-bar';
import { progressCounter } from '../../../src/util/progress';

function fakeStream(isTTY: boolean) {
  const out: string[] = [];
  return { out, stream: { isTTY, write: (s: string) => { out.push(s); return true; } } };
}

describe('progress: onProgress hook and the CLI bar', () => {
  it('counts items and reports each to the hook; a throwing hook does not break the caller', () => {
    const seen: unknown[] = [];
    const tick = progressCounter('rebuild', 2, (e) => seen.push(e));
    tick('r1');
    tick('r2');
    expect(seen).toEqual([{ task: 'rebuild', done: 1, total: 2, item: 'r1' }, { task: 'rebuild', done: 2, total: 2, item: 'r2' }]);
    expect(() => progressCounter('x', 1, () => { throw new Error('boom'); })()).not.toThrow();
    expect(() => progressCounter('x', 1, undefined)()).not.toThrow();
  });

  it('draws nothing before the delay on a TTY, then a bar, and clears it at the end', () => {
    let t = 0;
    const { out, stream } = fakeStream(true);
    const hook = terminalProgress({ stream, delayMs: 1000, now: () => t });
    hook({ task: 'rebuild', done: 1, total: 4 });
    t = 500;
    hook({ task: 'rebuild', done: 2, total: 4 });
    expect(out).toEqual([]);
    t = 1500;
    hook({ task: 'rebuild', done: 3, total: 4 });
    expect(out).toEqual([`\r\x1b[2K${renderBar({ task: 'rebuild', done: 3, total: 4 })}`]);
    expect(out[0]).toContain('[#######################-------]  75% 3/4');
    t = 1700;
    hook({ task: 'rebuild', done: 4, total: 4 });
    expect(out[1]).toBe('\r\x1b[2K');
  });

  it('prints nothing off a terminal, or one line per item with log', () => {
    const quiet = fakeStream(false);
    terminalProgress({ stream: quiet.stream })({ task: 'rebuild', done: 1, total: 2, item: 'r1' });
    expect(quiet.out).toEqual([]);
    const logged = fakeStream(false);
    terminalProgress({ stream: logged.stream, log: true })({ task: 'rebuild', done: 1, total: 2, item: 'r1' });
    expect(logged.out).toEqual(['rebuild: 1/2 r1\n']);
  });
});
