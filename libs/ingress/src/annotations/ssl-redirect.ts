// ssl-redirect (default true: HTTP requests to a host with TLS are redirected to HTTPS) and
// force-ssl-redirect (redirect even without TLS); nginx.org/ssl-redirect,
// nginx.org/redirect-to-https and the older ingress.kubernetes.io/ssl-redirect of NGINX Inc.
// say the same.
import { NGINX, NGINX_ORG, parseBool, type AnnotationFamily } from "./family";

const SSL = `${NGINX}ssl-redirect`;
const FORCE = `${NGINX}force-ssl-redirect`;
const ORG = `${NGINX_ORG}redirect-to-https`;
const ORG_SSL = `${NGINX_ORG}ssl-redirect`;
const ORG_LEGACY = "ingress.kubernetes.io/ssl-redirect";

export const sslRedirect: AnnotationFamily = {
  name: "ssl-redirect",
  keys: [SSL, FORCE, ORG, ORG_SSL, ORG_LEGACY],
  apply(values, settings, note) {
    for (const [key, value] of values) {
      const b = parseBool(value);
      if (b === undefined) {
        note(key, "reported", `expected "true" or "false", got ${JSON.stringify(value)}`);
        continue;
      }
      if (key === SSL || key === ORG_SSL || key === ORG_LEGACY) settings.sslRedirect = b;
      else settings.forceSslRedirect = b;
      const message = b ? "HTTP requests are redirected to HTTPS (308) by a route on the HTTP listener" : "no HTTP to HTTPS redirect";
      // NGINX Inc. decides by X-Forwarded-Proto (TLS terminated in front of it); the Gateway by the listener.
      if (key === ORG && b) note(key, "partial", `${message}, decided by the listener rather than X-Forwarded-Proto`);
      else note(key, "converted", message);
    }
  },
};
