// Errors from the API server, decoded from its `kind: Status` body: the HTTP code and the
// reason are what callers branch on (404 NotFound tolerated, 409 Conflict retried, 410 Gone
// relisted), so they are fields, not text to parse.

export class KubeApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
  ) {
    super(message);
    this.name = "KubeApiError";
  }

  static fromResponse(code: number, body: string, what: string): KubeApiError {
    let reason = "Unknown";
    let message = body.slice(0, 500);
    try {
      const status = JSON.parse(body) as { kind?: string; reason?: string; message?: string };
      if (status.kind === "Status") {
        reason = status.reason ?? reason;
        message = status.message ?? message;
      }
    } catch {
      // not JSON (a proxy's error page): keep the text
    }
    return new KubeApiError(code, reason, `${what}: ${code} ${reason}: ${message}`);
  }
}

export const isNotFound = (err: unknown) => err instanceof KubeApiError && err.code === 404;
export const isConflict = (err: unknown) => err instanceof KubeApiError && err.code === 409 && err.reason !== "AlreadyExists";
export const isAlreadyExists = (err: unknown) => err instanceof KubeApiError && err.code === 409 && err.reason === "AlreadyExists";
export const isGone = (err: unknown) => err instanceof KubeApiError && err.code === 410;
