// HTTPRoute (gateway.networking.k8s.io/v1 and v1beta1, same schema): matches, filters
// (including CORS, redirects, rewrites and external auth), per-backend filters,
// timeouts, retry and session persistence, with every CEL rule of the CRD.
import { parseDuration } from "../duration";
import { PATH_MATCH_RULES } from "../path";
import { existsOne, field, has, list } from "./cel";
import { HTTP_METHODS, duration, headerName, headerValueFor, preciseHostname, portNumber, type Channel } from "./fields";
import { filterList, filterTypeFields, headerModifierFor, noRepeatRules, requestMirror } from "./filters";
import { backendObjectRef, backendRefs, extensionRef, parentRefsFor } from "./refs";
import { UNIQUE_RULE_NAMES, routeHostnames, ruleName, sessionPersistence, totalMatchesRule } from "./route-common";
import { arr, bool, int, obj, str, type Node, type Rule } from "./schema";

const PATH_VALID_CHARS = /^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$/;

const pathModifier = obj(
  {
    type: str({ enum: ["ReplaceFullPath", "ReplacePrefixMatch"] }),
    replaceFullPath: str({ maxLength: 1024 }),
    replacePrefixMatch: str({ maxLength: 1024 }),
  },
  {
    required: ["type"],
    rules: [
      {
        name: "pathModifier.full-path-required",
        message: "replaceFullPath must be specified when type is set to 'ReplaceFullPath'",
        valid: (self) => self.type !== "ReplaceFullPath" || has(self, "replaceFullPath"),
      },
      {
        name: "pathModifier.full-path-type",
        message: "type must be 'ReplaceFullPath' when replaceFullPath is set",
        valid: (self) => !has(self, "replaceFullPath") || self.type === "ReplaceFullPath",
      },
      {
        name: "pathModifier.prefix-required",
        message: "replacePrefixMatch must be specified when type is set to 'ReplacePrefixMatch'",
        valid: (self) => self.type !== "ReplacePrefixMatch" || has(self, "replacePrefixMatch"),
      },
      {
        name: "pathModifier.prefix-type",
        message: "type must be 'ReplacePrefixMatch' when replacePrefixMatch is set",
        valid: (self) => !has(self, "replacePrefixMatch") || self.type === "ReplacePrefixMatch",
      },
    ],
  },
);

const requestRedirect = obj({
  scheme: str({ enum: ["http", "https"] }),
  hostname: preciseHostname,
  path: pathModifier,
  port: portNumber,
  statusCode: int({ enum: [301, 302, 303, 307, 308] }),
});

const urlRewrite = obj({ hostname: preciseHostname, path: pathModifier });

function noWildcardWithOthers(name: string, message: string): Rule {
  return { name, message, valid: (self: unknown[]) => !(self.includes("*") && self.length > 1) };
}

const cors = obj({
  allowOrigins: arr(
    str({
      minLength: 1,
      maxLength: 253,
      pattern: /(^\*$)|(^(http(s)?):\/\/(((\*\.)?([a-zA-Z0-9-]+\.)*[a-zA-Z0-9-]+|\*)(:([0-9]{1,5}))?)$)/,
      patternText: "(^\\*$)|(^(http(s)?):\\/\\/(((\\*\\.)?([a-zA-Z0-9\\-]+\\.)*[a-zA-Z0-9-]+|\\*)(:([0-9]{1,5}))?)$)",
    }),
    {
      maxItems: 64,
      listType: "set",
      rules: [noWildcardWithOthers("cors.allowOrigins.wildcard-alone", "AllowOrigins cannot contain '*' alongside other origins")],
    },
  ),
  allowCredentials: bool(),
  allowMethods: arr(str({ enum: [...HTTP_METHODS, "*"] }), {
    maxItems: 9,
    listType: "set",
    rules: [noWildcardWithOthers("cors.allowMethods.wildcard-alone", "AllowMethods cannot contain '*' alongside other methods")],
  }),
  allowHeaders: arr(headerName, {
    maxItems: 64,
    listType: "set",
    // The CRD's message really says "methods" here.
    rules: [noWildcardWithOthers("cors.allowHeaders.wildcard-alone", "AllowHeaders cannot contain '*' alongside other methods")],
  }),
  exposeHeaders: arr(headerName, { maxItems: 64, listType: "set" }),
  maxAge: int({ minimum: 1 }),
});

