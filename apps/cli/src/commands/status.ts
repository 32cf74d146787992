// Placeholder: the owner of `gatehouse status` replaces this file.
export async function run(_argv: string[]): Promise<number> {
  process.stderr.write("gatehouse status: not available yet\n");
  return 2;
}
