// `node --import` this (after tsx) to append the URL of every module the process resolves
// to $RECORD_LOADS_FILE: how lazy-kube-client.test.ts sees what a service really loads.
import { register } from "node:module";

register("./record-loads-hooks.mjs", import.meta.url, { data: { file: process.env.RECORD_LOADS_FILE } });
