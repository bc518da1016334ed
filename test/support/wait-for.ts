// Waiting on something another process does (a worker child, an SMTP client): poll a condition
// until it holds, and fail with what was awaited rather than hang until the test's timeout.

/** Polls `check` every 25 ms; throws "timed out waiting for <what>" after `timeoutMs`. */
export async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}
