// HTTP header names and values. Names follow the CRD's HTTPHeaderName (an RFC 7230 token,
// at most 256 characters), which also keeps ":"-pseudo-headers out. Values follow Envoy's
// HeaderValue rule (no NUL, CR or LF: a header value that smuggles a line break is a
// request-splitting hole) and the CRD's length bounds.

const TOKEN = /^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$/;
const FORBIDDEN_IN_VALUE = /[\0\r\n]/;

export const MAX_HEADER_NAME_LENGTH = 256;
export const MAX_HEADER_VALUE_LENGTH = 4096;

/** Returns why `name` is not a valid header name, or undefined. */
export function headerNameError(name: string): string | undefined {
  if (typeof name !== "string") return "header name must be a string";
  if (name.length === 0) return "header name must not be empty";
  if (name.length > MAX_HEADER_NAME_LENGTH) {
    return `header name is ${name.length} characters long, more than ${MAX_HEADER_NAME_LENGTH}`;
  }
  if (!TOKEN.test(name)) {
    return `header name ${JSON.stringify(name)} is not an RFC 7230 token (letters, digits and !#$%&'*+-.^_\`|~ only)`;
  }
  return undefined;
}

/** Returns why `value` is not a valid header value, or undefined. */
export function headerValueError(value: string): string | undefined {
  if (typeof value !== "string") return "header value must be a string";
  if (value.length === 0) return "header value must not be empty";
  if (value.length > MAX_HEADER_VALUE_LENGTH) {
    return `header value is ${value.length} characters long, more than ${MAX_HEADER_VALUE_LENGTH}`;
  }
  if (FORBIDDEN_IN_VALUE.test(value)) return "header value must not contain NUL, CR or LF characters";
  return undefined;
}
