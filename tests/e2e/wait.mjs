// Waiting for a condition, the one way the harness waits: re-read until the condition holds, with a deadline
// and a message that says what was awaited and what was last seen. (No fixed sleeps: a timed pause is only
// for a window in which something must NOT happen — scenarios.mjs `observe`.)

const POLL_MS = 50;
const show = (x) => JSON.stringify(x);
export const pause = (ms) => new Promise((r) => setTimeout(r, ms));

/** Re-reads `read()` until `pred(value)` holds; throws `what` with the last value once `timeout` ms pass. */
export async function until(read, pred, { timeout = 5000, what = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try { last = await read(); } catch (e) { last = { error: String(e?.message ?? e) }; }
    if (!last?.error && pred(last)) return last;
    if (Date.now() >= deadline) throw new Error(`waited ${timeout} ms for ${what}; last seen: ${show(last)}`);
    await pause(POLL_MS);
  }
}

/** Like until() but returns the last value instead of throwing (for callers that assert themselves). */
export async function eventually(read, pred, { timeout = 5000 } = {}) {
  try { return await until(read, pred, { timeout }); } catch { return read(); }
}
