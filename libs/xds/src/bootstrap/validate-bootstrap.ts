// A bootstrap passes the same gate as every pushed resource: strict proto3 JSON conversion
// and Envoy's PGV rules, for the Bootstrap and for the Secrets in its SDS files.
import { encodeResource, ResourceValidationError } from "../proto/resource-codec";
import type { ValidationIssue } from "../validate/validation-issue";
import { typeUrlOf, type JsonObject } from "../resources/json";
import { SECRET_TYPE } from "../resources/resource-type";
import type { BootstrapOptions } from "./bootstrap-options";
import { buildBootstrap, BOOTSTRAP_TYPE_NAME } from "./bootstrap";
import { sdsFiles, sdsSecrets } from "./sds-files";

export interface CheckedBootstrap {
  bootstrap: JsonObject;
  /** SDS file name to content. */
  sdsFiles: Record<string, JsonObject>;
  /** Empty when Envoy would accept everything; each issue's path starts with what it is in. */
  issues: ValidationIssue[];
}

export function checkedBootstrap(opts: BootstrapOptions): CheckedBootstrap {
  const bootstrap = buildBootstrap(opts);
  const issues: ValidationIssue[] = [];
  collect(issues, "bootstrap", () => encodeResource(typeUrlOf(BOOTSTRAP_TYPE_NAME), bootstrap));
  for (const { file, secret } of sdsSecrets(opts)) collect(issues, file, () => encodeResource(SECRET_TYPE.typeUrl, secret));
  return { bootstrap, sdsFiles: sdsFiles(opts), issues };
}

function collect(out: ValidationIssue[], where: string, encode: () => unknown): void {
  try {
    encode();
  } catch (err) {
    if (!(err instanceof ResourceValidationError)) throw err;
    for (const i of err.issues) out.push({ ...i, path: i.path === "" ? where : `${where}: ${i.path}` });
  }
}
