// Header modifier filters (RequestHeaderModifier, ResponseHeaderModifier), on rules and on
// backendRefs: names that may be changed, values Envoy accepts (the shared headerValueError,
// Envoy's HeaderValue rule). Every `add` is served (Envoy appends each, so a name may be added
// several times, as the CRD allows); among `set` entries the first per name wins, since a later
// one would only overwrite it.
import type { HeaderModifier } from "@gatehouse/ir";
import { headerValueError } from "@gatehouse/validation";
import { asArray, type HTTPHeaderFilter } from "./kube-types";

export function isEmptyModifier(m: HeaderModifier): boolean {
  return m.set.length === 0 && m.add.length === 0 && m.remove.length === 0;
}

function modifiable(name: string): boolean {
  return !name.includes("/") && !name.includes(":") && name.toLowerCase() !== "host";
}

/** Validates one header filter into `into`; returns an error message when any entry is invalid. */
export function headerModifier(filter: HTTPHeaderFilter, into: HeaderModifier, what: string): string | undefined {
  const errors: string[] = [];
  const same = (name: string) => (h: { name: string }) => h.name.toLowerCase() === name.toLowerCase();
  const taken = (verb: "add" | "set", name: string) => verb === "set" && into.set.some(same(name));
  let configured = false;
  for (const [list, verb] of [
    [asArray(filter.add), "add"],
    [asArray(filter.set), "set"],
  ] as const) {
    for (const h of list) {
      configured = true;
      const name = h.name ?? "";
      const value = h.value ?? "";
      const valueError = headerValueError(value);
      if (!name) errors.push(`${what} cannot ${verb} a header with an empty name`);
      else if (!modifiable(name)) errors.push(`${what} cannot ${verb} header ${JSON.stringify(name)}: Host and names with '/' or ':' cannot be modified`);
      else if (valueError) errors.push(`${what} cannot ${verb} header ${JSON.stringify(name)}: ${valueError}`);
      else if (!taken(verb, name)) (verb === "add" ? into.add : into.set).push({ name, value });
    }
  }
  for (const name of asArray(filter.remove)) {
    configured = true;
    if (!name) errors.push(`${what} cannot remove a header with an empty name`);
    else if (!modifiable(name)) errors.push(`${what} cannot remove header ${JSON.stringify(name)}`);
    else if (!into.remove.some((r) => r.toLowerCase() === name.toLowerCase())) into.remove.push(name);
  }
  if (configured && isEmptyModifier(into)) return `${what} did not provide a valid configuration to add, set or remove any header`;
  return errors.length > 0 ? errors.join("; ") : undefined;
}

