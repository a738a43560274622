// Copies the WASM verifier (wasm/dist, built by `make wasm`) into
// dist/h5/wwkit/ and re-creates dist/.gitkeep (Vite empties dist/h5 only,
// but a clean checkout must keep the folder for //go:embed).
//   --check  only make sure wasm/dist exists (runs `make -C .. wasm` if not)
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const front = join(here, "..");
const wasmDist = join(front, "..", "wasm", "dist");
const need = ["wwkit.wasm", "wasm_exec.js", "wwkit.mjs", "wwkit.js", "wwkit.d.ts"];

if (!need.every((f) => existsSync(join(wasmDist, f)))) {
  console.log("copy-wasm: wasm/dist is incomplete; running make -C .. wasm");
  execFileSync("make", ["-C", join(front, ".."), "wasm"], { stdio: "inherit" });
}
mkdirSync(join(front, "dist"), { recursive: true });
writeFileSync(join(front, "dist", ".gitkeep"), "");
if (!process.argv.includes("--check")) {
  const to = join(front, "dist", "h5", "wwkit");
  mkdirSync(to, { recursive: true });
  // The verifier goes in only precompressed (wwkit.wasm.gz, .br), which the
  // server sends as they are (and gunzips for the rare client that takes
  // neither): the raw module would add its megabytes to every binary.
  const gz = existsSync(join(wasmDist, "wwkit.wasm.gz"));
  if (!gz) console.log("copy-wasm: no wasm/dist/wwkit.wasm.gz (make wasm writes it); embedding the raw wwkit.wasm");
  rmSync(join(to, "wwkit.wasm"), { force: true });
  let n = 0;
  for (const f of readdirSync(wasmDist)) {
    if ((need.includes(f) && !(gz && f === "wwkit.wasm")) || f === "wwkit.wasm.gz" || f === "wwkit.wasm.br") {
      copyFileSync(join(wasmDist, f), join(to, f));
      n++;
    }
  }
  console.log(`copy-wasm: ${n} files → dist/h5/wwkit/`);
}
