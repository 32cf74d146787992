// Command-line options of the benchmarks: positive numbers, so that a mistyped size is an
// error rather than a silently different run.

/** Options given as `--name N` or `--name=N`; unknown flags and values that are not positive are errors. */
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

/** `--name=N` from argv, or the fallback when absent; anything but a positive integer is an error. */
export function positiveIntegerFlag(argv: readonly string[], name: string, fallback: number): number {
  const raw = argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const v = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(v) || v <= 0) throw new Error(`--${name} must be a positive integer`);
  return v;
}
