/** The full MIME bundle of a table: Lanes JSON, static HTML, plain text. */
import type { ArqueroLike } from "./arquero-like";
import type { MimeBundle } from "./bundle";
import { TABLE_DEFAULTS, type TableDisplayOptions } from "./table-options";
import { tableHtml } from "./table-html";
import { tablePayload } from "./table-payload";
import { tableText } from "./table-text";
import { TABLE_MIME } from "../wire/mime";

export function tableBundle(table: ArqueroLike, options: TableDisplayOptions = {}): MimeBundle {
  const payload = tablePayload(table, options);
  const preview = options.previewRows ?? TABLE_DEFAULTS.previewRows;
  return { [TABLE_MIME]: payload, "text/html": tableHtml(payload, preview), "text/plain": tableText(payload, preview) };
}
