// Local TCP ports for processes started side by side (tests, benchmarks, `gatehouse up`):
// ask the kernel for a free one instead of guessing, and check a preferred one first.
import { createServer } from "node:net";

/** A port nothing listens on now (the kernel's choice); the caller binds it soon after. */
export function freePort(host = "127.0.0.1"): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.once("error", reject);
    srv.listen(0, host, () => {
      const address = srv.address();
      const port = typeof address === "object" && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Whether a port can be listened on (on every address, as the services listen). */
export function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once("error", () => resolve(false));
    srv.listen(port, "::", () => srv.close(() => resolve(true)));
  });
}
