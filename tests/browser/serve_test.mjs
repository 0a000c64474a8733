// `samestory serve`'s web page in Debian's chromium (through playwright-core): starts the server
// on a free port with a fresh database, posts the example corpus through the API, and checks what
// a reader sees: the live story list (a story posted later appears without a reload), the search
// box, a story's timeline of outlets, and two members side by side whose highlights are exactly
// the shared passages /compare gives.
//
// Usage: node serve_test.mjs SAMESTORY_BINARY WORK_DIR   (the screenshot lands in WORK_DIR)
import { launchChromium } from './chromium.mjs';
import { spawn } from 'node:child_process';
import { readFileSync, rmSync, mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';

const [binary, work] = process.argv.slice(2);
const here = dirname(fileURLToPath(import.meta.url));
const articles = readFileSync(join(here, '../../examples/articles.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });

const server = spawn(binary, ['serve', '--db', join(work, 'index.db'), '--listen', '127.0.0.1:0'],
                     { stdio: ['ignore', 'ignore', 'pipe'] });
const base = await new Promise((resolve, reject) => {
  let seen = '';
  server.stderr.on('data', (chunk) => {
    seen += chunk;
    const m = seen.match(/http:\/\/127\.0\.0\.1:(\d+)\//);
    if (m) resolve(`http://127.0.0.1:${m[1]}`);
  });
  server.on('exit', (code) => reject(new Error(`samestory serve exited with ${code}: ${seen}`)));
  setTimeout(() => reject(new Error('samestory serve did not start')), 60000);
});
const api = async (path, init) => {
  const r = await fetch(base + path, init);
  return { status: r.status, body: await r.json() };
};

const browser = await launchChromium();
let failed = false;
try {
  const posted = await api('/articles', { method: 'POST', headers: { 'Content-Type': 'application/json' },
                                          body: JSON.stringify(articles.slice(0, -1)) });
  assert.equal(posted.status, 201);
  const listed = (await api('/stories?limit=100')).body.stories;

  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(base + '/');

  // The list: one row a story, as the API lists them.
  await page.waitForSelector('#stories tbody tr');
  const rows = page.locator('#stories tbody tr');
  assert.equal(await rows.count(), listed.length);
  assert.equal(await rows.first().getAttribute('data-story'), String(listed[0].id));

  // Live: an article of a new story, posted now, shows up without a reload.
  const last = articles[articles.length - 1];
  const added = await api('/articles', { method: 'POST', headers: { 'Content-Type': 'application/json' },
                                         body: JSON.stringify(last) });
  assert.equal(added.status, 201);
  const newStory = added.body.articles[0].story;
  await page.waitForSelector(`#stories tr[data-story="${newStory}"]`, { timeout: 15000 });

  // Search narrows the list to stories with the words in a member's title.
  await page.fill('#q', 'Quillon');
  await page.click('#search button');
  await page.waitForFunction(() => document.querySelectorAll('#stories tbody tr').length >= 1 &&
                                   [...document.querySelectorAll('#stories tbody tr')].every((r) => r.textContent));
  const quillon = (await api('/stories?q=Quillon')).body.stories.map((s) => String(s.id));
  await page.waitForFunction((n) => document.querySelectorAll('#stories tbody tr').length === n, quillon.length);
  const shownIds = await rows.evaluateAll((rs) => rs.map((r) => r.getAttribute('data-story')));
  assert.deepEqual(shownIds, quillon);

  // A story: its members as a timeline in publication order, the first publisher first.
  const largest = [...listed].sort((a, b) => b.size - a.size || a.id - b.id)[0];
  const story = (await api(`/stories/${largest.id}`)).body;
  await page.fill('#q', '');
  await page.click('#search button');
  await page.click(`#stories tr[data-story="${largest.id}"] a`);
  await page.waitForSelector('#timeline li');
  assert.equal(await page.locator('h1').textContent(), story.headline);
  const shownMembers = await page.locator('#timeline li').evaluateAll((ls) => ls.map((l) => l.getAttribute('data-article')));
  assert.deepEqual(shownMembers, story.members.map((m) => m.id));

  // Two members side by side: the highlights are exactly the passages /compare gives.
  const [a, b] = [story.members[0].id, story.members[1].id];
  assert.ok(await page.locator('#compare-selected').isDisabled());
  await page.check(`#timeline li[data-article="${a}"] input`);
  await page.check(`#timeline li[data-article="${b}"] input`);
  await page.click('#compare-selected');
  await page.waitForSelector('[data-testid=side-a] mark');
  const compared = (await api(`/compare?a=${encodeURIComponent(a)}&b=${encodeURIComponent(b)}`)).body;
  assert.ok(compared.passages.length >= 1, 'the two share passages');
  for (const [side, article, key] of [['side-a', compared.a, 'a'], ['side-b', compared.b, 'b']]) {
    const chars = Array.from(article.text);
    const marks = await page.locator(`[data-testid=${side}] mark`).evaluateAll(
      (ms) => ms.map((m) => [Number(m.getAttribute('data-passage')), m.textContent]));
    assert.equal(marks.length, compared.passages.length, `${side}: one highlight a passage`);
    for (const [k, text] of marks) {
      const p = compared.passages[k];
      assert.equal(text, chars.slice(p[`${key}_begin`], p[`${key}_end`]).join(''), `${side}: passage ${k} exactly`);
    }
  }
  // A caption only one side has, inside a shared stretch, is shown but not highlighted.
  const inserted = compared.passages.flatMap((p) => p.b_inserted);
  assert.equal(await page.locator('[data-testid=side-b] mark .inserted').count(), inserted.length);
  await page.screenshot({ path: join(work, 'serve-compare.png'), fullPage: false });
  assert.deepEqual(errors, [], 'no script errors');
  console.log(`serve page: ${listed.length + 1} stories listed live, search, story ${largest.id} ` +
              `(${story.size} articles) and ${compared.passages.length} shared passages side by side checked`);
} catch (e) {
  failed = true;
  console.error(e);
} finally {
  await browser.close();
  server.kill('SIGTERM');
}
process.exit(failed ? 1 : 0);
