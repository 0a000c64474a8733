// How long report.html takes to become usable in Debian's chromium: the story list shown, the
// first story rendered, then another story opened. Usage: node bench/report_load.mjs REPORT.html
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
const require = createRequire(resolve('tests/browser/package.json'));
const { chromium } = require('playwright-core');
const t0 = Date.now();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
});
const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
await page.goto('file://' + resolve(process.argv[2]), { timeout: 300000 });
await page.waitForSelector('#story-list li.story', { timeout: 300000 });
const listed = Date.now();
await page.waitForSelector('#story-view h2');
const first = Date.now();
await page.click('#story-list li.story:nth-child(10)');
await page.waitForSelector('#side-a, #story-view h2');
const another = Date.now();
console.log(`report.html in chromium: list shown after ${((listed - t0) / 1000).toFixed(1)} s (browser start ` +
            `included), first story ${((first - t0) / 1000).toFixed(1)} s, another story opened in ` +
            `${((another - first) / 1000).toFixed(2)} s`);
await browser.close();
