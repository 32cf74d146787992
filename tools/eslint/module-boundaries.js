// The module boundaries of the monorepo, as a lint rule (what @nx/enforce-module-boundaries
// does with tags, without its plugin's dependencies):
//   - apps are never imported: not by libs, not by other apps (`@gatehouse/<app>`, or a
//     relative path into apps/). What two apps share belongs in a lib.
//   - a project imports another project only as `@gatehouse/<lib>` (its index), never by a
//     relative path across projects and never by a deep path (`@gatehouse/xds/src/...`).
// Projects are the folders apps/<name> and libs/<name>; files outside them (vitest.shared.ts,
// tools/) are not projects and may be imported by relative path.
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** Names of the apps (folders of apps/): `@gatehouse/<app>` is never importable. */
function appNames(root) {
  const dir = path.join(root, "apps");
  return existsSync(dir) ? new Set(readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name)) : new Set();
}

/** "apps/x" or "libs/x" of a file inside a project, else undefined. */
function projectOf(root, file) {
  const rel = path.relative(root, file).split(path.sep);
  return (rel[0] === "apps" || rel[0] === "libs") && rel.length > 2 ? `${rel[0]}/${rel[1]}` : undefined;
}

/** @type {import("eslint").Rule.RuleModule} */
export const moduleBoundaries = {
  meta: {
    type: "problem",
    docs: { description: "apps import libs only (as @gatehouse/<lib>); libs never import apps; no relative or deep imports across projects" },
    schema: [{ type: "object", properties: { root: { type: "string" } }, additionalProperties: false }],
    messages: {
      app: "'{{source}}' imports the app {{app}}: apps are not imported; move what is shared into a lib and import it as @gatehouse/<lib>.",
      relative: "'{{source}}' reaches from {{from}} into {{to}} by a relative path: import it as @gatehouse/<lib>{{hint}}.",
      deep: "'{{source}}' imports inside @gatehouse/{{lib}}: import its index, '@gatehouse/{{lib}}' (export what you need from there).",
    },
  },
  create(context) {
    const root = context.options[0]?.root ?? ROOT;
    const apps = appNames(root);
    const file = context.filename;
    const from = projectOf(root, file);
    const check = (node) => {
      const source = node?.type === "Literal" && typeof node.value === "string" ? node.value : undefined;
      if (!source) return;
      if (source.startsWith("@gatehouse/")) {
        const [name, ...rest] = source.slice("@gatehouse/".length).split("/");
        if (apps.has(name)) context.report({ node, messageId: "app", data: { source, app: `apps/${name}` } });
        else if (rest.length > 0) context.report({ node, messageId: "deep", data: { source, lib: name } });
        return;
      }
      if (!from || !source.startsWith(".")) return;
      const to = projectOf(root, path.resolve(path.dirname(file), source));
      if (to && to !== from) {
        if (to.startsWith("apps/")) context.report({ node, messageId: "app", data: { source, app: to } });
        else context.report({ node, messageId: "relative", data: { source, from, to, hint: ` ('@gatehouse/${to.slice("libs/".length)}')` } });
      }
    };
    return {
      ImportDeclaration: (node) => check(node.source),
      ExportNamedDeclaration: (node) => check(node.source),
      ExportAllDeclaration: (node) => check(node.source),
      ImportExpression: (node) => check(node.source),
    };
  },
};

export default { rules: { "module-boundaries": moduleBoundaries } };
