/**
 * Polls `check` every 200 ms until it returns something other than undefined. The deadline is a
 * watchdog for a hung test, never a speed assertion: size it for a loaded machine.
 */
export async function waitFor<T>(check: () => T | undefined, what: string, deadlineMs: number): Promise<T> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    const v = check();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
