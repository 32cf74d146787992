// Placeholder: the owner of `gatehouse bootstrap` replaces this file.
export async function run(_argv: string[]): Promise<number> {
  process.stderr.write("gatehouse bootstrap: not available yet\n");
  return 2;
}
