import { ChildProcess, spawn } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/**
 * scripts/build.js on a small project laid out as this one is (the same config paths and asset
 * folders), so that the test can change sources without touching the real dist/.
 */
const FIXTURE: Record<string, string> = {
  'tsconfig.build.json': JSON.stringify({
    compilerOptions: {
      module: 'commonjs',
      target: 'ES2022',
      strict: true,
      removeComments: true,
      outDir: './dist',
      rootDir: '.',
      incremental: true,
      tsBuildInfoFile: './dist/.tsbuildinfo',
      lib: ['ES2022'],
      types: [],
      skipLibCheck: true,
    },
    include: ['src/**/*.ts', 'scripts/**/*.ts'],
  }),
  'src/main.ts': "import { greeting } from './greeting';\nexport const message: string = greeting('world');\n",
  'src/greeting.ts': 'export function greeting(name: string): string {\n  return `hello ${name}`;\n}\n',
  'src/admin/tsconfig.pages.json': JSON.stringify({
    compilerOptions: {
      allowJs: true,
      checkJs: true,
      noEmit: true,
      incremental: true,
      tsBuildInfoFile: '../../dist/.tsbuildinfo-pages',
      lib: ['ES2022'],
      types: [],
      skipLibCheck: true,
    },
    include: ['public/assets/*.js'],
  }),
  'src/admin/public/assets/page.js': '/** @type {number} */\nexport const answer = 42;\n',
  'src/admin/public/style.css': 'body { margin: 0; }\n',
  'scripts/dev-idp.ts': "import { greeting } from '../src/greeting';\nexport const idp: string = greeting('idp');\n",
  'scripts/dev-idp/tsconfig.json': JSON.stringify({
    extends: '../../tsconfig.build.json',
    compilerOptions: { tsBuildInfoFile: '../../dist/.tsbuildinfo-dev-idp' },
    include: ['../dev-idp.ts'],
  }),
  'scripts/dev-idp/public/idp.css': 'form { display: grid; }\n',
};

