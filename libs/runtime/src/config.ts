// Typed service configuration: every option has a default, a command-line flag and an
// environment variable (flag wins over env, env over default), is read and validated
// once at start, and a bad value stops the service with a message naming the option,
// its flag and its variable.

export type OptionType = "string" | "int" | "number" | "port" | "boolean" | "duration" | "enum" | "list";

interface BaseOption<T> {
  type: OptionType;
  description: string;
  /** Flag name without dashes (default: the option name in kebab-case). */
  flag?: string;
  /** Environment variable (default: GATEHOUSE_<OPTION_NAME>). */
  env?: string;
  default?: T;
  /** Further checks: return a message when the value is wrong. */
  validate?: (value: T) => string | undefined;
}

export interface StringOption extends BaseOption<string> { type: "string" }
export interface IntOption extends BaseOption<number> { type: "int"; min?: number; max?: number }
export interface NumberOption extends BaseOption<number> { type: "number"; min?: number; max?: number }
export interface PortOption extends BaseOption<number> { type: "port" }
export interface BooleanOption extends BaseOption<boolean> { type: "boolean" }
/** Milliseconds; accepts "250ms", "5s", "2m", "1h" or a plain number of milliseconds. */
export interface DurationOption extends BaseOption<number> { type: "duration" }
export interface EnumOption<V extends string = string> extends BaseOption<V> { type: "enum"; values: readonly V[] }
/** Comma-separated values. */
export interface ListOption extends BaseOption<string[]> { type: "list" }

export type OptionSpec = StringOption | IntOption | NumberOption | PortOption | BooleanOption | DurationOption | EnumOption | ListOption;

type ValueOfOption<S> = S extends { type: "enum"; values: readonly (infer V)[] }
  ? V
  : S extends { type: "boolean" }
    ? boolean
    : S extends { type: "list" }
      ? string[]
      : S extends { type: "string" }
        ? string
        : number;

/** The typed configuration: options without a default may be undefined. */
export type ConfigOf<S extends Record<string, OptionSpec>> = {
  [K in keyof S]: S[K] extends { default: unknown } ? ValueOfOption<S[K]> : ValueOfOption<S[K]> | undefined;
};

export class ConfigError extends Error {
  override name = "ConfigError";
}

export interface ConfigSource {
  argv?: readonly string[];
  env?: Record<string, string | undefined>;
}

export interface ConfigDefinition<S extends Record<string, OptionSpec>> {
  readonly spec: S;
  /** Parses and validates; throws ConfigError naming the first bad option. */
  parse(source?: ConfigSource): ConfigOf<S>;
  /** parse(), but a bad value (or --help) prints a message and exits, as a service's main should. */
  load(source?: ConfigSource & { serviceName?: string }): ConfigOf<S>;
  /** Usage text: every option with its flag, variable, default and description. */
  help(serviceName?: string): string;
}

const kebab = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase();
const envName = (name: string) => `GATEHOUSE_${kebab(name).replace(/-/g, "_").toUpperCase()}`;

