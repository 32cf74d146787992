// Worker threads do not inherit tsx's loader: this entry registers it in the worker, then
// loads the TypeScript worker (observer-worker.ts).
import { register } from "tsx/esm/api";

register();
await import("./observer-worker.ts");
