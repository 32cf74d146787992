// What the validator reports: where in the resource (a path like
// `virtual_hosts[0].routes[3].match.safe_regex.regex`), which rule (PGV's name, such as
// `string.min_len`, or `oneof.required`, `regex.re2`), and a sentence for the status.
import { PathStack } from "../proto/path-stack";

export interface ValidationIssue {
  path: string;
  rule: string;
  message: string;
}

/** A compiled rule: appends an issue for `value` at the current path when it breaks the rule. */
export type Check = (value: unknown, out: ValidationIssue[]) => void;

// The path of the value being checked, pushed and popped by the walker.
const path = new PathStack();

export function pushPath(part: string | number): void {
  path.push(part);
}

export function popPath(): void {
  path.pop();
}

export function resetPath(): void {
  path.reset();
}

export function currentPath(): string {
  return path.toString();
}

/** Called when a rule in the protos is not understood, so it is reported and never silently dropped. */
export type ReportUnsupported = (rule: string, detail?: string) => void;
