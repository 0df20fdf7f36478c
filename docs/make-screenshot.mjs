// Renders the sample archive's HTML report and screenshots it with headless Chromium
// (Debian's `chromium`) into docs/report.png, the picture the README shows.
// Run after a build: node docs/make-screenshot.mjs
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const dir = mkdtempSync(path.join(tmpdir(), 'engage-audit-shot-'));
const html = path.join(dir, 'report.html');
execFileSync(process.execPath, ['bin/engage-audit.js', 'fixtures/x-archive/sample-2022.zip', '--format', 'html', '--as-of', '2025-05-31', '-o', html], { stdio: 'inherit', cwd: root });
execFileSync(
  'chromium',
  ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--hide-scrollbars', `--user-data-dir=${path.join(dir, 'profile')}`, '--window-size=1000,1500', `--screenshot=${path.join(root, 'docs/report.png')}`, `file://${html}`],
  { stdio: 'ignore' },
);
rmSync(dir, { recursive: true, force: true });
console.log('wrote docs/report.png');
