// Port numbers (the CRD's PortNumber: 1..65535).

/** Returns why `port` is not a valid port number, or undefined. */
export function portError(port: number): string | undefined {
  if (typeof port !== "number" || !Number.isInteger(port)) return `port must be an integer, got ${JSON.stringify(port)}`;
  if (port < 1 || port > 65535) return `port ${port} is out of range 1-65535`;
  return undefined;
}
