import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { ROOT } from './ingest';

/**
 * Spawning and watching tests/helpers/ingest-child.ts. The child runs under `node --import tsx` so the
 * process the test kills is the ingester itself.
 */
export interface Child {
  proc: ChildProcess;
  /** the "@@ " progress lines seen so far (prefix stripped) */
  lines: string[];
  stderr: () => string;
  /** resolves with the exit code or the signal that ended it */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** resolves when a progress line starting with `prefix` appears (rejects on exit or timeout) */
  waitFor(prefix: string, timeoutMs: number): Promise<string>;
}

export function spawnChild(mode: 'run' | 'leader', env: Record<string, string>): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'tests/helpers/ingest-child.ts'), mode], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'error', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const waiters: { prefix: string; resolve: (l: string) => void }[] = [];
  let err = '';
  let out = ''; // other stdout lines (the ingester's own log), last 4000 characters, for failure messages
  let buf = '';
  proc.stdout!.on('data', (d: Buffer) => {
    buf += d.toString('utf8');
    let i: number;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      if (!line.startsWith('@@ ')) {
        out = (out + line + '\n').slice(-4000);
        continue;
      }
      const l = line.slice(3);
      lines.push(l);
      for (const w of waiters.splice(0)) if (l.startsWith(w.prefix)) w.resolve(l);
      else waiters.push(w);
    }
  });
  proc.stderr!.on('data', (d: Buffer) => (err = (err + d.toString('utf8')).slice(-4000)));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    proc,
    lines,
    stderr: () => err,
    exited,
    waitFor(prefix, timeoutMs) {
      const seen = lines.find((l) => l.startsWith(prefix));
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`child: no "${prefix}" within ${timeoutMs} ms; progress: ${lines.slice(-3).join(' / ')}; stderr: ${err}; log: ${out}`)),
          timeoutMs,
        );
        waiters.push({
          prefix,
          resolve: (l) => {
            clearTimeout(timer);
            resolve(l);
          },
        });
        void exited.then((e) => {
          clearTimeout(timer);
          reject(new Error(`child exited (${e.code ?? e.signal}) before "${prefix}"; stderr: ${err}`));
        });
      });
    },
  };
}

/** SIGKILL a child (if still running) and wait for it to be gone. */
export async function killHard(c: Child): Promise<void> {
  if (c.proc.exitCode === null && c.proc.signalCode === null) c.proc.kill('SIGKILL');
  await c.exited;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
