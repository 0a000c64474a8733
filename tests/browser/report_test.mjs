// Opens a report.html written by `samestory run` in Debian's chromium (through playwright-core)
// and checks what a reader sees: the story list, a story's timeline, and the side-by-side view
// whose highlights must cover exactly the shared passages stories.jsonl gives.
//
// Usage: node report_test.mjs OUT_DIR SCREENSHOT.png   (OUT_DIR holds report.html and stories.jsonl)
import { launchChromium } from './chromium.mjs';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import assert from 'node:assert/strict';

const [outDir, screenshot] = process.argv.slice(2);
const stories = readFileSync(join(outDir, 'stories.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const largest = [...stories].sort((a, b) => b.size - a.size || a.story - b.story)[0];
assert.ok(largest.size >= 2, 'the example corpus has a story with several articles');

const browser = await launchChromium();
let failed = false;
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto('file://' + resolve(outDir, 'report.html'));

  // The list: every story up to a page of 50, largest first.
  const items = page.locator('#story-list li.story');
  assert.equal(await items.count(), Math.min(50, stories.length));
  assert.equal(await items.first().getAttribute('data-story'), String(largest.story));

  // The largest story opens first: its timeline has one row a member, in publication order.
  await page.waitForSelector('#timeline');
  assert.equal(await page.locator('#story-view h2').textContent(), largest.headline);
  assert.equal(await page.locator('#timeline tr').count(), largest.size + 1);
  const outletCells = await page.locator('#timeline tr td:nth-child(2)').allTextContents();
  assert.deepEqual(outletCells, largest.members.map((m) => m.outlet));

  // Side by side: members 1 and 2; the highlights are the passages of stories.jsonl, exactly.
  const detail = JSON.parse(await page.locator(`#story-data-${largest.story}`).textContent());
  const textOf = (id) => detail.m.find((a) => a.id === id).text;
  const checkPair = async (a, b) => {
    const pair = largest.shared_passages.find((p) => p.a === a && p.b === b);
    assert.ok(pair, `stories.jsonl has passages for ${a} and ${b}`);
    for (const [side, key, id] of [['a', 'a', a], ['b', 'b', b]]) {
      const chars = Array.from(textOf(id));  // stories.jsonl counts code points
      const marks = page.locator(`#side-${side} mark.shared`);
      assert.ok(await marks.count() >= pair.passages.length, `${id}: every passage is highlighted`);
      for (let k = 0; k < pair.passages.length; k++) {
        const p = pair.passages[k][key];
        const expected = chars.slice(p.char_begin, p.char_end).join('');
        const shown = (await page.locator(`#side-${side} mark.shared[data-passage="${k + 1}"]`).allTextContents()).join('');
        assert.equal(shown, expected, `${id}: passage ${k + 1} is highlighted exactly`);
      }
    }
  };
  const ids = largest.members.map((m) => m.id);
  await checkPair(ids[0], ids[1]);
  // Another pair, chosen in the page.
  const other = largest.shared_passages.find((p) => p.a === ids[0] && p.b !== ids[1] && p.passages.length > 0);
  if (other) {
    await page.selectOption('#pick-b', String(ids.indexOf(other.b)));
    await checkPair(ids[0], other.b);
  }
  // Clicking a passage focuses its partner on the other side.
  await page.locator('#side-a mark.shared[data-passage="1"]').first().click();
  assert.ok(await page.locator('#side-b mark.shared.focus').count() > 0);

  // The filter narrows the list; a story chosen by its number opens.
  await page.fill('#filter', largest.outlets[1]);
  assert.ok(await items.count() >= 1);
  const single = stories.find((s) => s.size === 1);
  if (single) {
    await page.evaluate((n) => { location.hash = 'story-' + n; }, single.story);
    await page.waitForFunction((h) => document.querySelector('#story-view h2')?.textContent === h, single.headline);
  }
  await page.evaluate((n) => { location.hash = 'story-' + n; }, largest.story);
  await page.waitForSelector('#side-a');
  await page.screenshot({ path: screenshot, fullPage: false });
  assert.deepEqual(errors, [], 'no script errors');
  console.log(`report.html: ${stories.length} stories listed, story ${largest.story} (${largest.size} articles) ` +
              `checked side by side; screenshot ${screenshot}`);
} catch (e) {
  failed = true;
  console.error(e);
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
