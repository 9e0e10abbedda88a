export { Pool } from "./pool";
export type { PoolOptions, MapOptions, ImapOptions, ApplyOptions } from "./options";
