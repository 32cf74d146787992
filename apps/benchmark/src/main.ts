// Benchmarks: `npm run bench -- <name> [options]` runs one (or all), prints a table and
// writes JSON to bench-results/<name>.json. They measure; they do not pass or fail.
import { BENCHES } from "./benches";

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const selected = !name || name === "all" ? Object.keys(BENCHES) : [name];
  for (const n of selected) {
    const bench = BENCHES[n];
    if (!bench) {
      console.error(`unknown benchmark "${n}"; known: ${Object.keys(BENCHES).join(", ")}`);
      return 2;
    }
    await (await bench.load()).run(rest);
  }
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