const externalAuth = obj(
  {
    protocol: str({ enum: ["HTTP", "GRPC"] }),
    backendRef: backendObjectRef,
    grpc: obj({ allowedHeaders: arr(str(), { maxItems: 64, listType: "set" }) }),
    http: obj({
      path: str({ maxLength: 1024, pattern: PATH_VALID_CHARS }),
      allowedHeaders: arr(str(), { maxItems: 64, listType: "set" }),
      allowedResponseHeaders: arr(str(), { maxItems: 64, listType: "set" }),
    }),
    forwardBody: obj({ maxSize: int({ format: "int64" }) }),
  },
  {
    required: ["backendRef", "protocol"],
    rules: [
      {
        name: "externalAuth.grpc-required",
        message: "grpc must be specified when protocol is set to 'GRPC'",
        valid: (self) => self.protocol !== "GRPC" || has(self, "grpc"),
      },
      {
        name: "externalAuth.grpc-protocol",
        message: "protocol must be 'GRPC' when grpc is set",
        valid: (self) => !has(self, "grpc") || self.protocol === "GRPC",
      },
      {
        name: "externalAuth.http-required",
        message: "http must be specified when protocol is set to 'HTTP'",
        valid: (self) => self.protocol !== "HTTP" || has(self, "http"),
      },
      {
        name: "externalAuth.http-protocol",
        message: "protocol must be 'HTTP' when http is set",
        valid: (self) => !has(self, "http") || self.protocol === "HTTP",
      },
    ],
  },
);

const HTTP_FILTER_TYPES = [
  "RequestHeaderModifier",
  "ResponseHeaderModifier",
  "RequestMirror",
  "RequestRedirect",
  "URLRewrite",
  "ExtensionRef",
  "CORS",
  "ExternalAuth",
] as const;

const FILTER_FIELDS: readonly (readonly [string, string])[] = [
  ["CORS", "cors"],
  ["RequestHeaderModifier", "requestHeaderModifier"],
  ["ResponseHeaderModifier", "responseHeaderModifier"],
  ["RequestMirror", "requestMirror"],
  ["RequestRedirect", "requestRedirect"],
  ["URLRewrite", "urlRewrite"],
  ["ExtensionRef", "extensionRef"],
  ["ExternalAuth", "externalAuth"],
];

/** ExternalAuth is experimental: the standard CRD neither knows the type nor keeps the field. */
function httpFilterFor(channel: Channel): Node {
  const experimental = channel === "experimental";
  const headerModifier = headerModifierFor(channel);
  const props: Record<string, Node> = {
    type: str({ enum: experimental ? HTTP_FILTER_TYPES : HTTP_FILTER_TYPES.filter((t) => t !== "ExternalAuth") }),
    requestHeaderModifier: headerModifier,
    responseHeaderModifier: headerModifier,
    requestMirror,
    requestRedirect,
    urlRewrite,
    cors,
    extensionRef,
  };
  if (experimental) props.externalAuth = externalAuth;
  const { rules, rulesHold } = filterTypeFields(experimental ? FILTER_FIELDS : FILTER_FIELDS.filter(([t]) => t !== "ExternalAuth"));
  return obj(props, { required: ["type"], rules, rulesHold });
}

const HTTP_FILTER_LIST_RULES: readonly Rule[] = [
  {
    name: "filters.redirect-or-rewrite",
    message: "May specify either httpRouteFilterRequestRedirect or httpRouteFilterRequestRewrite, but not both",
    valid: (self: unknown[]) =>
      !(self.some((f) => field(f, "type") === "RequestRedirect") && self.some((f) => field(f, "type") === "URLRewrite")),
  },
  ...noRepeatRules(["CORS", "RequestHeaderModifier", "ResponseHeaderModifier", "RequestRedirect", "URLRewrite"]),
];

/** True when no path-match rule can fail: a known type, and for Exact/PathPrefix an
 * absolute value with no dot segment, doubled or encoded slash, or fragment. */
function pathMatchHolds(self: Record<string, unknown>): boolean {
  const type = self.type ?? "PathPrefix";
  if (type === "RegularExpression") return true;
  if (type !== "Exact" && type !== "PathPrefix") return false;
  const value = self.value ?? "/";
  return (
    typeof value === "string" &&
    value.startsWith("/") &&
    !value.includes("//") &&
    !value.includes("/.") &&
    !value.includes("%2") &&
    !value.includes("#") &&
    PATH_VALID_CHARS.test(value)
  );
}

const pathMatch = obj(
  {
    type: str({ enum: ["Exact", "PathPrefix", "RegularExpression"] }),
    value: str({ maxLength: 1024 }),
  },
  {
    rulesHold: pathMatchHolds,
    // type defaults to PathPrefix and value to "/"; the rules see the defaulted object.
    rules: [
      ...PATH_MATCH_RULES.map(
        (r): Rule => ({
          name: `pathMatch.${r.name}`,
          message: r.message,
          valid: (self) => {
            const type = self.type ?? "PathPrefix";
            if (type !== "Exact" && type !== "PathPrefix") return true;
            const value = self.value ?? "/";
            return typeof value !== "string" || !r.fails(value);
          },
        }),
      ),
      {
        name: "pathMatch.type",
        message: "type must be one of ['Exact', 'PathPrefix', 'RegularExpression']",
        valid: (self) => ["Exact", "PathPrefix", "RegularExpression"].includes((self.type as string) ?? "PathPrefix"),
      },
    ],
  },
);


