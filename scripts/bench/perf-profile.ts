import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';

const START_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 60_000;

/**
 * Linux `perf record` of one process: on-CPU samples of all its threads, kernel included. Unlike
 * V8's profiler, which samples the main thread on a wall clock (time spent descheduled on a busy
 * machine lands on whatever call was running), every sample here is CPU the process really used.
 */
export class PerfRecording {
  private readonly exited: Promise<void>;

  private constructor(
    private readonly perf: ChildProcess,
    readonly dataPath: string,
  ) {
    this.exited = new Promise((resolveExit) => perf.once('exit', () => resolveExit()));
  }

  static async start(pid: number, dataPath: string, frequencyHz: number): Promise<PerfRecording> {
    const perf = spawn('perf', ['record', '-e', 'cpu-clock', '-F', String(frequencyHz), '-g', '-p', String(pid), '-o', dataPath, '--quiet'], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const failed = new Promise<never>((_, reject) => perf.once('error', reject));
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (!existsSync(dataPath)) {
      if (Date.now() > deadline || perf.exitCode !== null) throw new Error('perf record did not start (is linux-perf installed?)');
      await Promise.race([failed, new Promise((resolveDelay) => setTimeout(resolveDelay, 50))]);
    }
    return new PerfRecording(perf, dataPath);
  }

  async stop(): Promise<void> {
    this.perf.kill('SIGINT');
    const timer = setTimeout(() => this.perf.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await this.exited;
    clearTimeout(timer);
  }
}

export interface PerfEntry {
  name: string;
  samples: number;
  percent: number;
}

export interface PerfSummary {
  samples: number;
  threads: PerfEntry[];
  /** Where the sampled instruction was: kernel, GC, compiler, JIT code, builtins, native, libc. */
  kinds: PerfEntry[];
  /** Native and kernel time charged to the nearest JavaScript caller, grouped by package or directory. */
  areas: PerfEntry[];
  /** The same, by JavaScript function. */
  functions: PerfEntry[];
  /** The service's own functions (dist/src) by samples with them anywhere on the stack. */
  serviceFunctionsInclusive: PerfEntry[];
}

interface Frame {
  symbol: string;
  dso: string;
}

const GC_FRAME = /v8::internal::(?:Heap\b|heap::|\w*Scaveng|\w*Mark(?:ing|Compact|Sweep)|\w*Sweeper|\w*MarkingVisitor)/;
const COMPILER_FRAME = /v8::internal::(?:compiler::|Compiler::|baseline::|maglev::|OptimizingCompileDispatcher|\w*CompileTask|Parser|PreParser|interpreter::Bytecode)/;

/**
 * Call-chain samples (frame pointers, which V8's JIT code and the node binary keep) summarized
 * three ways: by thread, by the kind of code each sample was in, and charged to the nearest
 * JavaScript function on the stack, so that OpenSSL, the kernel and V8 builtins count against
 * the code that called them. GC and compilation count apart: no one caller causes them.
 * JavaScript frames are named through the /tmp/perf-<pid>.map that `node --perf-basic-prof` writes,
 * which is removed afterwards.
 */
export function summarizePerf(dataPath: string, pid: number, limit: number): PerfSummary {
  const mapPath = `/tmp/perf-${pid}.map`;
  const jitSymbols = new JitSymbols(readFileSync(mapPath, 'utf8'));
  rmSync(mapPath);
  const script = execFileSync('perf', ['script', '-i', dataPath, '-F', 'tid,ip,sym,dso'], {
    encoding: 'utf8',
    maxBuffer: 1024 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const threads = new Map<string, number>();
  const kinds = new Map<string, number>();
  const areas = new Map<string, number>();
  const functions = new Map<string, number>();
  const serviceFunctions = new Map<string, number>();
  let total = 0;
  const samples = script.split(/\n\s*\n/).flatMap((block) => {
    const [header, ...lines] = block.split('\n');
    const tid = Number(header?.trim());
    const frames = lines.map((line) => parseFrame(line, jitSymbols)).filter((frame): frame is Frame => frame !== null);
    return Number.isInteger(tid) && frames.length > 0 ? [{ tid, frames }] : [];
  });
  // Worker threads are all named "node"; a validation thread is one that ever ran the validation.
  const validationThreads = new Set(
    samples.filter(({ frames }) => frames.some((frame) => frame.symbol.includes(VALIDATION_WORKER_FRAME))).map(({ tid }) => tid),
  );
  for (const { tid, frames } of samples) {
    total += 1;
    add(threads, threadKind(tid, pid, validationThreads), 1);
    add(kinds, kindOf(frames[0]), 1);
    const charged = chargedTo(frames);
    add(areas, charged.area, 1);
    add(functions, charged.name, 1);
    const ownOnStack = new Set(frames.filter((frame) => frame.symbol.includes('/dist/src/')).map((frame) => javaScriptName(frame.symbol)));
    for (const name of ownOnStack) add(serviceFunctions, name, 1);
  }
  const entries = (totals: Map<string, number>) =>
    [...totals]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([name, samples]) => ({ name, samples, percent: total === 0 ? 0 : (100 * samples) / total }));
  return {
    samples: total,
    threads: entries(threads),
    kinds: entries(kinds),
    areas: entries(areas),
    functions: entries(functions),
    serviceFunctionsInclusive: entries(serviceFunctions),
  };
}

const VALIDATION_WORKER_FRAME = '/dist/src/saml/login/login-validation.worker.js';

function threadKind(tid: number, pid: number, validationThreads: Set<number>): string {
  if (tid === pid) return 'main thread';
  if (validationThreads.has(tid)) return 'SAML validation threads';
  return 'other threads (V8 concurrent GC and compilers, libuv pool, profiler)';
}

function parseFrame(line: string, jitSymbols: JitSymbols): Frame | null {
  const match = /^\s*([0-9a-f]+) (.*) \((.*)\)$/.exec(line);
  if (!match) return null;
  const [, address, symbol, dso] = match;
  if (dso.endsWith('.map') || dso.startsWith('[JIT]')) {
    return { symbol: jitSymbols.at(parseInt(address, 16)) ?? symbol, dso };
  }
  return { symbol, dso };
}

/**
 * The perf map lists every piece of code V8 generated, oldest first, and V8 reuses the addresses
 * of code it freed. perf resolves an address to whichever entry it meets first, often a long-gone
 * start-up function; the newest entry covering the address is the code that was running.
 */
class JitSymbols {
  private readonly entries: { start: number; end: number; name: string; order: number }[] = [];
  private readonly longest: number = 0;
  private readonly resolved = new Map<number, string | null>();

  constructor(map: string) {
    for (const line of map.split('\n')) {
      const [start, size, ...name] = line.split(' ');
      if (name.length === 0) continue;
      const entry = { start: parseInt(start, 16), end: parseInt(start, 16) + parseInt(size, 16), name: name.join(' '), order: this.entries.length };
      this.entries.push(entry);
      this.longest = Math.max(this.longest, entry.end - entry.start);
    }
    this.entries.sort((a, b) => a.start - b.start || a.order - b.order);
  }

  at(address: number): string | null {
    if (this.resolved.has(address)) return this.resolved.get(address) ?? null;
    let low = 0;
    let high = this.entries.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      if (this.entries[middle].start <= address) low = middle + 1;
      else high = middle - 1;
    }
    let newest: { name: string; order: number } | null = null;
    for (let index = high; index >= 0 && this.entries[index].start > address - this.longest; index--) {
      const entry = this.entries[index];
      if (entry.end > address && (newest === null || entry.order > newest.order)) newest = entry;
    }
    this.resolved.set(address, newest?.name ?? null);
    return newest?.name ?? null;
  }
}

function kindOf(leaf: Frame): string {
  if (leaf.dso === '[kernel.kallsyms]') return 'kernel (syscalls: sockets, log file writes, page faults)';
  if (GC_FRAME.test(leaf.symbol)) return 'V8 garbage collector';
  if (COMPILER_FRAME.test(leaf.symbol)) return 'V8 compilers';
  if (leaf.symbol.startsWith('JS:')) return 'JavaScript, JIT-compiled';
  if (leaf.symbol.startsWith('Builtins_')) return 'V8 builtins (interpreter, inline caches, Promise, RegExp)';
  if (leaf.dso.endsWith('.map') || leaf.dso.startsWith('[JIT]')) return 'V8 generated code (regular expressions, stubs)';
  if (leaf.dso.includes('libc.so')) return 'libc (malloc, memcpy)';
  if (leaf.dso.endsWith('/node') || leaf.dso === 'node') return 'node binary (V8 runtime, OpenSSL, libuv, llhttp)';
  return leaf.dso;
}

function chargedTo(frames: Frame[]): { area: string; name: string } {
  if (frames.some((frame) => GC_FRAME.test(frame.symbol))) return { area: 'V8 garbage collector', name: 'V8 garbage collector' };
  const caller = frames.find((frame) => frame.symbol.startsWith('JS:'));
  if (frames.some((frame) => COMPILER_FRAME.test(frame.symbol)) && caller === undefined) {
    return { area: 'V8 compilers (background)', name: 'V8 compilers (background)' };
  }
  if (caller === undefined) return { area: 'no JavaScript on the stack (event loop, threads)', name: `${frames[0].symbol} (no JavaScript caller)` };
  return { area: areaOf(caller.symbol), name: javaScriptName(caller.symbol) };
}

// "JS:*parse /…/node_modules/@xmldom/xmldom/lib/sax.js:49:15" → "parse @xmldom/xmldom/lib/sax.js:49:15"
function javaScriptName(symbol: string): string {
  const name = symbol.replace(/^JS:[*~^+-]?/, '').replace(/file:\/\//, '').replace(/\S*\/node_modules\//, '').replace(/\S*\/dist\//, '');
  return name.trim() || '(anonymous)';
}

function add(totals: Map<string, number>, key: string, samples: number): void {
  totals.set(key, (totals.get(key) ?? 0) + samples);
}

function areaOf(symbol: string): string {
  const modules = symbol.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const [scopeOrName, name] = symbol.slice(modules + '/node_modules/'.length).split('/');
    return scopeOrName.startsWith('@') ? `${scopeOrName}/${name}` : scopeOrName;
  }
  const source = /\/dist\/(src\/[^:]*)\/[^/:]+\.js/.exec(symbol);
  if (source) return source[1];
  const builtin = /\bnode:(?:internal\/)?([a-z_]+)/.exec(symbol);
  if (builtin) return `node:${builtin[1]}`;
  if (symbol.startsWith('JS:')) return 'JavaScript without a source location (builtins in JS)';
  return symbol;
}
