import { readFileSync } from 'node:fs';
import os from 'node:os';

/** The machine a run measured, as the markdown and JSON reports record it. */
export interface MachineDescription {
  /** Filesystem-safe name from the CPU model and core count, such as "xeon-platinum-8375c-2c"; see machineId. */
  id: string;
  cpu: string;
  /** Logical cores that os.cpus() lists. */
  cores: number;
  node: string;
  os: string;
  memory_gib: number;
}

/** Words of CPU model names that do not identify the model. */
const FILLER_WORDS = new Set(['intel', 'amd', 'cpu', 'processor', 'with', 'radeon', 'graphics']);

/** Maximum characters of the CPU part of a machine id, so that file names stay short. */
const MAX_CPU_ID_LENGTH = 40;

/**
 * Returns a short id for the machine from its CPU model and logical core
 * count: lower-case words and digits joined by hyphens, without trademark
 * signs, clock speeds, core counts in the model name or vendor names,
 * followed by the core count. "Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz"
 * with 2 cores gives "xeon-platinum-8375c-2c". The same machine always
 * gets the same id, and the id is safe in a file name on every OS.
 */
export function machineId(cpu: string, cores: number): string {
  const words = cpu
    .toLowerCase()
    .replace(/\((r|tm|c)\)|[®™©]/g, ' ')
    .replace(/@?\s*\d+(\.\d+)?\s*[gm]hz/g, ' ')
    .replace(/\b\d+-core\b/g, ' ')
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== '' && !FILLER_WORDS.has(word));

  let name = '';
  for (const word of words) {
    const next = name === '' ? word : `${name}-${word}`;
    if (next.length > MAX_CPU_ID_LENGTH) {
      if (name === '') name = word.slice(0, MAX_CPU_ID_LENGTH);
      break;
    }
    name = next;
  }
  return `${name || 'unknown-cpu'}-${Math.max(0, Math.trunc(cores))}c`;
}

export function describeMachine(): MachineDescription {
  const cpus = os.cpus();
  const cpu = cpus[0]?.model.trim() || 'unknown';
  return {
    id: machineId(cpu, cpus.length),
    cpu,
    cores: cpus.length,
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    memory_gib: Math.round(os.totalmem() / 2 ** 30),
  };
}

/** Returns the 1, 5 and 15 minute load averages, rounded to two decimals. */
export function loadAverage(): [number, number, number] {
  const [one, five, fifteen] = os.loadavg();
  return [one, five, fifteen].map((value) => Math.round(value * 100) / 100) as [number, number, number];
}

/** CPU time counters at one moment, to compare with a later moment. */
export interface CpuSnapshot {
  /** Busy and total ticks of all cores from /proc/stat, or null where it does not exist. */
  ticks: { busy: number; total: number } | null;
  /**
   * User plus system CPU time in microseconds of this process, all its
   * threads included, and of its finished child processes (the isolated
   * GPU backends and their X servers).
   */
  processMicros: number;
  wallMs: number;
}

/** Share of all cores in use between two snapshots, in percent. */
export interface CpuActivity {
  all_percent: number;
  this_process_percent: number;
  /** The rest: other processes, such as builds or tests running beside the benchmark. */
  other_processes_percent: number;
}

function readProcStat(): { busy: number; total: number } | null {
  try {
    // First line: "cpu  user nice system idle iowait irq softirq steal guest guest_nice", in clock ticks.
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1, 9).map(Number);
    const total = fields.reduce((sum, value) => sum + value, 0);
    const idle = fields[3] + fields[4];
    return { busy: total - idle, total };
  } catch {
    return null;
  }
}

/**
 * Returns the CPU time of this process's finished and waited-for child
 * processes in microseconds, from /proc/self/stat; 0 where it does not exist.
 */
function childrenCpuMicros(): number {
  try {
    // Fields 16 and 17 (cutime, cstime) count clock ticks of sysconf(_SC_CLK_TCK), which is 100 per second on x86 and Arm Linux.
    // The command name in field 2 may contain spaces, so fields are counted after its closing parenthesis.
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[13]) + Number(fields[14])) * 10_000;
  } catch {
    return 0;
  }
}

export function takeCpuSnapshot(): CpuSnapshot {
  const usage = process.cpuUsage();
  return { ticks: readProcStat(), processMicros: usage.user + usage.system + childrenCpuMicros(), wallMs: performance.now() };
}

/** Compares two snapshots; returns null where /proc/stat is unavailable (outside Linux). */
export function cpuActivity(start: CpuSnapshot, end: CpuSnapshot): CpuActivity | null {
  if (!start.ticks || !end.ticks || end.ticks.total === start.ticks.total) return null;
  const all = (end.ticks.busy - start.ticks.busy) / (end.ticks.total - start.ticks.total);
  const capacityMicros = (end.wallMs - start.wallMs) * 1000 * os.cpus().length;
  const ours = Math.min(all, (end.processMicros - start.processMicros) / capacityMicros);
  const percent = (value: number) => Math.round(value * 100);
  return { all_percent: percent(all), this_process_percent: percent(ours), other_processes_percent: percent(Math.max(0, all - ours)) };
}
