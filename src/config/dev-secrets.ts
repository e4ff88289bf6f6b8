import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Development convenience: a secret generated once and kept in DATA_DIR (mode 0600), so a
 * fresh clone starts with no setup and keeps its data readable across restarts.
 */
export function loadOrCreateDevSecret(
  dataDir: string,
  fileName: string,
  kind: 'token' | 'key',
  onGenerated?: (secret: string) => void,
): string {
  const path = join(dataDir, fileName);
  if (existsSync(path)) return readFileSync(path, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const secret = kind === 'key' ? randomBytes(32).toString('base64') : `pat_${randomBytes(32).toString('base64url')}`;
  writeFileSync(path, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(path, 0o600);
  onGenerated?.(secret);
  return secret;
}
