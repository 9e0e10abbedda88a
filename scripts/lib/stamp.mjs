// Content stamps that let each set-up step skip itself when its inputs have not changed.
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";

function addPath(hash, path) {
  if (!existsSync(path)) {
    hash.update(`missing:${path}\n`);
    return;
  }
  const st = statSync(path);
  if (st.isDirectory()) {
    for (const name of readdirSync(path).sort()) {
      if (name === "node_modules" || name === "lib" || name === "__pycache__" || name.startsWith(".")) continue;
      addPath(hash, join(path, name));
    }
  } else {
    hash.update(`file:${path}\n`);
    hash.update(readFileSync(path));
  }
}

/** Hash of the given files and folders (recursively) plus any extra strings. */
export function hashInputs(paths, extra = []) {
  const hash = createHash("sha256");
  for (const p of paths) addPath(hash, p);
  for (const e of extra) hash.update(`extra:${e}\n`);
  return hash.digest("hex");
}

export function stampMatches(stampFile, hash) {
  return existsSync(stampFile) && readFileSync(stampFile, "utf8") === hash;
}

export function writeStamp(stampFile, hash) {
  mkdirSync(dirname(stampFile), { recursive: true });
  writeFileSync(stampFile, hash);
}
