// Opens the dns-oops status page in Debian's Chromium (headless), waits until it shows the
// expected zones in the expected states, checks the phone layout too, and saves screenshots.
// Usage: node status-page.mjs URL OUT_DIR ZONE=STATE[@SERIAL] ...
// Exit 0 when everything the page shows matches; 1 with a reason otherwise.
import { chromium } from 'playwright-core';

const [url, outDir, ...expect] = process.argv.slice(2);
if (!url || !outDir || expect.length === 0) {
  console.error('usage: node status-page.mjs URL OUT_DIR ZONE=STATE[@SERIAL] ...');
  process.exit(2);
}
const wanted = expect.map((e) => {
  const m = e.match(/^([^=]+)=([a-z-]+)(?:@(\d+))?$/);
  if (!m) throw new Error('bad expectation ' + e);
  return { zone: m[1], state: m[2], serial: m[3] };
});

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
});
let failed = false;
function check(ok, what) {
  console.log((ok ? 'ok   ' : 'FAIL ') + what);
  if (!ok) failed = true;
}

async function zoneRows(page) {
  return page.$$eval('#zones tbody tr', (rows) => rows.map((r) => {
    const c = r.querySelectorAll('td');
    return { zone: c[0].textContent, state: c[1].textContent, serial: c[2].textContent, visible: r.offsetHeight > 0 };
  }));
}

async function waitForZones(page) {
  const deadline = Date.now() + 20000;
  let rows = [];
  while (Date.now() < deadline) {
    rows = await zoneRows(page);
    const all = wanted.every((w) => rows.some((r) => r.zone === w.zone && r.state === w.state
      && (!w.serial || r.serial === w.serial)));
    if (all) return rows;
    await page.waitForTimeout(250);
  }
  return rows;
}

try {
  // Desktop.
  const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForSelector('body[data-loaded="true"]', { timeout: 15000 });
  let rows = await waitForZones(page);
  for (const w of wanted) {
    const r = rows.find((x) => x.zone === w.zone);
    check(r && r.state === w.state && (!w.serial || r.serial === w.serial),
      `desktop: ${w.zone} shows ${w.state}${w.serial ? ' serial ' + w.serial : ''} (got ${JSON.stringify(r)})`);
  }
  // The badge shows the daemon's one readiness verdict (/status "readiness", the rule of /health/services).
  const overall = await page.textContent('#overall');
  const readiness = await page.evaluate(async () => (await (await fetch('status')).json()).readiness);
  const notReady = readiness['not-ready'].length;
  const expected = !readiness['first-round-done'] ? 'starting' : readiness.ready ? 'all services ready'
    : `${notReady} service${notReady === 1 ? '' : 's'} not ready`;
  check(overall === expected, `desktop: overall badge says "${overall}", the verdict is "${expected}"`);
  const conditions = await page.$$eval('#conditions li', (li) => li.map((l) => l.textContent));
  check(conditions.some((c) => c.includes('zone-ready raised')), `desktop: recent conditions list zone-ready (${conditions.length} shown)`);
  const components = await page.$$eval('#components tbody tr td:first-child', (td) => td.map((t) => t.textContent));
  check(components.includes('notify') && components.includes('soa'), `desktop: components ${components.join(', ')}`);
  await page.screenshot({ path: `${outDir}/status-desktop.png`, fullPage: true });

  // Live: the page updates without a reload. The "updated" stamp changes between polls.
  const before = await page.textContent('#live');
  await page.waitForFunction((b) => document.getElementById('live').textContent !== b, before, { timeout: 6000 });
  check(true, 'desktop: the page refreshed itself');
  check(errors.length === 0, `desktop: no script errors (${errors.join('; ')})`);

  // Phone: 390 px wide; every zone is a card, the table header is hidden, nothing scrolls sideways.
  const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  await phone.goto(url, { waitUntil: 'load' });
  await phone.waitForSelector('body[data-loaded="true"]', { timeout: 15000 });
  rows = await waitForZones(phone);
  check(wanted.every((w) => rows.some((r) => r.zone === w.zone && r.state === w.state && r.visible)),
    'phone: every expected zone is shown with its state');
  const headerHidden = await phone.$eval('#zones thead', (h) => getComputedStyle(h).display === 'none');
  check(headerHidden, 'phone: zone table is shown as cards');
  const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(overflow <= 1, `phone: no horizontal scrolling (overflow ${overflow}px)`);
  await phone.screenshot({ path: `${outDir}/status-phone.png`, fullPage: true });
} catch (e) {
  console.error('FAIL ' + (e.stack || e));
  failed = true;
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
