// DIR/report.html of `mignet sweep --out DIR` (src/report/sweep-report.ts): the Pareto front worked by hand,
// the plots' data checked against the rows, and the page in headless Chromium as the run report's browser
// test does (skipped, saying so, without /usr/bin/chromium); MIGNET_KEEP_SCREENSHOT=1 keeps the screenshot.
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { paretoFront, renderSweepReport, type SweepReportInput } from '../../src/report/sweep-report.js';

const CHROMIUM = '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
if (!HAVE_CHROMIUM) console.warn(`sweep-report.test.ts: browser check skipped: no ${CHROMIUM} (apt-get install chromium; .ci/run installs it)`);

/** A 2 × 3 sweep: policy × maxConcurrent, with made-up figures chosen so the front is known. */
function input(): SweepReportInput {
  const figures = (time: number, downtime: number): Record<string, number> => ({
    totalMigrationTime: time, maxDowntime: downtime, downtimeP95: downtime / 2, overLimit: downtime > 0.3 ? 1 : 0, bytes_wire: 1e9 * time,
  });
  return {
    file: 'study.yaml',
    keys: ['schedule.maxConcurrent', 'schedule.policy'],
    values: [['1', '2', '4'], ['bounded', 'largest-first']],
    rows: [
      { texts: ['1', 'bounded'], values: figures(300, 0.1) },
      { texts: ['1', 'largest-first'], values: figures(310, 0.12) },
      { texts: ['2', 'bounded'], values: figures(160, 0.2) },
      { texts: ['2', 'largest-first'], values: figures(150, 0.25) },
      { texts: ['4', 'bounded'], values: figures(90, 0.6) },
      { texts: ['4', 'largest-first'] },
    ],
  };
}

let dir = '';
afterAll(() => {
  if (dir === '') return;
  if (process.env.MIGNET_KEEP_SCREENSHOT === '1') console.log(`sweep-report.test.ts: report and screenshot kept in ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
});

describe('the sweep report', () => {
  it('the Pareto front: the runs no other run beats on both time and downtime', () => {
    // (300, 0.1) fastest with the lowest downtime of all? No: it is the only one at 0.1, so it is on the
    // front; (310, 0.12) is beaten by it on both; (160, 0.2) and (150, 0.25) trade time for downtime, both on
    // it; (90, 0.6) is the fastest: on it. Front by time: 90, 150, 160, 300.
    const points = input().rows.flatMap((row) => (row.values === undefined ? [] : [{ time: row.values.totalMigrationTime!, downtime: row.values.maxDowntime! }]));
    expect(paretoFront(points).map((p) => p.time)).toEqual([90, 150, 160, 300]);
    expect(paretoFront([{ time: 1, downtime: 1 }, { time: 1, downtime: 1 }])).toHaveLength(1);
  });

  it('one line per combination of the other keys, the front listed, rows that did not run counted', async () => {
    const html = await renderSweepReport(input());
    expect(html).toContain('6 rows varying schedule.maxConcurrent, schedule.policy. 1 did not run');
    expect(html).toMatch(/Total migration time against schedule\.maxConcurrent/);
    expect(html).toContain('schedule.policy=bounded');
    expect(html).toContain('schedule.policy=largest-first');
    const front = html.slice(html.indexOf('<h2>The Pareto front</h2>'));
    expect([...front.matchAll(/<tr><td>([^<]+)<\/td>/g)].map((m) => m[1])).toEqual([
      'schedule.maxConcurrent=4, schedule.policy=bounded',
      'schedule.maxConcurrent=2, schedule.policy=largest-first',
      'schedule.maxConcurrent=2, schedule.policy=bounded',
      'schedule.maxConcurrent=1, schedule.policy=bounded',
    ]);
    expect(html).not.toMatch(/<script/i);
  });

  it.skipIf(!HAVE_CHROMIUM)(`loads in headless Chromium without errors, every plot drawn (needs ${CHROMIUM})`, async () => {
    dir = mkdtempSync(join(tmpdir(), 'mignet-sweep-report-'));
    const page = join(dir, 'report.html');
    writeFileSync(page, await renderSweepReport(input()));
    const url = pathToFileURL(page).href;
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] });
    try {
      const tab = await browser.newPage({ viewport: { width: 1100, height: 900 } });
      const problems: string[] = [];
      tab.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
      });
      tab.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      tab.on('request', (request) => {
        if (request.url() !== url && !request.url().startsWith('data:')) problems.push(`request: ${request.url()}`);
      });
      await tab.goto(url, { waitUntil: 'load' });
      const sizes = await tab.$$eval('section.plot figure > svg', (svgs) =>
        svgs.map((svg) => ({ id: svg.closest('section')?.id ?? '', width: svg.getBoundingClientRect().width, marks: svg.querySelectorAll('path').length })),
      );
      expect(sizes.map((s) => s.id)).toEqual(['sweep-totalMigrationTime', 'sweep-maxDowntime', 'sweep-downtimeP95', 'sweep-overLimit', 'sweep-bytes_wire', 'sweep-pareto']);
      for (const size of sizes) {
        expect(size.width, size.id).toBeGreaterThan(100);
        expect(size.marks, size.id).toBeGreaterThan(2);
      }
      const screenshot = join(dir, 'report.png');
      await tab.screenshot({ path: screenshot, fullPage: true });
      expect(statSync(screenshot).size).toBeGreaterThan(10_000);
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 120_000);
});
