/** Current time as an ISO-8601 string with milliseconds. @internal */
export const isoNow = (): string => new Date().toISOString();

let lastStartMs = 0;

/**
 * A run's start time: the current time, but strictly after the previous start this process
 * issued (bumped by 1 ms when two runs start within the same millisecond), so "newest first"
 * (`ORDER BY started_at DESC`, the on-disk run index) follows the order runs started in this
 * process instead of a random id tie-break. The bump is at most the number of runs started in
 * one millisecond. @internal
 */
export function runStartIso(): string {
  const now = Date.now();
  lastStartMs = now > lastStartMs ? now : lastStartMs + 1;
  return new Date(lastStartMs).toISOString();
}
