import { cpSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Static files that tsc does not emit but the built code serves, copied to the same place under dist/. */
const ASSET_FOLDERS = ['src/admin/public', 'scripts/dev-idp/public'];

// This file runs as dist/scripts/copy-assets.js.
const projectRoot = resolve(__dirname, '..', '..');

for (const folder of ASSET_FOLDERS) {
  const target = join(projectRoot, 'dist', folder);
  rmSync(target, { recursive: true, force: true });
  cpSync(join(projectRoot, folder), target, { recursive: true });
}
