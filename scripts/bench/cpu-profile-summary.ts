import { readFileSync } from 'node:fs';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface CpuProfile {
  nodes: { id: number; callFrame: CallFrame; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileEntry {
  name: string;
  selfMs: number;
  /** Of the main thread's busy (non-idle) time. */
  percent: number;
}

export interface ProfileSummary {
  busyMs: number;
  idleMs: number;
  functions: ProfileEntry[];
  areas: ProfileEntry[];
  /** The service's own functions (dist/src) by time spent in them and in what they call. */
  serviceFunctionsInclusive: ProfileEntry[];
}

/**
 * Self time of a V8 .cpuprofile (main JS thread only), by function and by area: the npm package,
 * the service's source directory, the Node.js built-in module, or V8's GC and native code; and
 * the inclusive time of the service's own functions. Inclusive time of an async function covers
 * only its synchronous stretches: a continuation after `await` runs from the microtask queue.
 */
export function summarizeCpuProfile(path: string, limit: number): ProfileSummary {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const parents = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  const byFunction = new Map<string, number>();
  const byArea = new Map<string, number>();
  const byServiceFunction = new Map<string, number>();
  let idleUs = 0;
  let busyUs = 0;
  profile.samples.forEach((nodeId, index) => {
    const frame = frames.get(nodeId);
    const us = profile.timeDeltas[index] ?? 0;
    if (!frame || frame.functionName === '(idle)') {
      idleUs += us;
      return;
    }
    busyUs += us;
    add(byFunction, functionLabel(frame), us);
    add(byArea, areaOf(frame), us);
    const onStack = new Set<string>();
    for (let id: number | undefined = nodeId; id !== undefined; id = parents.get(id)) {
      const caller = frames.get(id);
      if (caller && caller.url.includes('/dist/src/')) onStack.add(functionLabel(caller));
    }
    for (const label of onStack) add(byServiceFunction, label, us);
  });
  const entries = (totals: Map<string, number>) =>
    [...totals]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([name, us]) => ({ name, selfMs: us / 1000, percent: busyUs === 0 ? 0 : (100 * us) / busyUs }));
  return {
    busyMs: busyUs / 1000,
    idleMs: idleUs / 1000,
    functions: entries(byFunction),
    areas: entries(byArea),
    serviceFunctionsInclusive: entries(byServiceFunction),
  };
}

function add(totals: Map<string, number>, key: string, us: number): void {
  totals.set(key, (totals.get(key) ?? 0) + us);
}

function functionLabel(frame: CallFrame): string {
  if (frame.url === '') return frame.functionName;
  return `${frame.functionName || '(anonymous)'} ${shortLocation(frame.url)}:${frame.lineNumber + 1}`;
}

function shortLocation(url: string): string {
  const path = url.replace(/^file:\/\//, '');
  const modules = path.lastIndexOf('/node_modules/');
  if (modules >= 0) return path.slice(modules + '/node_modules/'.length);
  const source = path.indexOf('/dist/');
  return source >= 0 ? path.slice(source + '/dist/'.length) : path;
}

function areaOf(frame: CallFrame): string {
  if (frame.url === '') return `V8 ${frame.functionName}`;
  if (frame.url.startsWith('node:')) {
    const parts = frame.url.slice('node:'.length).split('/');
    return `node:${parts[0] === 'internal' && parts.length > 2 ? parts[1] : parts[parts.length - 1]}`;
  }
  const location = shortLocation(frame.url);
  if (frame.url.includes('/node_modules/')) {
    const parts = location.split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  return location.split('/').slice(0, -1).join('/') || location;
}
