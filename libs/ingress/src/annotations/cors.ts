// CORS: enable-cors and the cors-* annotations to the HTTPRoute CORS filter, with
// ingress-nginx's defaults for what is not set.
import { NGINX, parseBool, parseList, type AnnotationFamily, type CorsSettings } from "./family";

const ENABLE = `${NGINX}enable-cors`;
const ORIGIN = `${NGINX}cors-allow-origin`;
const METHODS = `${NGINX}cors-allow-methods`;
const HEADERS = `${NGINX}cors-allow-headers`;
const EXPOSE = `${NGINX}cors-expose-headers`;
const CREDENTIALS = `${NGINX}cors-allow-credentials`;
const MAX_AGE = `${NGINX}cors-max-age`;

const METHOD_NAMES = new Set(["GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"]);
const ORIGIN_PATTERN = /(^\*$)|(^(http(s)?):\/\/(((\*\.)?([a-zA-Z0-9-]+\.)*[a-zA-Z0-9-]+|\*)(:([0-9]{1,5}))?)$)/;
const DEFAULTS = {
  methods: "GET, PUT, POST, DELETE, PATCH, OPTIONS",
  headers: "DNT,Keep-Alive,User-Agent,X-Requested-With,If-Modified-Since,Cache-Control,Content-Type,Range,Authorization",
  maxAge: 1728000,
};

export const cors: AnnotationFamily = {
  name: "CORS",
  keys: [ENABLE, ORIGIN, METHODS, HEADERS, EXPOSE, CREDENTIALS, MAX_AGE],
  apply(values, settings, note) {
    const enabled = values.has(ENABLE) ? parseBool(values.get(ENABLE)!) : undefined;
    if (enabled !== true) {
      if (values.has(ENABLE)) note(ENABLE, enabled === false ? "converted" : "reported", enabled === false ? "CORS off" : `expected "true" or "false", got ${JSON.stringify(values.get(ENABLE))}`);
      for (const key of values.keys()) if (key !== ENABLE) note(key, "converted", `ignored without ${ENABLE}: "true" (as ingress-nginx does)`);
      return;
    }
    note(ENABLE, "converted", "HTTPRoute CORS filter");
    const c: CorsSettings = {};
    const origins = parseList(values.get(ORIGIN) ?? "*");
    const badOrigins = origins.filter((o) => !ORIGIN_PATTERN.test(o));
    c.allowOrigins = origins.filter((o) => ORIGIN_PATTERN.test(o));
    if (c.allowOrigins.includes("*")) c.allowOrigins = ["*"];
    if (values.has(ORIGIN)) note(ORIGIN, badOrigins.length ? "partial" : "converted", badOrigins.length ? `origins dropped (not scheme://host[:port]): ${badOrigins.join(", ")}` : "");
    const methods = parseList(values.get(METHODS) ?? DEFAULTS.methods).map((m) => m.toUpperCase());
    c.allowMethods = [...new Set(methods.filter((m) => METHOD_NAMES.has(m) || m === "*"))];
    if (c.allowMethods.includes("*")) c.allowMethods = ["*"];
    if (values.has(METHODS)) {
      const bad = methods.filter((m) => !METHOD_NAMES.has(m) && m !== "*");
      note(METHODS, bad.length ? "partial" : "converted", bad.length ? `methods dropped: ${bad.join(", ")}` : "");
    }
    c.allowHeaders = [...new Set(parseList(values.get(HEADERS) ?? DEFAULTS.headers))];
    if (values.has(HEADERS)) note(HEADERS, "converted", "");
    if (values.has(EXPOSE)) {
      c.exposeHeaders = [...new Set(parseList(values.get(EXPOSE)!))];
      note(EXPOSE, "converted", "");
    }
    const credentials = values.has(CREDENTIALS) ? parseBool(values.get(CREDENTIALS)!) : true;
    if (values.has(CREDENTIALS) && credentials === undefined) note(CREDENTIALS, "reported", `expected "true" or "false", got ${JSON.stringify(values.get(CREDENTIALS))}`);
    else if (values.has(CREDENTIALS)) note(CREDENTIALS, "converted", "");
    c.allowCredentials = credentials ?? true;
    let maxAge = DEFAULTS.maxAge;
    if (values.has(MAX_AGE)) {
      const n = Number(values.get(MAX_AGE));
      if (Number.isInteger(n) && n > 0) {
        maxAge = n;
        note(MAX_AGE, "converted", "");
      } else note(MAX_AGE, "reported", `not a positive integer: ${JSON.stringify(values.get(MAX_AGE))}`);
    }
    c.maxAge = maxAge;
    settings.cors = c;
  },
};
