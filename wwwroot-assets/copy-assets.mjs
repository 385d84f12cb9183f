// Copies the parts of the npm packages the panel serves into src/Web/wwwroot/lib.
// noVNC 1.7 ships only ES modules (core/ and vendor/), served as static files and imported
// from a module script; xterm ships a prebuilt bundle and stylesheet.
import { cpSync, mkdirSync, rmSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const target = join(here, "..", "src", "Web", "wwwroot", "lib");

const copies = [
  ["@novnc/novnc/core", "novnc/core"],
  ["@novnc/novnc/vendor", "novnc/vendor"],
  ["@novnc/novnc/LICENSE.txt", "novnc/LICENSE.txt"],
  ["@xterm/xterm/lib/xterm.js", "xterm/xterm.js"],
  ["@xterm/xterm/css/xterm.css", "xterm/xterm.css"],
  ["@xterm/xterm/LICENSE", "xterm/LICENSE"],
  ["@xterm/addon-fit/lib/addon-fit.js", "xterm/addon-fit.js"],
  ["@xterm/addon-attach/lib/addon-attach.js", "xterm/addon-attach.js"],
];

rmSync(target, { recursive: true, force: true });
for (const [from, to] of copies) {
  const source = join(here, "node_modules", from);
  if (!existsSync(source)) {
    console.error(`copy-assets: ${source} is missing; run 'npm ci' in wwwroot-assets first`);
    process.exit(1);
  }
  mkdirSync(dirname(join(target, to)), { recursive: true });
  cpSync(source, join(target, to), { recursive: true });
}
console.log(`copy-assets: browser libraries copied to ${target}`);
