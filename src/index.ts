export * from "./errors";
export { cpuCount } from "./cpu-count";
