import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * True when the module whose import.meta.url is `url` is the script node was
 * started with (`node src/server.js`), false when it is imported (by the
 * tests): the entry points run their main() only then.
 */
export function isEntryPoint(url) {
  return process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(url);
}
