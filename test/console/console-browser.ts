import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { waitFor } from '@lifecycle/testing';

/**
 * Debian's Chromium (`apt-get install chromium`, done by scripts/console-browser.sh), driven by
 * playwright-core: nothing is downloaded. The flags keep it off the network (this machine's is
 * closed) and let it run as root in a container.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_FLAGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-extensions',
];

export const VIEWPORTS = {
  desktop: { width: 1280, height: 800 },
  phone: { width: 390, height: 844 },
} as const;
export type ViewportName = keyof typeof VIEWPORTS;

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_FLAGS, headless: true });
}

/** A fresh browser context (its own sessionStorage) at one of the two widths the console is made for. */
export async function openContext(browser: Browser, viewport: ViewportName): Promise<BrowserContext> {
  return browser.newContext({ viewport: VIEWPORTS[viewport], reducedMotion: 'reduce', locale: 'en-GB', timezoneId: 'UTC' });
}

/** Signs in on the console's sign-in screen with an API key and waits for the shell. */
export async function signIn(page: Page, consoleUrl: string, key: string): Promise<void> {
  await page.goto(consoleUrl);
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('role').waitFor();
}

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/**
 * axe-core's WCAG 2.1 A/AA rules on the page as it is now; returns the violations (the caller
 * expects none). axe is evaluated through the DevTools protocol: the console's Content-Security-Policy
 * forbids inline scripts, so a <script> tag could not load it.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(AXE_SOURCE);
  // A string runs in the page: this file is compiled for Node, without the DOM's types.
  const violations = await page.evaluate<AxeViolation[]>(`
    axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }).then((result) =>
      result.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
      })),
    )`);
  return violations;
}

/** Pixels the page is wider than the window (0 when nothing needs sideways scrolling). */
export function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
}

/**
 * Waits until no loader spins on the page (queries answered). Polled from here: `waitForFunction`
 * with a string would `eval` in the page, which the console's CSP refuses.
 */
export async function settled(page: Page, timeout: number): Promise<void> {
  await waitFor(
    'the page to finish loading',
    async () => (await page.evaluate<number>("document.querySelectorAll('.mantine-Loader-root').length")) === 0,
    timeout,
    100,
  );
}

export function describeViolations(violations: AxeViolation[]): string {
  return violations
    .map((v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `  ${n.target.join(' ')}: ${n.failureSummary ?? ''}`).join('\n')}`)
    .join('\n');
}

export const SCREENSHOT_DIR = join(__dirname, '..', '..', 'docs', 'screenshots');
