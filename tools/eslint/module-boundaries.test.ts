// The boundary rule on imports that break it and on imports that keep it, as ESLint runs
// it from eslint.config.js (the repository's real apps/ folder decides what is an app).
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ESLint, RuleTester } from "eslint";
import tseslint from "typescript-eslint";
import { describe, it } from "vitest";
import { moduleBoundaries } from "./module-boundaries.js";

RuleTester.describe = describe;
RuleTester.it = it;

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const at = (file: string) => path.join(ROOT, file);
const tester = new RuleTester({ languageOptions: { parser: tseslint.parser, ecmaVersion: 2022, sourceType: "module" } });

tester.run("module-boundaries", moduleBoundaries, {
  valid: [
    { filename: at("apps/xds-server/src/main.ts"), code: 'import { AdsServer } from "@gatehouse/ads";' },
    { filename: at("libs/endpoints/src/fast-path/endpoint-fast-path.ts"), code: 'import { ResourceCache } from "@gatehouse/ads";' },
    { filename: at("libs/ads/src/server/ads-stream.ts"), code: 'import { ResourceCache } from "../cache/index";' },
    { filename: at("libs/ads/test/fixtures.ts"), code: 'import { AdsServer } from "../src/index";' },
    { filename: at("libs/xds/vitest.config.ts"), code: 'import { sharedTestConfig } from "../../vitest.shared";' },
    { filename: at("apps/cli/src/main.ts"), code: 'const x = await import("@gatehouse/xds");' },
    { filename: at("apps/watcher/src/main.ts"), code: 'import { connect } from "nats";' },
  ],
  invalid: [
    { filename: at("apps/benchmark/src/x.ts"), code: 'import { TranslatorService } from "@gatehouse/translator";', errors: [{ messageId: "app" }] },
    { filename: at("libs/bus/src/x.ts"), code: 'import { XdsService } from "@gatehouse/xds-server";', errors: [{ messageId: "app" }] },
    { filename: at("libs/bus/src/x.ts"), code: 'import { PublishQueue } from "../../../apps/watcher/src/publish/publish-queue";', errors: [{ messageId: "app" }] },
    { filename: at("apps/xds-server/src/x.ts"), code: 'import { AdsServer } from "../../../libs/ads/src/index";', errors: [{ messageId: "relative" }] },
    { filename: at("libs/endpoints/src/x.ts"), code: 'export { ClaEncoder } from "../../xds/src/resources/cla-encoder";', errors: [{ messageId: "relative" }] },
    { filename: at("apps/e2e/src/x.ts"), code: 'import { ResourceCache } from "@gatehouse/ads/src/cache/resource-cache";', errors: [{ messageId: "deep" }] },
    { filename: at("apps/cli/src/x.ts"), code: 'const t = await import("@gatehouse/translator");', errors: [{ messageId: "app" }] },
  ],
});

describe("eslint.config.js", () => {
  it("applies the rule to every project: linting a violating import with the repository's config fails", async () => {
    const eslint = new ESLint({ cwd: ROOT });
    const [result] = await eslint.lintText('import { TranslatorService } from "@gatehouse/translator";\nexport const t = TranslatorService;\n', {
      filePath: at("apps/benchmark/src/violation.ts"),
    });
    const ids = result.messages.map((m) => m.ruleId);
    if (!ids.includes("gatehouse/module-boundaries")) throw new Error(`expected gatehouse/module-boundaries, got ${JSON.stringify(result.messages)}`);
  });
});
