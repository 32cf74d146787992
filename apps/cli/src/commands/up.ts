// Placeholder: the owner of `gatehouse up` replaces this file.
export async function run(_argv: string[]): Promise<number> {
  process.stderr.write("gatehouse up: not available yet\n");
  return 2;
}
