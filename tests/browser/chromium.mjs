// Debian's chromium through playwright-core, as every browser test here launches it: headless,
// no sandbox (CI runs as root), nothing fetched from the network. CHROMIUM overrides the path.
import { chromium } from 'playwright-core';

export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
           '--disable-component-update', '--disable-sync'],
  });
}
