// `npm run screenshots`: copies the screenshots the last browser-test runs took (e2e/ and e2e-demo/
// save them under .data/screenshots, an ignored folder, so a test run never dirties the clone) into
// docs/screenshots, where the README shows them. Run it after `npm test` when the UI changed.
import { copyFileSync, existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

const FROM = ".data/screenshots";
const TO = "docs/screenshots";

const taken = existsSync(FROM) ? readdirSync(FROM).filter((name) => name.endsWith(".png")) : [];
if (taken.length === 0) {
  console.error(`No screenshots in ${FROM}: run the browser tests first (npm test, or npm run test:e2e and the demo suite).`);
  process.exit(1);
}
const shown = new Set(readdirSync(TO).filter((name) => name.endsWith(".png")));
for (const name of taken.sort()) {
  copyFileSync(path.join(FROM, name), path.join(TO, name));
  const when = statSync(path.join(FROM, name)).mtime.toISOString();
  console.log(`${shown.has(name) ? "updated" : "added  "} ${TO}/${name} (taken ${when})`);
}
const missing = [...shown].filter((name) => !taken.includes(name));
if (missing.length) console.log(`not taken by the last runs, left as they were: ${missing.join(", ")}`);
