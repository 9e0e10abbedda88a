export { LocalCluster, type LocalClusterOptions } from "./local-cluster";
export type { RedisBackendOptions } from "./backend";
export type { TlsSource } from "./tls";
export { LanesWorker, type LanesWorkerOptions } from "./worker";
