// The status page with many zones, in Debian's Chromium (headless): checks what an operator
// relies on at that size and measures it. Used by StatusPageIT (100,000 zones) and by
// `scripts/bench --only page` (100,000 and 1,000,000 zones).
// Usage: node status-page-scale.mjs URL OUT_DIR SEARCH_ZONE [--max-refresh-bytes N] [--hold SECONDS]
//   SEARCH_ZONE: a zone the search box must find (typed in full, then Enter).
// Prints "PAGE name value unit" for each figure; with --hold, "HOLD" when the page is open and
// idle (polling) and "HELD" after SECONDS. Exit 0 when every check passed, 1 otherwise.
import { chromium } from 'playwright-core';

const args = process.argv.slice(2);
const [url, outDir, searchZone] = args;
const opt = (name, def) => { const i = args.indexOf(name); return i >= 0 ? Number(args[i + 1]) : def; };
const maxBytes = opt('--max-refresh-bytes', Infinity);
const hold = opt('--hold', 0);
if (!url || !outDir || !searchZone) {
  console.error('usage: node status-page-scale.mjs URL OUT_DIR SEARCH_ZONE [--max-refresh-bytes N] [--hold SECONDS]');
  process.exit(2);
}

let failed = false;
function check(ok, what) {
  console.log((ok ? 'ok   ' : 'FAIL ') + what);
  if (!ok) failed = true;
}
function figure(name, value, unit) {
  console.log(`PAGE ${name} ${Math.round(value * 10) / 10} ${unit}`);
}
const median = (a) => { const s = [...a].sort((x, y) => x - y); return s[Math.floor(s.length / 2)]; };

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  const sizes = [];
  page.on('response', async (r) => {
    if (!new URL(r.url()).pathname.endsWith('/status')) return;
    try { sizes.push((await r.body()).length); } catch (e) { /* page went on */ }
  });
  const renders = () => page.evaluate(() => Number(document.body.getAttribute('data-renders') || 0));
  // Time from an action until the page has rendered an answer (with exactly `rows` zone rows, if given).
  async function timed(action, rows) {
    const before = await renders();
    const t0 = Date.now();
    await action();
    await page.waitForFunction(([b, n]) => Number(document.body.getAttribute('data-renders') || 0) > b
      && (n === null || document.querySelectorAll('#zones tbody tr').length === n), [before, rows ?? null],
    { timeout: 120000, polling: 20 });
    return Date.now() - t0;
  }

  // Load: navigation until the first render (page, script, one /status).
  const t0 = Date.now();
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForSelector('body[data-loaded="true"]', { timeout: 60000 });
  figure('load', Date.now() - t0, 'ms');
  const zones = await page.$$eval('#zones tbody tr', (rows) => rows.map((r) => ({
    zone: r.cells[0].textContent, state: r.cells[1].textContent })));
  const overall = await page.textContent('#overall');
  check(/not ready/.test(overall), `the badge counts the zones that are not ready: "${overall}"`);
  check(zones.length > 0 && zones.length <= 50, `one page of zones is shown (${zones.length} rows)`);
  check(zones.length > 0 && zones[0].state !== 'ready', `not-ready zones first (first row: ${JSON.stringify(zones[0])})`);
  const counts = await page.textContent('#counts');
  check(/zones:/.test(counts), `counts by state: "${counts}"`);

  // Refresh: the page's own 2 s poll, from its request leaving until the answer is rendered, five times.
  const times = [];
  for (let i = 0; i < 5; i++) {
    // the page waits longer between polls when answers take long (a million zones on a busy machine)
    await page.waitForRequest((r) => new URL(r.url()).pathname.endsWith('/status'), { timeout: 180000 });
    times.push(await timed(async () => {}));
  }
  figure('refresh', median(times), 'ms (median of 5)');
  figure('refresh_max', Math.max(...times), 'ms');
  const biggest = Math.max(...sizes);
  figure('refresh_bytes', biggest, 'bytes (largest /status answer the page fetched)');
  check(biggest <= maxBytes, `one refresh transfers at most ${maxBytes} bytes (largest: ${biggest})`);

  // Next page, then search (server-side): the zone typed in is the one row shown.
  const nextMs = await timed(() => page.click('#next'));
  figure('next_page', nextMs, 'ms');
  const range = await page.textContent('#range');
  check(/^51–/.test(range), `"Next" shows the second page: "${range}"`);
  const searchMs = await timed(async () => { await page.fill('#search', searchZone); await page.press('#search', 'Enter'); }, 1);
  figure('search', searchMs, 'ms');
  const found = await page.$$eval('#zones tbody tr', (rows) => rows.map((r) => Array.from(r.cells, (c) => c.textContent)));
  check(found.length === 1 && found[0][0] === searchZone, `search "${searchZone}" finds it: ${JSON.stringify(found)}`);

  // Times carry their zone (UTC), in the header, the zone rows and the recent conditions.
  const live = await page.textContent('#live');
  check(/UTC$/.test(live), `"updated" time is in UTC: "${live}"`);
  const timeCells = found.length ? found[0].slice(3, 6).filter((t) => t !== '-') : [];
  check(timeCells.every((t) => / UTC /.test(t)), `zone times are in UTC: ${JSON.stringify(timeCells)}`);
  const condTimes = await page.$$eval('#conditions li time', (t) => t.map((x) => x.textContent.trim()));
  check(condTimes.length > 0 && condTimes.every((t) => /UTC$/.test(t)), `condition times are in UTC (${condTimes[0]}, …)`);
  await page.screenshot({ path: `${outDir}/status-scale.png`, fullPage: true });

  if (hold > 0) {
    await page.fill('#search', '');
    await timed(() => page.press('#search', 'Enter'));
    console.log('HOLD');
    const before = await renders();
    await page.waitForTimeout(hold * 1000);
    const polls = (await renders()) - before;
    console.log('HELD');
    figure('polls_while_open', polls, `refreshes in ${hold} s`);
  }
  check(errors.length === 0, `no script errors (${errors.join('; ')})`);
} catch (e) {
  console.error('FAIL ' + (e.stack || e));
  failed = true;
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
