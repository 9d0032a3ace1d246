/** Shared set-up of the end-to-end tests: the production build served by `vite preview`, and the system Chromium. */
import { existsSync, mkdirSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { preview, type PreviewServer } from 'vite';
import { afterAll, beforeAll } from 'vitest';
import { findChromium } from '../../scripts/ensure-chromium.mjs';

export function chromiumPath(): string {
  const path = findChromium();
  if (!path) throw new Error('No Chromium found: run `node scripts/ensure-chromium.mjs` (npm test does) or set CHROMIUM_PATH');
  return path;
}

/** Flags from platform-notes §2: no network chatter, a software WebGPU adapter for correctness checks. */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', '--enable-unsafe-webgpu'],
  });
}

/** Serves `dist/` (or `MODE_LAB_DIST`, so that two builds can be tested side by side). */
export async function startPreview(): Promise<{ server: PreviewServer; url: string }> {
  const outDir = process.env.MODE_LAB_DIST ?? 'dist';
  if (!existsSync(`${outDir}/index.html`)) throw new Error(`no production build in ${outDir}/: run \`vite build\` first (npm test does)`);
  const server = await preview({ build: { outDir }, preview: { port: 0, host: '127.0.0.1', strictPort: false }, logLevel: 'error' });
  const address = server.httpServer.address();
  if (!address || typeof address === 'string') throw new Error('vite preview did not report a port');
  return { server, url: `http://127.0.0.1:${address.port}/` };
}

/**
 * The usual set-up of a browser test file: before its tests, serve the production build and launch Chromium
 * (handed to `ready`); after them, close both. Screenshots go to `test-artifacts/`.
 */
export function usePreviewAndBrowser(ready: (browser: Browser, url: string) => void): void {
  let browser: Browser | undefined;
  let server: PreviewServer | undefined;
  beforeAll(async () => {
    const preview = await startPreview();
    server = preview.server;
    browser = await launchBrowser();
    mkdirSync('test-artifacts', { recursive: true });
    ready(browser, preview.url);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
}
