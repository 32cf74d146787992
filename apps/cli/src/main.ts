// The gatehouse command line. Each subcommand lives in commands/<name>.ts and exports
// `run(argv)`, loaded lazily so that `gatehouse translate` does not pay for the gRPC or
// NATS code of `gatehouse up`.
// A command may also export FLAGS (its parseArgs options) and CHOICES (valid values by flag),
// which `gatehouse completion` turns into shell completion.
export type CommandModule = {
  run(argv: string[]): Promise<number>;
  FLAGS?: Record<string, { type: "string" | "boolean"; short?: string; multiple?: boolean }>;
  CHOICES?: Record<string, readonly string[]>;
};

export const COMMANDS: Record<string, { summary: string; load: () => Promise<CommandModule> }> = {
  translate: { summary: "Gateway API YAML to status, IR or Envoy xDS", load: () => import("./commands/translate") },
  bootstrap: { summary: "Envoy bootstrap for one Gateway's proxies", load: () => import("./commands/bootstrap") },
  up: { summary: "run Gatehouse standalone on a folder of manifests", load: () => import("./commands/up") },
  convert: { summary: "Ingress to Gateway API YAML, with a report of what was not carried over", load: () => import("./commands/convert") },
  status: { summary: "print the status table of a running Gatehouse once", load: () => import("./commands/status") },
  certgen: { summary: "CA, xds-server and Envoy client certificates (PEM files or Secrets)", load: () => import("./commands/certgen") },
  explain: { summary: "what a Gateway's Envoy does with one request, step by step", load: () => import("./commands/explain") },
  completion: { summary: "shell completion script: gatehouse completion bash|zsh", load: () => import("./commands/completion") },
};

/** The version in the command's package.json. */
async function version(): Promise<string> {
  const { readFile } = await import("node:fs/promises");
  return (JSON.parse(await readFile(new URL("../package.json", import.meta.url), "utf8")) as { version: string }).version;
}

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(12)}${c.summary}`);
  return ["usage: gatehouse <command> [options]", "       gatehouse --version", "", "commands:", ...lines, ""].join("\n");
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === "--version" || name === "version") {
    process.stdout.write(`gatehouse ${await version()}\n`);
    return 0;
  }
  if (!name || name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(usage());
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`gatehouse: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  return (await command.load()).run(rest);
}
