// Debian's headless Chromium for the browser tests, started the way this machine allows.

import { chromium } from 'playwright-core';

// Without the background-networking flags Chromium keeps dialling Google's hosts, which this
// machine's closed network refuses; a test tool's own browser download cannot work here.
export const launchChromium = () => chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
