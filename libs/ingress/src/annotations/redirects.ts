// app-root (a redirect of "/" only), permanent-redirect and temporal-redirect (every path of
// the Ingress redirects) to RequestRedirect filters.
import { hostnameError } from "@gatehouse/validation";
import { NGINX, type AnnotationFamily, type RedirectSettings } from "./family";

const APP_ROOT = `${NGINX}app-root`;
const PERMANENT = `${NGINX}permanent-redirect`;
const PERMANENT_CODE = `${NGINX}permanent-redirect-code`;
const TEMPORAL = `${NGINX}temporal-redirect`;
const TEMPORAL_CODE = `${NGINX}temporal-redirect-code`;
const CODES = [301, 302, 303, 307, 308] as const;

/** The redirect of a URL, or why Gateway API cannot express it. */
export function redirectTo(url: string, statusCode: RedirectSettings["statusCode"]): RedirectSettings | string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return `not an absolute URL: ${JSON.stringify(url)}`;
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") return `scheme ${u.protocol} cannot be redirected to`;
  if (u.search || u.hash) return "a query or fragment in the target cannot be expressed (RequestRedirect replaces the path only)";
  if (hostnameError(u.hostname, { wildcard: false })) return `host ${u.hostname} is not a DNS name`;
  const r: RedirectSettings = { scheme: u.protocol === "https:" ? "https" : "http", hostname: u.hostname, path: u.pathname || "/", statusCode };
  if (u.port) r.port = Number(u.port);
  return r;
}

function statusCode(values: ReadonlyMap<string, string>, key: string, fallback: RedirectSettings["statusCode"], note: Parameters<AnnotationFamily["apply"]>[2]): RedirectSettings["statusCode"] {
  if (!values.has(key)) return fallback;
  const n = Number(values.get(key));
  if ((CODES as readonly number[]).includes(n)) {
    note(key, "converted", "");
    return n as RedirectSettings["statusCode"];
  }
  note(key, "reported", `status ${values.get(key)} is not one of ${CODES.join(", ")}; ${fallback} used`);
  return fallback;
}

export const redirects: AnnotationFamily = {
  name: "redirects and app-root",
  keys: [APP_ROOT, PERMANENT, PERMANENT_CODE, TEMPORAL, TEMPORAL_CODE],
  apply(values, settings, note) {
    const root = values.get(APP_ROOT);
    if (root !== undefined) {
      if (/^\/[-A-Za-z0-9/._~!$&'()*+,;=:@%]*$/.test(root) && !root.includes("//")) {
        settings.appRoot = root;
        note(APP_ROOT, "converted", `"/" redirects (302) to ${root}`);
      } else note(APP_ROOT, "reported", `not an absolute path: ${JSON.stringify(root)}`);
    }
    // ingress-nginx gives permanent-redirect precedence over temporal-redirect.
    const permanent = values.get(PERMANENT);
    const temporal = values.get(TEMPORAL);
    if (permanent !== undefined) {
      const r = redirectTo(permanent, statusCode(values, PERMANENT_CODE, 301, note));
      if (typeof r === "string") note(PERMANENT, "reported", r);
      else {
        settings.redirect = r;
        note(PERMANENT, "converted", "every path redirects (RequestRedirect)");
      }
    } else if (values.has(PERMANENT_CODE)) note(PERMANENT_CODE, "converted", `ignored without ${PERMANENT} (as ingress-nginx does)`);
    if (temporal !== undefined) {
      if (settings.redirect) note(TEMPORAL, "converted", `ignored: ${PERMANENT} takes precedence (as ingress-nginx does)`);
      else {
        const r = redirectTo(temporal, statusCode(values, TEMPORAL_CODE, 302, note));
        if (typeof r === "string") note(TEMPORAL, "reported", r);
        else {
          settings.redirect = r;
          note(TEMPORAL, "converted", "every path redirects (RequestRedirect)");
        }
      }
    }
    if (values.has(TEMPORAL_CODE) && (temporal === undefined || permanent !== undefined)) note(TEMPORAL_CODE, "converted", "ignored: no temporal redirect applies (as ingress-nginx does)");
  },
};
