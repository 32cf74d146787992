import { createServer, type Server } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { freePort, portFree } from "./ports";

let taken: Server | undefined;
afterEach(() => {
  taken?.close();
  taken = undefined;
});

describe("ports", () => {
  it("finds a port that can then be listened on", async () => {
    const port = await freePort();
    expect(port).toBeGreaterThan(0);
    expect(await portFree(port)).toBe(true);
  });

  it("says a port somebody listens on is not free", async () => {
    const port = await freePort();
    taken = createServer();
    await new Promise<void>((resolve) => taken!.listen(port, "::", resolve));
    expect(await portFree(port)).toBe(false);
  });
});
