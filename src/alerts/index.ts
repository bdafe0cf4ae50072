export * from "./build.ts";
export * from "./format.ts";
