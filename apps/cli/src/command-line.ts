// What every gatehouse subcommand does with its command line: parse the flags (with -h,
// --help), print the usage on --help (exit 0) or on a bad flag (exit 2, to stderr).
import { parseArgs, type ParseArgsConfig } from "node:util";

type Options = NonNullable<ParseArgsConfig["options"]>;
const HELP = { help: { type: "boolean", short: "h" } } as const;
type Values<O extends Options> = ReturnType<typeof parseArgs<{ args: string[]; options: O & typeof HELP; strict: true }>>["values"];

/** The parsed flags, or the exit code when the command has nothing more to do. */
export function commandArgs<O extends Options>(command: string, usage: string, argv: string[], options: O): Values<O> | number {
  const parsed = commandArgsAndOperands(command, usage, argv, options, 0);
  return typeof parsed === "number" ? parsed : parsed.values;
}

/** commandArgs for a command that also takes up to `maxOperands` arguments that are not flags. */
export function commandArgsAndOperands<O extends Options>(
  command: string,
  usage: string,
  argv: string[],
  options: O,
  maxOperands: number,
): { values: Values<O>; operands: string[] } | number {
  let values: Values<O>;
  let operands: string[];
  try {
    ({ values, positionals: operands } = parseArgs({ args: argv, options: { ...options, ...HELP }, strict: true, allowPositionals: maxOperands > 0 }));
    if (operands.length > maxOperands) throw new Error(`unexpected argument ${JSON.stringify(operands[maxOperands])}`);
  } catch (err) {
    process.stderr.write(`gatehouse ${command}: ${(err as Error).message}\n\n${usage}`);
    return 2;
  }
  // (values is generic here; -h/--help is always among its flags.)
  if ((values as { help?: boolean }).help) {
    process.stdout.write(usage);
    return 0;
  }
  return { values, operands };
}

/** A bus logger that says nothing: the commands own the terminal (tables, messages). */
export function quietLogger() {
  const noop = () => {};
  const logger = { debug: noop, info: noop, warn: noop, error: noop, child: () => logger };
  return logger;
}