interface Build {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

describe('the incremental build (scripts/build.js)', () => {
  let project: string;

  beforeEach(() => {
    project = mkdtempSync(join(tmpdir(), 'sso-build-'));
    for (const [file, content] of Object.entries(FIXTURE)) write(file, content);
    mkdirSync(join(project, 'scripts'), { recursive: true });
    copyFileSync(join(ROOT, 'scripts', 'build.js'), join(project, 'scripts', 'build.js'));
    symlinkSync(join(ROOT, 'node_modules'), join(project, 'node_modules'));
  });
  afterEach(() => rmSync(project, { recursive: true, force: true }));

  function write(file: string, content: string): void {
    mkdirSync(dirname(join(project, file)), { recursive: true });
    writeFileSync(join(project, file), content);
  }

  function startBuild(...args: string[]): Build {
    const child = spawn(process.execPath, [join(project, 'scripts', 'build.js'), ...args], {
      cwd: project,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (chunk) => (output += chunk));
    child.stderr!.on('data', (chunk) => (output += chunk));
    return { child, output: () => output, exited: new Promise((resolve) => child.on('exit', (code) => resolve(code))) };
  }

  async function build(...args: string[]): Promise<void> {
    const run = startBuild(...args);
    const code = await run.exited;
    if (code !== 0) throw new Error(`build exited with ${code}:\n${run.output()}`);
  }

  /** Every file under dist/ with its modification time: a file written again gets a new one. */
  function distFiles(): Record<string, number> {
    const dist = join(project, 'dist');
    return Object.fromEntries(
      (readdirSync(dist, { recursive: true, encoding: 'utf8' }) as string[])
        .filter((file) => statSync(join(dist, file)).isFile())
        .map((file) => [file, statSync(join(dist, file)).mtimeMs]),
    );
  }

  const built = (file: string) => readFileSync(join(project, 'dist', file), 'utf8');

  it('builds the service and its assets, and a second build without changes writes nothing into dist', async () => {
    await build();
    expect(built('src/main.js')).toContain("greeting)('world')");
    expect(built('src/admin/public/style.css')).toBe(FIXTURE['src/admin/public/style.css']);
    expect(built('scripts/dev-idp/public/idp.css')).toBe(FIXTURE['scripts/dev-idp/public/idp.css']);
    const before = distFiles();

    await build();
    expect(distFiles()).toEqual(before);
  });

  it('rebuilds a stale dist: a changed source is emitted again, its unchanged importer and assets are not rewritten', async () => {
    await build();
    const before = distFiles();
    write('src/greeting.ts', 'export function greeting(name: string): string {\n  return `hi ${name}`;\n}\n');

    await build();
    const after = distFiles();
    expect(built('src/greeting.js')).toContain('hi ${name}');
    expect(after['src/greeting.js']).not.toBe(before['src/greeting.js']);
    expect(after['src/main.js']).toBe(before['src/main.js']);
    expect(after['src/admin/public/style.css']).toBe(before['src/admin/public/style.css']);
  });

  it('keeps the assets in step: a changed file is copied again, a removed one is removed', async () => {
    await build();
    const before = distFiles();
    write('src/admin/public/style.css', 'body { margin: 1px; }\n');
    rmSync(join(project, 'src/admin/public/assets/page.js'));
    write('src/admin/public/assets/other.js', 'export const other = 1;\n');

    await build();
    const after = distFiles();
    expect(built('src/admin/public/style.css')).toBe('body { margin: 1px; }\n');
    expect(after['src/admin/public/style.css']).not.toBe(before['src/admin/public/style.css']);
    expect(after['src/admin/public/assets/page.js']).toBeUndefined();
    expect(built('src/admin/public/assets/other.js')).toBe('export const other = 1;\n');
    expect(after['scripts/dev-idp/public/idp.css']).toBe(before['scripts/dev-idp/public/idp.css']);
  });

  it("the dev IdP's build, after the service's, writes none of the service's files", async () => {
    await build();
    const before = distFiles();
    await build('dev-idp');
    const after = distFiles();
    for (const [file, mtime] of Object.entries(before)) expect([file, after[file]]).toEqual([file, mtime]);
    expect(Object.keys(after).filter((file) => !(file in before))).toEqual(['.tsbuildinfo-dev-idp']);
  });

  it('fails on a type error and copies no assets', async () => {
    write('src/main.ts', "import { greeting } from './greeting';\nexport const message: number = greeting('world');\n");
    const run = startBuild();
    expect(await run.exited).not.toBe(0);
    expect(run.output()).toContain("Type 'string' is not assignable to type 'number'");
    expect(existsSync(join(project, 'dist/src/admin/public/style.css'))).toBe(false);
  });

  it('waits while another build holds the lock, and takes over a lock whose owner has died', async () => {
    const lock = join(project, '.build.lock');
    mkdirSync(lock);
    writeFileSync(join(lock, 'pid'), String(process.pid));
    const waiting = startBuild();
    const message = `waiting for the build that pid ${process.pid} is running`;
    while (!waiting.output().includes(message) && waiting.child.exitCode === null) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(waiting.output()).toContain(message);
    expect(existsSync(join(project, 'dist'))).toBe(false);
    rmSync(lock, { recursive: true });
    expect(await waiting.exited).toBe(0);
    expect(existsSync(lock)).toBe(false);

    const dead = spawn(process.execPath, ['-e', '']);
    await new Promise((resolve) => dead.on('exit', resolve));
    mkdirSync(lock);
    writeFileSync(join(lock, 'pid'), String(dead.pid));
    write('src/greeting.ts', 'export const greeting = (name: string): string => name;\n');
    await build();
    expect(built('src/greeting.js')).toContain('(name) => name');
  });
});
