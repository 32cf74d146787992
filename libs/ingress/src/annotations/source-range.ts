// Client address allow- and deny-lists. Gateway API has no client IP filter: reported, so the
// user knows the route is now open to every client.
import { NGINX, NGINX_ORG, type AnnotationFamily } from "./family";

const KEYS = [`${NGINX}whitelist-source-range`, `${NGINX}allowlist-source-range`, `${NGINX}denylist-source-range`, `${NGINX_ORG}allowed-source-range`];

export const sourceRange: AnnotationFamily = {
  name: "source ranges",
  keys: KEYS,
  apply(values, _settings, note) {
    for (const key of values.keys()) note(key, "reported", "Gateway API has no client address filter: the routes accept every client");
  },
};
