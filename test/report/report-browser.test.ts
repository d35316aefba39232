// report.html in a real browser: Debian's Chromium, headless, driven by playwright-core, opens the page from
// a file:// URL. The page must load without a console error or a request anywhere but the file itself, show
// every plot as an <svg> of non-zero size, and give a screenshot (a non-empty PNG, kept in a temp folder
// when MIGNET_KEEP_SCREENSHOT=1, to look at). Without /usr/bin/chromium the test is skipped, saying so.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { runScenario } from '../../src/engine/run-scenario.js';
import { coreLinkIds } from '../../src/report/core-links.js';
import { renderHtmlReport } from '../../src/report/html-report.js';
import { reportPlots } from '../../src/report/plots.js';
import { oddScenario } from './helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
if (!HAVE_CHROMIUM) {
  console.warn(`report-browser.test.ts: skipped: no ${CHROMIUM} (apt-get install chromium; .ci/run installs it)`);
}
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

let dir = '';

afterAll(() => {
  if (dir === '') return;
  if (process.env.MIGNET_KEEP_SCREENSHOT === '1') console.log(`report-browser.test.ts: report and screenshot kept in ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
});

describe('report.html in headless Chromium', () => {
  it.skipIf(!HAVE_CHROMIUM)(`loads from file:// without errors and shows every plot (needs ${CHROMIUM})`, async () => {
    dir = mkdtempSync(join(tmpdir(), 'mignet-browser-'));
    const scenario = oddScenario();
    const results = runScenario(scenario);
    const page = join(dir, 'report.html');
    writeFileSync(page, await renderHtmlReport(scenario, results));
    const plots = reportPlots(results, coreLinkIds(scenario)).filter((p) => p.kind === 'plot');
    const url = pathToFileURL(page).href;

    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    try {
      const tab = await browser.newPage({ viewport: { width: 1100, height: 900 } });
      const problems: string[] = [];
      tab.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
      });
      tab.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      tab.on('requestfailed', (request) => problems.push(`request failed: ${request.url()}`));
      tab.on('request', (request) => {
        if (request.url() !== url && !request.url().startsWith('data:')) problems.push(`request: ${request.url()}`);
      });
      await tab.goto(url, { waitUntil: 'load' });

      const sizes = await tab.$$eval('section.plot figure > svg', (svgs) =>
        svgs.map((svg) => {
          const box = svg.getBoundingClientRect();
          return { id: svg.closest('section')?.id ?? '', width: box.width, height: box.height, marks: svg.querySelectorAll('path, rect, line').length };
        }),
      );
      expect(sizes.map((s) => s.id)).toEqual(plots.map((p) => p.id));
      for (const size of sizes) {
        expect(size.width, size.id).toBeGreaterThan(100);
        expect(size.height, size.id).toBeGreaterThan(50);
        expect(size.marks, size.id).toBeGreaterThan(0);
      }
      expect(await tab.title()).toContain('mignet report');

      const screenshot = join(dir, 'report.png');
      await tab.screenshot({ path: screenshot, fullPage: true });
      expect(statSync(screenshot).size).toBeGreaterThan(10_000);
      expect(readFileSync(screenshot).subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 120_000);
});
