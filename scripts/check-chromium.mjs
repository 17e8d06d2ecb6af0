// Fails fast, in one line, when the e2e browser is missing: e2e uses Debian's Chromium and never
// downloads one.
import { accessSync, constants } from 'node:fs';

const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
try {
  accessSync(path, constants.X_OK);
} catch {
  console.error(
    `e2e needs Chromium at ${path}: install it with 'sudo apt-get install -y chromium' (or set CHROMIUM_PATH)`,
  );
  process.exit(1);
}
