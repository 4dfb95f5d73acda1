import { runStartIso } from '../../../src/util/time';

describe('runStartIso', () => {
  it('issues strictly increasing start times even within one millisecond', () => {
    const starts = Array.from({ length: 2000 }, () => runStartIso());
    const ms = starts.map((s) => Date.parse(s));
    for (let i = 1; i < ms.length; i++) expect([i, ms[i] > ms[i - 1]]).toEqual([i, true]);
    // Bumped by at most the burst: never ahead of the clock by more than the number of calls.
    expect(ms[ms.length - 1] - Date.now()).toBeLessThanOrEqual(starts.length);
  });

  it('returns ISO-8601 UTC strings with milliseconds', () => {
    expect(runStartIso()).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });
});
