export { LocalCluster, type LocalClusterOptions } from "./local-cluster";
export type { RedisBackendOptions } from "./backend";
export { LanesWorker, type LanesWorkerOptions } from "./worker";
