/** Public display API (re-exports only). */
export { show, bundleOf, NotDisplayableError, type ShowOptions } from "./show";
export { DISPLAY, isDisplayable, type Displayable, type MimeBundle } from "./bundle";
export type { DisplayAdapter } from "./adapter";
export { setDisplayAdapter } from "./current-adapter";
export { startProgress, LiveProgress, type ProgressOptions } from "./live-progress";
export type { TableDisplayOptions } from "./table-options";
export { tablePayload } from "./table-payload";
