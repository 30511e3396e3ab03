import { readFileSync } from 'node:fs';
import os from 'node:os';

/** The machine a run measured, as RESULTS.md and latest.json record it. */
export interface MachineDescription {
  cpu: string;
  /** Logical cores that os.cpus() lists. */
  cores: number;
  node: string;
  os: string;
  memory_gib: number;
}

export function describeMachine(): MachineDescription {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
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
