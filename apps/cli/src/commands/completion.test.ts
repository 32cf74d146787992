// The generated bash script, run by bash: completing what a user types.
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { bashScript, commandSpecs, zshScript } from "./completion";

async function complete(...words: string[]): Promise<string[]> {
  const script = bashScript(await commandSpecs());
  const array = ["gatehouse", ...words].map((w) => `'${w}'`).join(" ");
  const r = spawnSync("bash", ["-c", `${script}\nCOMP_WORDS=(${array}); COMP_CWORD=${words.length}; _gatehouse; printf '%s\\n' "\${COMPREPLY[@]}"`]);
  expect(r.stderr.toString()).toBe("");
  return r.stdout.toString().split("\n").filter(Boolean);
}

describe("gatehouse completion", () => {
  it("completes every command of the COMMANDS table", async () => {
    const { COMMANDS } = await import("../main");
    expect(await complete("")).toEqual([...Object.keys(COMMANDS), "--version", "--help"]);
    expect(await complete("ex")).toEqual(["explain"]);
  });

  it("completes each command's flags and the valid values of a flag", async () => {
    expect(await complete("translate", "--o")).toEqual(["--output"]);
    expect(await complete("translate", "--output", "")).toEqual(["status", "ir", "xds"]);
    expect(await complete("explain", "-o", "")).toEqual(["text", "json"]);
    expect(await complete("completion", "")).toEqual(["bash", "zsh"]);
  });

  it("leaves file arguments to the shell's file name completion", async () => {
    expect(await complete("translate", "-f", "")).toEqual([]);
  });

  it("writes a zsh script with one _arguments line per command", async () => {
    const specs = await commandSpecs();
    const zsh = zshScript(specs);
    expect(zsh.startsWith("#compdef gatehouse\n")).toBe(true);
    for (const s of specs) expect(zsh).toContain(`    ${s.name}) _arguments -s `);
    expect(zsh).toContain("'*--output=[output]:output:(status ir xds)'");
  });
});
