// Pieces common to the route kinds: hostnames, rule names, session persistence and the
// cross-rule limit on the number of matches.
import { field, has, list } from "./cel";
import { duration, hostname, sectionName } from "./fields";
import { arr, obj, str, type Rule } from "./schema";

export const routeHostnames = arr(hostname, { maxItems: 16, listType: "atomic" });

export const ruleName = sectionName;

export const UNIQUE_RULE_NAMES: Rule = {
  name: "rules.unique-names",
  message: "Rule name must be unique within the route",
  valid: (self: unknown[]) => {
    const seen = new Set<unknown>();
    for (const r of self) {
      if (!has(r, "name")) continue;
      const name = field(r, "name");
      if (seen.has(name)) return false;
      seen.add(name);
    }
    return true;
  },
};

/**
 * At most 128 matches across the (at most 16 counted) rules. HTTPRoute rules default
 * `matches` to one PathPrefix "/" match, so a rule without matches counts as one there;
 * GRPCRoute has no such default.
 */
export function totalMatchesRule(matchesDefaultCount: number): Rule {
  return {
    name: "rules.total-matches",
    message:
      "While 16 rules and 64 matches per rule are allowed, the total number of matches across all rules in a route must be less than 128",
    valid: (self: unknown[]) => {
      let total = 0;
      for (let i = 0; i < self.length && i < 16; i++) {
        total += has(self[i], "matches") ? list(self[i], "matches").length : matchesDefaultCount;
      }
      return total <= 128;
    },
  };
}

export const sessionPersistence = obj(
  {
    sessionName: str({ maxLength: 128 }),
    absoluteTimeout: duration,
    type: str({ enum: ["Cookie", "Header"] }),
    cookieConfig: obj({ lifetimeType: str({ enum: ["Permanent", "Session"] }) }),
  },
  {
    rules: [
      {
        name: "sessionPersistence.permanent-needs-absolute-timeout",
        message: "AbsoluteTimeout must be specified when cookie lifetimeType is Permanent",
        valid: (self) =>
          !has(self, "cookieConfig") ||
          !has(self.cookieConfig, "lifetimeType") ||
          field(self.cookieConfig, "lifetimeType") !== "Permanent" ||
          has(self, "absoluteTimeout"),
      },
      {
        name: "sessionPersistence.cookie-config-only-for-cookie",
        message: "cookieConfig can only be set with type Cookie",
        // type defaults to Cookie.
        valid: (self) => !has(self, "cookieConfig") || (self.type ?? "Cookie") === "Cookie",
      },
    ],
  },
);
