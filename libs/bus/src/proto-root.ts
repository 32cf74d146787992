// Loads the bus payload schemas (proto/gatehouse/bus/v1) with protobufjs, once per
// process. Codecs take their message types from here.
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import protobuf from "protobufjs";

export const BUS_PROTO_FILES: readonly string[] = [
  "gatehouse/bus/v1/common.proto",
  "gatehouse/bus/v1/resource.proto",
  "gatehouse/bus/v1/endpoints.proto",
  "gatehouse/bus/v1/ir.proto",
  "gatehouse/bus/v1/status.proto",
  "gatehouse/bus/v1/xds_events.proto",
  "gatehouse/bus/v1/certs.proto",
  "gatehouse/bus/v1/chunk.proto",
];

/** The repository's proto/ folder; GATEHOUSE_PROTO_DIR overrides it for packaged builds. */
export function busProtoDir(): string {
  const fromEnv = process.env.GATEHOUSE_PROTO_DIR;
  if (fromEnv) return fromEnv;
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../proto");
}

let root: protobuf.Root | undefined;

export function busProtos(): protobuf.Root {
  if (root) return root;
  const dir = busProtoDir();
  if (!existsSync(path.join(dir, BUS_PROTO_FILES[0]))) {
    throw new Error(`bus proto files not found under ${dir} (set GATEHOUSE_PROTO_DIR to the proto/ folder)`);
  }
  const r = new protobuf.Root();
  r.resolvePath = (_origin, target) => (path.isAbsolute(target) ? target : path.join(dir, target));
  r.loadSync(BUS_PROTO_FILES as string[]);
  r.resolveAll();
  root = r;
  return r;
}

export function busMessageType(name: string): protobuf.Type {
  return busProtos().lookupType(`gatehouse.bus.v1.${name}`);
}
