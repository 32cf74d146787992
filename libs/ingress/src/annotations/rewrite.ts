// rewrite-target and use-regex. ingress-nginx treats paths as regular expressions when
// use-regex is true or a rewrite-target is set, and replaces the whole path with the target
// (captures $1..$9 substituted). Gateway API can say "replace the whole path with a fixed
// string" (ReplaceFullPath) and "replace the matched prefix" (ReplacePrefixMatch); which
// one a path gets is decided per path in rewrites.ts. nginx.org/rewrites gives per-Service
// prefix rewrites.
import { NGINX, NGINX_ORG, parseBool, type AnnotationFamily } from "./family";

const TARGET = `${NGINX}rewrite-target`;
const REGEX = `${NGINX}use-regex`;
const ORG_REWRITES = `${NGINX_ORG}rewrites`;

export const rewrite: AnnotationFamily = {
  name: "rewrite-target and use-regex",
  keys: [TARGET, REGEX, ORG_REWRITES],
  apply(values, settings, note) {
    const regex = values.get(REGEX);
    if (regex !== undefined) {
      const b = parseBool(regex);
      if (b === undefined) note(REGEX, "reported", `expected "true" or "false", got ${JSON.stringify(regex)}`);
      else {
        settings.regex = settings.regex || b;
        note(REGEX, "converted", b ? "paths become case-insensitive RegularExpression matches anchored at the start" : "paths are not regular expressions");
      }
    }
    const target = values.get(TARGET);
    if (target !== undefined) {
      if (!target.startsWith("/")) note(TARGET, "reported", `target ${JSON.stringify(target)} is not an absolute path`);
      else {
        settings.rewriteTarget = target;
        // ingress-nginx turns on regex paths for an Ingress with a rewrite-target.
        settings.regex = true;
        note(TARGET, "converted", "");
      }
    }
    const org = values.get(ORG_REWRITES);
    if (org !== undefined) {
      // "serviceName=tea-svc rewrite=/;serviceName=coffee-svc rewrite=/beans/"
      const bad: string[] = [];
      for (const part of org.split(";").map((s) => s.trim()).filter(Boolean)) {
        const m = /^serviceName=(\S+)\s+rewrite=(\/\S*)$/.exec(part);
        if (m) settings.serviceRewrites.set(m[1], m[2]);
        else bad.push(part);
      }
      if (bad.length > 0) note(ORG_REWRITES, "reported", `cannot read ${bad.map((b) => JSON.stringify(b)).join(", ")} (expected "serviceName=NAME rewrite=/PATH")`);
      else note(ORG_REWRITES, "converted", "the matched path prefix of each listed Service is replaced (URLRewrite ReplacePrefixMatch)");
    }
  },
};
