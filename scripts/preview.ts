/**
 * The production build served by `vite preview` for the browser benchmarks (bench-frames.ts,
 * bench-sweep.ts): one way to start it, wait for it and stop it, and one set of Chromium flags.
 */
import { spawn, type ChildProcess } from 'node:child_process';

/** Debian's Chromium, or $CHROMIUM_PATH; nothing is downloaded. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--no-first-run',
];

async function waitForServer(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`no server at ${url}`);
}

/** Serves dist/ on 127.0.0.1:`port` and resolves once it answers; kill() the process after. */
export async function startPreview(port: number, timeoutMs = 20_000): Promise<ChildProcess> {
  const server = spawn(
    process.execPath,
    [
      'node_modules/vite/bin/vite.js',
      'preview',
      '--port',
      String(port),
      '--strictPort',
      '--host',
      '127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  try {
    await waitForServer(`http://127.0.0.1:${port}`, timeoutMs);
  } catch (error) {
    server.kill();
    throw error;
  }
  return server;
}
