// API errors as the API server returns them: a `kind: Status` object with a reason and the
// HTTP code, which clients (client-go, @kubernetes/client-node) decode into typed errors.

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
}

export class ApiStatusError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details: StatusDetails = {},
  ) {
    super(message);
  }

  toStatus(): Record<string, unknown> {
    return {
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: this.message,
      reason: this.reason,
      details: this.details,
      code: this.code,
    };
  }
}

const describe = (d: StatusDetails) => `${d.kind ?? "resource"}${d.group ? `.${d.group}` : ""} ${JSON.stringify(d.name ?? "")}`;

export const notFound = (d: StatusDetails) => new ApiStatusError(404, "NotFound", `${describe(d)} not found`, d);
export const alreadyExists = (d: StatusDetails) => new ApiStatusError(409, "AlreadyExists", `${describe(d)} already exists`, d);
export const conflict = (d: StatusDetails, why = "the object has been modified; please apply your changes to the latest version and try again") =>
  new ApiStatusError(409, "Conflict", `Operation cannot be fulfilled on ${describe(d)}: ${why}`, d);
export const badRequest = (message: string) => new ApiStatusError(400, "BadRequest", message);
export const invalid = (d: StatusDetails, message: string) => new ApiStatusError(422, "Invalid", `${describe(d)} is invalid: ${message}`, d);
export const gone = (message: string) => new ApiStatusError(410, "Expired", message);

const REASONS: Record<number, string> = {
  400: "BadRequest",
  401: "Unauthorized",
  403: "Forbidden",
  404: "NotFound",
  409: "Conflict",
  410: "Expired",
  415: "UnsupportedMediaType",
  422: "Invalid",
  429: "TooManyRequests",
  500: "InternalError",
  503: "ServiceUnavailable",
  504: "Timeout",
};

/** An error of the given code with the reason the API server uses for it. */
export function statusFor(code: number, message: string): ApiStatusError {
  return new ApiStatusError(code, REASONS[code] ?? "Unknown", message);
}
