// Binding a server socket the way every Gatehouse server does: "::" (dual stack, so IPv4 is
// accepted too) with a fallback to "0.0.0.0" on hosts where IPv6 is disabled.
import type { Server as HttpServer } from "node:http";
import type { Server } from "node:net";
import type { Logger } from "pino";

/** Listens on `host` if given, else on "::" then "0.0.0.0"; resolves to the host bound. */
export async function listenDualStack(server: Server, port: number, opts: { host?: string; logger?: Logger } = {}): Promise<string> {
  const hosts = opts.host ? [opts.host] : ["::", "0.0.0.0"];
  for (const [i, host] of hosts.entries()) {
    try {
      await listenOnce(server, port, host);
      return host;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const ipv6Unavailable = code === "EAFNOSUPPORT" || code === "EADDRNOTAVAIL";
      if (!ipv6Unavailable || i === hosts.length - 1) throw err;
      opts.logger?.warn({ host, code }, "IPv6 unavailable; falling back to 0.0.0.0");
    }
  }
  throw new Error("no host to listen on");
}

function listenOnce(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => {
      server.off("listening", onListening);
      reject(err);
    };
    const onListening = () => {
      server.off("error", onError);
      resolve();
    };
    server.once("error", onError);
    server.once("listening", onListening);
    // ipv6Only false: on "::" the socket takes IPv4 too (dual stack).
    server.listen({ port, host, ipv6Only: false });
  });
}

/** Closes an HTTP server now: stops listening and drops its open (keep-alive, streaming) connections. */
export function closeHttpServer(server: HttpServer): Promise<void> {
  return new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
