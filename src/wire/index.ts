/** What the kernel helper and the JupyterLab extension share (re-exports only); browser-safe, enforced by lint. */
export * from "./mime";
export * from "./span-codec";
export * from "./format";
export * from "./colours";
export * from "./timeline-labels";
export * from "./wait-codec";
export * from "./wait-marks";
