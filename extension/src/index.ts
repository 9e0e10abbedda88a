import type { IRenderMime } from "@jupyterlab/rendermime-interfaces";
import { tableExtension } from "./table";
import { timelineExtension } from "./timeline";

/** The Lanes MIME renderers, one per MIME type of the wire format. */
const extensions: IRenderMime.IExtension[] = [timelineExtension, tableExtension];

export default extensions;