export function defineConfig<const S extends Record<string, OptionSpec>>(spec: S): ConfigDefinition<S> {
  const names = Object.keys(spec);
  const flagOf = (n: string) => spec[n].flag ?? kebab(n);
  const envOf = (n: string) => spec[n].env ?? envName(n);
  const byFlag = new Map(names.map((n) => [flagOf(n), n]));

  const parse = (source: ConfigSource = {}): ConfigOf<S> => {
    const argv = source.argv ?? process.argv.slice(2);
    const env = source.env ?? process.env;
    const fromFlags = parseFlags(argv, byFlag, spec);
    const out: Record<string, unknown> = {};
    for (const name of names) {
      const option = spec[name];
      const label = `--${flagOf(name)} / ${envOf(name)}`;
      let raw: string | undefined;
      let origin = "";
      if (fromFlags.has(name)) {
        raw = fromFlags.get(name);
        origin = `flag --${flagOf(name)}`;
      } else if (env[envOf(name)] !== undefined && env[envOf(name)] !== "") {
        raw = env[envOf(name)];
        origin = `environment variable ${envOf(name)}`;
      }
      let value: unknown;
      if (raw === undefined) {
        value = option.default;
      } else {
        try {
          value = convert(option, raw);
        } catch (err) {
          throw new ConfigError(`invalid ${name} (${label}) from ${origin}: ${JSON.stringify(raw)}: ${(err as Error).message}`);
        }
      }
      if (value !== undefined && option.validate) {
        const problem = (option.validate as (v: unknown) => string | undefined)(value);
        if (problem) throw new ConfigError(`invalid ${name} (${label}): ${problem}`);
      }
      out[name] = value;
    }
    return out as ConfigOf<S>;
  };

  const help = (serviceName = "service"): string => {
    const lines = [`Usage: ${serviceName} [options]`, "", "Options (flag, environment variable, default):"];
    for (const name of names) {
      const o = spec[name];
      const values = o.type === "enum" ? ` (${o.values.join("|")})` : "";
      const def = o.default === undefined ? "" : ` [default: ${Array.isArray(o.default) ? o.default.join(",") : String(o.default)}]`;
      lines.push(`  --${flagOf(name)}, ${envOf(name)}${values}${def}`, `      ${o.description}`);
    }
    return lines.join("\n");
  };

  return {
    spec,
    parse,
    help,
    load(source = {}) {
      const argv = source.argv ?? process.argv.slice(2);
      if (argv.includes("--help") || argv.includes("-h")) {
        process.stdout.write(help(source.serviceName) + "\n");
        process.exit(0);
      }
      try {
        return parse({ ...source, argv });
      } catch (err) {
        if (!(err instanceof ConfigError)) throw err;
        console.error(`${source.serviceName ?? "service"}: ${err.message}\n(run with --help for every option)`);
        process.exit(2);
      }
    },
  };
}

function parseFlags(argv: readonly string[], byFlag: Map<string, string>, spec: Record<string, OptionSpec>): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith("--")) throw new ConfigError(`unexpected argument ${JSON.stringify(arg)} (options are --name=value)`);
    const eq = arg.indexOf("=");
    let flag = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    let value: string | undefined = eq >= 0 ? arg.slice(eq + 1) : undefined;
    let name = byFlag.get(flag);
    if (!name && flag.startsWith("no-") && value === undefined) {
      const positive = byFlag.get(flag.slice(3));
      if (positive && spec[positive].type === "boolean") {
        name = positive;
        flag = flag.slice(3);
        value = "false";
      }
    }
    if (!name) throw new ConfigError(`unknown option --${flag}`);
    if (value === undefined) {
      if (spec[name].type === "boolean") value = "true";
      else if (i + 1 < argv.length && !argv[i + 1].startsWith("--")) value = argv[++i];
      else throw new ConfigError(`option --${flag} needs a value`);
    }
    out.set(name, value);
  }
  return out;
}

function convert(option: OptionSpec, raw: string): unknown {
  switch (option.type) {
    case "string":
      return raw;
    case "int":
    case "number": {
      const n = Number(raw.trim());
      if (raw.trim() === "" || !Number.isFinite(n)) throw new Error("not a number");
      if (option.type === "int" && !Number.isInteger(n)) throw new Error("not an integer");
      if (option.min !== undefined && n < option.min) throw new Error(`below the minimum ${option.min}`);
      if (option.max !== undefined && n > option.max) throw new Error(`above the maximum ${option.max}`);
      return n;
    }
    case "port": {
      const n = Number(raw.trim());
      if (!/^\d+$/.test(raw.trim()) || n > 65535) throw new Error("not a port (0-65535)");
      return n;
    }
    case "boolean": {
      const v = raw.trim().toLowerCase();
      if (["true", "1", "yes", "on"].includes(v)) return true;
      if (["false", "0", "no", "off"].includes(v)) return false;
      throw new Error("not a boolean (true/false)");
    }
    case "duration":
      return parseDuration(raw);
    case "enum":
      if (!option.values.includes(raw)) throw new Error(`not one of ${option.values.join(", ")}`);
      return raw;
    case "list":
      return raw.split(",").map((s) => s.trim()).filter(Boolean);
  }
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** "1h30m", "5s", "250ms" or plain milliseconds, to milliseconds. */
export function parseDuration(raw: string): number {
  const text = raw.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy;
  let total = 0;
  let matched = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    total += Number(m[1]) * UNITS[m[2]];
    matched = re.lastIndex;
  }
  if (matched === 0 || matched !== text.length) throw new Error('not a duration (for example "500ms", "5s", "1m30s")');
  return total;
}
