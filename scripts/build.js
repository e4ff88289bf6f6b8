// @ts-check
// Builds dist/ incrementally: what is up to date is neither compiled nor written again, so a build
// next to a running service leaves its files alone. Plain JavaScript because it runs before
// anything is compiled; `tsc --build` through TypeScript's API, because tsc itself rewrites an
// output file whose content has not changed (the importers of a changed file, for instance).
//
//   node scripts/build.js            the service (what `npm start` runs), the pages' type check, every asset
//   node scripts/build.js dev-idp    the dev IdP only: it never rewrites the service's files
//   node scripts/build.js dev-app    the example OpenID Connect app only, likewise
'use strict';
const ts = require('typescript');
const { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } = require('node:fs');
const { dirname, join } = require('node:path');

const ROOT = join(__dirname, '..');
const LOCK = join(ROOT, '.build.lock');
const LOCK_WAIT_MS = 10 * 60_000;
/** A lock still without a pid this long after it was made belongs to a build that died making it. */
const UNNAMED_LOCK_MS = 10_000;

/** TypeScript projects (built with `tsc --build`) and the static folders copied as they are under dist/. */
const TARGETS = {
  service: {
    projects: ['tsconfig.build.json', 'src/admin/tsconfig.pages.json'],
    assets: ['src/admin/public', 'scripts/dev-idp/public'],
  },
  'dev-idp': { projects: ['scripts/dev-idp/tsconfig.json'], assets: ['scripts/dev-idp/public'] },
  'dev-app': { projects: ['scripts/dev-app/tsconfig.json'], assets: [] },
};

async function main() {
  const name = process.argv[2] ?? 'service';
  if (!Object.hasOwn(TARGETS, name)) {
    process.stderr.write(`unknown build target "${name}"; one of: ${Object.keys(TARGETS).join(', ')}\n`);
    process.exit(2);
  }
  const target = TARGETS[/** @type {keyof typeof TARGETS} */ (name)];
  await acquireLock();
  try {
    if (compile(target.projects)) {
      for (const folder of target.assets) syncFolder(join(ROOT, folder), join(ROOT, 'dist', folder));
    } else {
      process.exitCode = 1;
    }
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

/**
 * `tsc --build` of these projects, writing only the outputs whose content changed (and the build
 * info, whose time is what makes the next build see the project as up to date).
 * @param {string[]} projects
 * @returns {boolean} whether it compiled without errors
 */
function compile(projects) {
  const pretty = process.stdout.isTTY === true;
  const host = ts.createSolutionBuilderHost(ts.sys, undefined, ts.createDiagnosticReporter(ts.sys, pretty));
  host.writeFile = (path, data, writeByteOrderMark) => {
    if (!/\.tsbuildinfo/.test(path) && existsSync(path) && readFileSync(path, 'utf8') === data) return;
    ts.sys.writeFile(path, data, writeByteOrderMark);
  };
  const builder = ts.createSolutionBuilder(host, projects.map((project) => join(ROOT, project)), {});
  return builder.build() === ts.ExitStatus.Success;
}

/**
 * One build at a time (`npm start` and `npm run dev:idp` started together, or parallel test
 * workers): the lock is a directory, created atomically, naming its owner's pid; a lock whose
 * owner has died is taken over.
 */
async function acquireLock() {
  const deadline = Date.now() + LOCK_WAIT_MS;
  let told = false;
  for (;;) {
    try {
      mkdirSync(LOCK);
      writeFileSync(join(LOCK, 'pid'), String(process.pid));
      return;
    } catch (error) {
      if (/** @type {NodeJS.ErrnoException} */ (error).code !== 'EEXIST') throw error;
    }
    const owner = lockOwner();
    if (owner === null ? lockAge() > UNNAMED_LOCK_MS : !isRunning(owner)) {
      releaseAbandonedLock();
      continue;
    }
    if (Date.now() > deadline) throw new Error(`${LOCK} is still held by pid ${owner}; remove it if no build is running`);
    if (!told) process.stderr.write(`waiting for the build that pid ${owner ?? '?'} is running\n`);
    told = true;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The pid in the lock; null while its owner has created it but not yet written the pid. */
function lockOwner() {
  try {
    return Number(readFileSync(join(LOCK, 'pid'), 'utf8')) || null;
  } catch {
    return null;
  }
}

function lockAge() {
  try {
    return Date.now() - statSync(LOCK).mtimeMs;
  } catch {
    return 0;
  }
}

/** @param {number} pid */
function isRunning(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return /** @type {NodeJS.ErrnoException} */ (error).code === 'EPERM';
  }
}

/** Renamed away first, so that of two processes finding it abandoned only one removes it. */
function releaseAbandonedLock() {
  const moved = `${LOCK}.abandoned-${process.pid}`;
  try {
    renameSync(LOCK, moved);
  } catch {
    return;
  }
  rmSync(moved, { recursive: true, force: true });
}

/**
 * Makes `target` a copy of `source`, writing only the files whose content differs and removing
 * those that `source` no longer has. (fs.cpSync rewrites every file.)
 * @param {string} source
 * @param {string} target
 */
function syncFolder(source, target) {
  const wanted = new Set(filesUnder(source));
  for (const file of wanted) {
    const content = readFileSync(join(source, file));
    const destination = join(target, file);
    if (existsSync(destination) && readFileSync(destination).equals(content)) continue;
    mkdirSync(dirname(destination), { recursive: true });
    writeFileSync(destination, content);
  }
  for (const file of existsSync(target) ? filesUnder(target) : []) {
    if (!wanted.has(file)) rmSync(join(target, file));
  }
}

/** @param {string} folder @returns {string[]} paths relative to `folder` */
function filesUnder(folder) {
  return readdirSync(folder, { recursive: true, encoding: 'utf8' }).filter((file) => statSync(join(folder, file)).isFile());
}

main().catch((error) => {
  process.stderr.write(`build failed: ${error.message}\n`);
  process.exit(1);
});
