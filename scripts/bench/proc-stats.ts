import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** Kernel clock ticks per second, the unit of utime and stime in /proc/<pid>/stat. */
export function clockTicksPerSecond(): number {
  try {
    const ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    if (Number.isInteger(ticks) && ticks > 0) return ticks;
  } catch {
    // getconf missing: Linux has used 100 on every mainstream architecture for decades.
  }
  return 100;
}

export interface CpuTimes {
  userMs: number;
  systemMs: number;
}

/** User and system CPU of every thread of the process so far. */
export function processCpuTimes(pid: number, ticksPerSecond: number): CpuTimes {
  return cpuTimesOfStat(readFileSync(`/proc/${pid}/stat`, 'utf8'), ticksPerSecond);
}

/** CPU time every core of the machine spent on anything but idling so far, in milliseconds. */
export function machineBusyCpuMs(ticksPerSecond: number): number {
  const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0].trim().split(/\s+/);
  // user nice system idle iowait irq softirq steal (guest time is already inside user and nice)
  const [user, nice, system, , , irq, softirq, steal] = fields.map(Number);
  return ((user + nice + system + irq + softirq + steal) * 1000) / ticksPerSecond;
}

/**
 * CPU so far of every process named `postgres` on this machine (the server and its backends), in
 * milliseconds. A backend that exits between two readings takes its share with it.
 */
export function postgresCpuMs(ticksPerSecond: number): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited since the directory was listed
    }
    if (stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) === 'postgres') {
      const times = cpuTimesOfStat(stat, ticksPerSecond);
      total += times.userMs + times.systemMs;
    }
  }
  return total;
}

function cpuTimesOfStat(stat: string, ticksPerSecond: number): CpuTimes {
  // The command name (field 2) may hold spaces and parentheses: count fields after its last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { userMs: (Number(fields[11]) * 1000) / ticksPerSecond, systemMs: (Number(fields[12]) * 1000) / ticksPerSecond };
}

/** A memory figure of /proc/<pid>/status (VmRSS now, VmHWM the peak so far), in MiB. */
export function processMemoryMiB(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status);
  if (!match) throw new Error(`/proc/${pid}/status has no ${field}`);
  return Number(match[1]) / 1024;
}
