export * from "./client/index";
