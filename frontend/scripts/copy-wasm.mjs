// Copies the WASM verifier (wasm/dist, built by `make wasm`) into
// dist/h5/wwkit/ and re-creates dist/.gitkeep (Vite empties dist/h5 only,
// but a clean checkout must keep the folder for //go:embed).
//   --check  only make sure wasm/dist exists (runs `make -C .. wasm` if not)
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
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
  for (const f of readdirSync(wasmDist)) {
    // and the precompressed verifier (wwkit.wasm.gz, .br) the server sends as is
    if (need.includes(f) || f === "wwkit.wasm.gz" || f === "wwkit.wasm.br") copyFileSync(join(wasmDist, f), join(to, f));
  }
  console.log(`copy-wasm: ${need.length} files → dist/h5/wwkit/`);
}
