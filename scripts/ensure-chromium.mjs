#!/usr/bin/env node
/**
 * Finds a Chromium for the browser tests, or installs Debian's `chromium` when it can (root + apt-get).
 * Prints the path it found; exits 1 with exactly what to install when it cannot.
 * Used by `npm test`; tests read the path from CHROMIUM_PATH or the same search (tests/e2e/browser.ts).
 */
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

export function findChromium() {
  if (process.env.CHROMIUM_PATH) return existsSync(process.env.CHROMIUM_PATH) ? process.env.CHROMIUM_PATH : null;
  return CANDIDATES.find((p) => existsSync(p)) ?? null;
}

function canInstallWithApt() {
  try {
    execSync('command -v apt-get', { stdio: 'ignore' });
    return typeof process.getuid === 'function' && process.getuid() === 0;
  } catch {
    return false;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  let found = findChromium();
  if (!found && process.env.CHROMIUM_PATH) {
    console.error(`CHROMIUM_PATH=${process.env.CHROMIUM_PATH} does not exist.`);
    process.exit(1);
  }
  if (!found && canInstallWithApt()) {
    console.log('No Chromium found: installing Debian\'s chromium package (apt-get install -y chromium)…');
    execSync('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium', { stdio: 'inherit' });
    found = findChromium();
  }
  if (!found) {
    console.error(
      'No Chromium found for the browser tests. Install Debian\'s package as root:\n' +
        '    apt-get update && apt-get install -y chromium\n' +
        'or point CHROMIUM_PATH at a Chromium or Chrome binary, then run npm test again.',
    );
    process.exit(1);
  }
  console.log(`Chromium for browser tests: ${found}`);
}
