// Route filters shared by HTTPRoute and GRPCRoute (header modifiers, request mirror,
// extension references) and the CEL rules that tie a filter's `type` to the one field
// it may carry, or forbid repeating a filter type in one list.
import { countWhere, field, has } from "./cel";
import { headerName, headerValueFor, type Channel } from "./fields";
import { backendObjectRef } from "./refs";
import { arr, int, obj, str, type Node, type Rule } from "./schema";

export function headerModifierFor(channel: Channel): Node {
  const headerPair = obj({ name: headerName, value: headerValueFor(channel) }, { required: ["name", "value"] });
  return obj({
    set: arr(headerPair, { maxItems: 16, listType: "map", mapKeys: ["name"] }),
    add: arr(headerPair, { maxItems: 16, listType: "map", mapKeys: ["name"] }),
    remove: arr(str(), { maxItems: 16, listType: "set" }),
  });
}

export const requestMirror = obj(
  {
    backendRef: backendObjectRef,
    percent: int({ minimum: 0, maximum: 100 }),
    fraction: obj(
      { numerator: int({ minimum: 0 }), denominator: int({ minimum: 1 }) },
      {
        required: ["numerator"],
        rules: [
          {
            name: "requestMirror.fraction.numerator-le-denominator",
            message: "numerator must be less than or equal to denominator",
            // denominator defaults to 100.
            valid: (self) => (self.numerator as number) <= (has(self, "denominator") ? (self.denominator as number) : 100),
          },
        ],
      },
    ),
  },
  {
    required: ["backendRef"],
    rules: [
      {
        name: "requestMirror.percent-or-fraction",
        message: "Only one of percent or fraction may be specified in HTTPRequestMirrorFilter",
        valid: (self) => !(has(self, "percent") && has(self, "fraction")),
      },
    ],
  },
);

/**
 * For each (type, field) pair the CRD has two rules: the field must be nil unless the
 * filter has that type, and must be present when it does. Returned with a fast test that
 * proves them all at once (the filter carries exactly the field of its own type), since
 * filters are the most numerous objects in a route.
 */
export function filterTypeFields(pairs: readonly (readonly [type: string, field: string])[]): {
  rules: Rule[];
  rulesHold: (self: Record<string, unknown>) => boolean;
} {
  const fieldOf = new Map(pairs.map(([type, key]) => [type, key]));
  const fields = new Set(pairs.map(([, key]) => key));
  const rulesHold = (self: Record<string, unknown>): boolean => {
    const own = typeof self.type === "string" ? fieldOf.get(self.type) : undefined;
    if (own !== undefined && !has(self, own)) return false;
    for (const key in self) {
      if (key !== own && fields.has(key) && self[key] !== null && self[key] !== undefined) return false;
    }
    return true;
  };
  return { rules: filterTypeFieldRulesList(pairs), rulesHold };
}

function filterTypeFieldRulesList(pairs: readonly (readonly [type: string, field: string])[]): Rule[] {
  const rules: Rule[] = [];
  for (const [type, key] of pairs) {
    rules.push({
      name: `filter.${key}-only-for-${type}`,
      message: `filter.${key} must be nil if the filter.type is not ${type}`,
      valid: (self) => !(has(self, key) && self.type !== type),
    });
    rules.push({
      name: `filter.${key}-required-for-${type}`,
      message: `filter.${key} must be specified for ${type} filter.type`,
      valid: (self) => !(!has(self, key) && self.type === type),
    });
  }
  return rules;
}

/** "<Type> filter cannot be repeated", for each listed type. */
export function noRepeatRules(types: readonly string[]): Rule[] {
  return types.map((type) => ({
    name: `filters.unique-${type}`,
    message: `${type} filter cannot be repeated`,
    valid: (self: unknown[]) => countWhere(self, (f) => field(f, "type") === type) <= 1,
  }));
}

export function filterList(filter: Node, rules: readonly Rule[]): Node {
  return arr(filter, { maxItems: 16, listType: "atomic", rules });
}
