import { freeLoopbackPort } from '../../scripts/service-launcher';
import type { CreateAppOptions } from '../../src/bootstrap';
import { startTestApp, TestApp } from './test-app';

const LOOPBACK = '127.0.0.1';

export interface ListeningApp extends TestApp {
  /** Where a browser reaches the app; also its PUBLIC_BASE_URL, so every SP URL points here. */
  baseUrl: string;
}

/** The whole app (as startTestApp builds it) listening on a loopback port, for a real browser. */
export async function startListeningApp(env: Record<string, string> = {}, options: CreateAppOptions = {}): Promise<ListeningApp> {
  const port = await freeLoopbackPort();
  const baseUrl = `http://${LOOPBACK}:${port}`;
  const testApp = await startTestApp({ PUBLIC_BASE_URL: baseUrl, ...env }, options);
  await testApp.app.listen(port, LOOPBACK);
  return Object.assign(testApp, { baseUrl });
}
