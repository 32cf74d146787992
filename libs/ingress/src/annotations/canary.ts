// Canary Ingresses (canary: "true"): their host and path join the primary Ingress's rule for
// the same host and path. By header (exact value, "always", or a pattern), by cookie (the
// cookie's value "always") and by weight, in ingress-nginx's order of precedence.
import { NGINX, parseBool, type AnnotationFamily, type CanarySettings } from "./family";

const CANARY = `${NGINX}canary`;
const WEIGHT = `${NGINX}canary-weight`;
const TOTAL = `${NGINX}canary-weight-total`;
const HEADER = `${NGINX}canary-by-header`;
const HEADER_VALUE = `${NGINX}canary-by-header-value`;
const HEADER_PATTERN = `${NGINX}canary-by-header-pattern`;
const COOKIE = `${NGINX}canary-by-cookie`;

const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+\-.^_`|~]{1,256}$/;

export const canary: AnnotationFamily = {
  name: "canary",
  keys: [CANARY, WEIGHT, TOTAL, HEADER, HEADER_VALUE, HEADER_PATTERN, COOKIE],
  apply(values, settings, note) {
    const on = values.has(CANARY) ? parseBool(values.get(CANARY)!) : undefined;
    if (on !== true) {
      if (values.has(CANARY)) note(CANARY, on === false ? "converted" : "reported", on === false ? "not a canary" : `expected "true" or "false", got ${JSON.stringify(values.get(CANARY))}`);
      for (const key of values.keys()) if (key !== CANARY) note(key, "converted", `ignored without ${CANARY}: "true" (as ingress-nginx does)`);
      return;
    }
    note(CANARY, "converted", "merged into the primary Ingress's routes for the same host and path");
    const c: CanarySettings = { total: 100 };
    if (values.has(TOTAL)) {
      const t = Number(values.get(TOTAL));
      if (Number.isInteger(t) && t > 0) {
        c.total = t;
        note(TOTAL, "converted", "");
      } else note(TOTAL, "reported", `not a positive integer: ${JSON.stringify(values.get(TOTAL))}; 100 used`);
    }
    if (values.has(WEIGHT)) {
      const w = Number(values.get(WEIGHT));
      if (Number.isInteger(w) && w >= 0 && w <= c.total) {
        c.weight = w;
        note(WEIGHT, "converted", `backendRefs weighted ${c.total - w}:${w}`);
      } else note(WEIGHT, "reported", `not an integer between 0 and ${c.total}: ${JSON.stringify(values.get(WEIGHT))}`);
    }
    const header = values.get(HEADER);
    if (header !== undefined) {
      if (!HEADER_NAME.test(header)) note(HEADER, "reported", `not a valid header name: ${JSON.stringify(header)}`);
      else if (values.has(HEADER_VALUE)) {
        c.header = { name: header, type: "Exact", value: values.get(HEADER_VALUE)! };
        note(HEADER, "converted", "a rule matching the header value sends to the canary");
        note(HEADER_VALUE, "converted", "");
      } else if (values.has(HEADER_PATTERN)) {
        c.header = { name: header, type: "RegularExpression", value: values.get(HEADER_PATTERN)! };
        note(HEADER, "converted", "a rule matching the header pattern sends to the canary");
        note(HEADER_PATTERN, "converted", "");
      } else {
        c.header = { name: header, type: "Exact", value: "always" };
        note(HEADER, "partial", `"${header}: always" sends to the canary; "never" (always the primary) is not expressible and falls through to the weight`);
      }
    }
    for (const key of [HEADER_VALUE, HEADER_PATTERN]) {
      if (values.has(key) && header === undefined) note(key, "converted", `ignored without ${HEADER} (as ingress-nginx does)`);
      else if (values.has(key) && c.header?.value !== values.get(key)) note(key, "converted", "ignored: only one of canary-by-header-value and canary-by-header-pattern applies (as ingress-nginx does)");
    }
    const cookie = values.get(COOKIE);
    if (cookie !== undefined) {
      if (!/^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$/.test(cookie)) note(COOKIE, "reported", `not a valid cookie name: ${JSON.stringify(cookie)}`);
      else {
        c.cookie = cookie;
        note(COOKIE, "partial", `a rule matching the Cookie header with ${cookie}=always sends to the canary; "never" is not expressible and falls through to the weight`);
      }
    }
    settings.canary = c;
  },
};
