// Waiting for a condition with a deadline (never a fixed sleep), failing loudly with what
// was awaited.
export async function waitFor(what: string, cond: () => boolean | Promise<boolean>, timeoutMs = 15_000, intervalMs = 20): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
