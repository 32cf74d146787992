// What the validator reports: where in the resource (a path like
// `virtual_hosts[0].routes[3].match.safe_regex.regex`), which rule (PGV's name, such as
// `string.min_len`, or `oneof.required`, `regex.re2`), and a sentence for the status.

export interface ValidationIssue {
  path: string;
  rule: string;
  message: string;
}

export type Check = (value: unknown, path: string, out: ValidationIssue[]) => void;

/** Called when a rule in the protos is not understood, so it is reported and never silently dropped. */
export type ReportUnsupported = (rule: string, detail?: string) => void;
