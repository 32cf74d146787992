// Command-line options of benchmarks whose every option is a positive number, given as
// `--name N` or `--name=N`. Unknown flags and values that are not positive are errors, so
// a typo never silently runs the default size.

export function positiveNumberOptions<T extends Record<string, number>>(argv: readonly string[], defaults: T): T {
  const opts: Record<string, number> = { ...defaults };
  const known = Object.keys(defaults)
    .map((k) => `--${k} N`)
    .join(", ");
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.split("=", 2);
    const value = inline ?? argv[++i];
    const name = flag.startsWith("--") ? flag.slice(2) : "";
    if (!Object.hasOwn(defaults, name)) throw new Error(`unknown option ${arg} (known: ${known})`);
    opts[name] = Number(value);
  }
  const invalid = Object.keys(opts).filter((k) => !(opts[k] > 0));
  if (invalid.length > 0) throw new Error(`${invalid.map((k) => `--${k}`).join(" and ")} must be positive`);
  return opts as T;
}
