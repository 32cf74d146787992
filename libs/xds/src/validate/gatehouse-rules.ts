// Checks Envoy makes in code rather than in PGV annotations, written in the same rule
// form and applied by the same walker. Only what the protos cannot say belongs here:
// anything a `(validate.rules)` already carries is enforced from the protos themselves.

export interface ExtraFieldRule {
  /** PGV-shaped rules merged with the field's own `(validate.rules)`. */
  rules?: Record<string, unknown>;
  /** The string is a regular expression Envoy compiles with RE2. */
  re2?: boolean;
  why: string;
}

export const EXTRA_FIELD_RULES: Readonly<Record<string, ExtraFieldRule>> = {
  "envoy.type.matcher.v3.RegexMatcher.regex": {
    re2: true,
    why: "Envoy compiles safe_regex with RE2 and NACKs the resource when it does not compile",
  },
  "xds.type.matcher.v3.RegexMatcher.regex": {
    re2: true,
    why: "the xDS matcher's RegexMatcher is compiled with RE2 too",
  },
  "envoy.config.core.v3.ApiConfigSource.api_type": {
    rules: { enum: { not_in: [0] } },
    why: "its zero value DEPRECATED_AND_UNAVAILABLE_DO_NOT_USE makes Envoy throw; the proto can only say so in a comment",
  },
  "envoy.config.core.v3.SocketAddress.port_value": {
    rules: { uint32: { gte: 1 } },
    why:
      "Gatehouse policy: the proto allows 0 (bind an ephemeral port, or an unusable upstream), " +
      "which is never what a Gateway listener, a Service port or an xDS address means",
  },
};
