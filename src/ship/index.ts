export { shipFunction } from "./ship";
export type { ShipOptions, TaskFunction, TaskFunctionRef } from "./ship";
export { loadShippedFunction } from "./rebuild";
export type { ShippedFunction } from "./payload";
export { registerTransferHandler, transferHandlers } from "./transfer-handlers";
export type { TransferHandler } from "./transfer-handlers";
