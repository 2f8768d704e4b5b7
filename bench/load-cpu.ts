/**
 * CPU accounting for the load proof (bench/load.ts): CPU-seconds used by the server process (and any children),
 * by the PostgreSQL backends serving the load database, by this bench process (autocannon) and by the whole
 * machine, between two snapshots. CPU time is more robust than wall time on a shared machine: divided by the
 * requests answered it says what one request costs, whatever else was running.
 * Linux only (/proc); elsewhere every figure is NaN.
 */
import fs from 'node:fs';
import type pg from 'pg';

const TICK_MS = 10; // USER_HZ is 100 on Linux

/** utime + stime of one process (all its threads), in ms; null when it is gone. */
function procCpuMs(pid: number): number | null {
  try {
    const s = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    // fields after "(comm)": state is f[0], utime f[11], stime f[12]
    return (Number(f[11]) + Number(f[12])) * TICK_MS;
  } catch {
    return null;
  }
}

/** The pid and all its descendants. */
function tree(root: number): number[] {
  let parents: Map<number, number[]>;
  try {
    parents = new Map();
    for (const d of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(d)) continue;
      try {
        const s = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
        const ppid = Number(s.slice(s.lastIndexOf(')') + 2).split(' ')[1]);
        parents.set(ppid, [...(parents.get(ppid) ?? []), Number(d)]);
      } catch {
        /* gone */
      }
    }
  } catch {
    return [root];
  }
  const out: number[] = [];
  const walk = (p: number) => {
    out.push(p);
    for (const c of parents.get(p) ?? []) walk(c);
  };
  walk(root);
  return out;
}

function machineMs(): { busy: number; total: number } {
  try {
    const f = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const total = f.reduce((a, b) => a + b, 0);
    const idle = f[3]! + (f[4] ?? 0);
    return { busy: (total - idle) * TICK_MS, total: total * TICK_MS };
  } catch {
    return { busy: NaN, total: NaN };
  }
}

export interface CpuSnapshot {
  at: number;
  server: Map<number, number>;
  postgres: Map<number, number>;
  bench: number;
  machine: { busy: number; total: number };
}

export async function cpuSnapshot(serverPid: number, sql: pg.Pool, dbName: string): Promise<CpuSnapshot> {
  const pids = (await sql.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE datname = $1`, [dbName])).rows.map((r) => r.pid);
  const read = (list: number[]) => new Map(list.flatMap((p) => ((ms) => (ms === null ? [] : [[p, ms] as [number, number]]))(procCpuMs(p))));
  const u = process.cpuUsage();
  return { at: performance.now(), server: read(tree(serverPid)), postgres: read(pids), bench: (u.user + u.system) / 1000, machine: machineMs() };
}

export interface CpuUse {
  seconds: number;
  /** CPU-seconds per wall second (1 = one core busy) */
  serverCores: number;
  postgresCores: number;
  benchCores: number;
  machineCores: number;
  /** the machine's busy share of all cores, 0..1 */
  machineBusy: number;
}

/** CPU used between two snapshots; a process present only in the second counts from zero. */
export function cpuBetween(a: CpuSnapshot, b: CpuSnapshot): CpuUse {
  const diff = (x: Map<number, number>, y: Map<number, number>) => [...y].reduce((s, [pid, ms]) => s + ms - (x.get(pid) ?? 0), 0);
  const seconds = (b.at - a.at) / 1000;
  const busy = b.machine.busy - a.machine.busy;
  const total = b.machine.total - a.machine.total;
  return {
    seconds,
    serverCores: +(diff(a.server, b.server) / 1000 / seconds).toFixed(3),
    postgresCores: +(diff(a.postgres, b.postgres) / 1000 / seconds).toFixed(3),
    benchCores: +((b.bench - a.bench) / 1000 / seconds).toFixed(3),
    machineCores: +(busy / 1000 / seconds).toFixed(3),
    machineBusy: +(busy / total).toFixed(3),
  };
}