const queryParamMatch = obj(
  { type: str({ enum: ["Exact", "RegularExpression"] }), name: headerName, value: str({ minLength: 1, maxLength: 1024 }) },
  { required: ["name", "value"] },
);

function httpMatchFor(channel: Channel): Node {
  const headerMatch = obj(
    { type: str({ enum: ["Exact", "RegularExpression"] }), name: headerName, value: headerValueFor(channel) },
    { required: ["name", "value"] },
  );
  return obj({
    path: pathMatch,
    headers: arr(headerMatch, { maxItems: 16, listType: "map", mapKeys: ["name"] }),
    queryParams: arr(queryParamMatch, { maxItems: 16, listType: "map", mapKeys: ["name"] }),
    method: str({ enum: HTTP_METHODS }),
  });
}

const timeouts = obj(
  { request: duration, backendRequest: duration },
  {
    rules: [
      {
        name: "timeouts.backend-request-le-request",
        message: "backendRequest timeout cannot be longer than request timeout",
        valid: (self) => {
          if (!has(self, "request") || !has(self, "backendRequest")) return true;
          const request = parseDuration(self.request as string);
          const backend = parseDuration(self.backendRequest as string);
          // Unparseable durations are the pattern's to report.
          if (Number.isNaN(request) || Number.isNaN(backend)) return true;
          return request === 0 || backend <= request;
        },
      },
    ],
  },
);

const retry = obj({
  codes: arr(int({ minimum: 400, maximum: 599 }), { listType: "set" }),
  attempts: int({ minimum: 1 }),
  backoff: duration,
});

function hasPrefixReplace(f: unknown, key: "requestRedirect" | "urlRewrite"): boolean {
  const filter = field(f, key);
  const path = field(filter, "path");
  return has(f, key) && has(filter, "path") && field(path, "type") === "ReplacePrefixMatch" && has(path, "replacePrefixMatch");
}

/** matches defaults to [{path: {type: PathPrefix, value: /}}], and path to PathPrefix "/". */
function exactlyOnePrefixMatch(rule: Record<string, unknown>): boolean {
  if (!has(rule, "matches")) return true;
  const matches = list(rule, "matches");
  if (matches.length !== 1) return false;
  const path = field(matches[0], "path");
  return !has(matches[0], "path") || (field(path, "type") ?? "PathPrefix") === "PathPrefix";
}

function prefixRule(name: string, message: string, key: "requestRedirect" | "urlRewrite", inBackends: boolean): Rule {
  return {
    name,
    message,
    valid: (self) => {
      const applies = inBackends
        ? existsOne(list(self, "backendRefs"), (b) => existsOne(list(b, "filters"), (f) => hasPrefixReplace(f, key)))
        : existsOne(list(self, "filters"), (f) => hasPrefixReplace(f, key));
      return !applies || exactlyOnePrefixMatch(self);
    },
  };
}

const HTTP_RULE_RULES: readonly Rule[] = [
  {
    name: "rule.no-redirect-with-backends",
    message: "RequestRedirect filter must not be used together with backendRefs",
    valid: (self) => list(self, "backendRefs").length === 0 || list(self, "filters").every((f) => !has(f, "requestRedirect")),
  },
  prefixRule(
    "rule.redirect-prefix-needs-one-prefix-match",
    "When using RequestRedirect filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified",
    "requestRedirect",
    false,
  ),
  prefixRule(
    "rule.rewrite-prefix-needs-one-prefix-match",
    "When using URLRewrite filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified",
    "urlRewrite",
    false,
  ),
  prefixRule(
    "rule.backend-redirect-prefix-needs-one-prefix-match",
    "Within backendRefs, when using RequestRedirect filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified",
    "requestRedirect",
    true,
  ),
  prefixRule(
    "rule.backend-rewrite-prefix-needs-one-prefix-match",
    "Within backendRefs, When using URLRewrite filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified",
    "urlRewrite",
    true,
  ),
];

function httpRouteSpecFor(channel: Channel): Node {
  const filters = filterList(httpFilterFor(channel), HTTP_FILTER_LIST_RULES);
  const rule = obj(
    {
      name: ruleName,
      matches: arr(httpMatchFor(channel), { maxItems: 64, listType: "atomic" }),
      filters,
      backendRefs: backendRefs(filters),
      timeouts,
      retry,
      sessionPersistence,
    },
    { rules: HTTP_RULE_RULES },
  );
  const props: Record<string, Node> = {
    parentRefs: parentRefsFor(channel),
    hostnames: routeHostnames,
    rules: arr(rule, { minItems: 1, maxItems: 16, listType: "atomic", rules: [totalMatchesRule(1), UNIQUE_RULE_NAMES] }),
  };
  if (channel === "experimental") props.useDefaultGateways = str({ enum: ["All", "None"] });
  return obj(props);
}

export const httpRouteSpec = { standard: httpRouteSpecFor("standard"), experimental: httpRouteSpecFor("experimental") };
