/** The full MIME bundle of a timeline: Lanes JSON, static HTML, plain text. */
import type { MimeBundle } from "./bundle";
import { decodeSpans } from "../wire/span-codec";
import { timelineHtml } from "./timeline-html";
import { timelineText } from "./timeline-text";
import { TIMELINE_MIME, type TimelinePayloadV1 } from "../wire/mime";

export function timelineBundle(payload: TimelinePayloadV1): MimeBundle {
  return {
    [TIMELINE_MIME]: payload,
    "text/html": timelineHtml(payload, decodeSpans(payload.spans)),
    "text/plain": timelineText(payload),
  };
}
