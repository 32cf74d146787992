// The gatehouse command line: parses the subcommand and hands off to its module.
export async function main(argv: string[]): Promise<number> {
  const [command] = argv;
  console.error(`gatehouse: unknown command ${command ?? "(none)"}`);
  return 2;
}
