import { createServer } from 'node:net';
import { startTestApp, TestApp } from './test-app';

const LOOPBACK = '127.0.0.1';

export interface ListeningApp extends TestApp {
  /** Where a browser reaches the app; also its PUBLIC_BASE_URL, so every SP URL points here. */
  baseUrl: string;
}

/** The whole app (as startTestApp builds it) listening on a loopback port, for a real browser. */
export async function startListeningApp(env: Record<string, string> = {}): Promise<ListeningApp> {
  const port = await freePort();
  const baseUrl = `http://${LOOPBACK}:${port}`;
  const testApp = await startTestApp({ PUBLIC_BASE_URL: baseUrl, ...env });
  await testApp.app.listen(port, LOOPBACK);
  return Object.assign(testApp, { baseUrl });
}

/**
 * A port the system just handed out and released. The configuration (PUBLIC_BASE_URL) has to name
 * the port before the app is built, so the app cannot simply listen on port 0.
 */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, LOOPBACK, () => {
      const address = probe.address();
      probe.close(() => (address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
