/** Small helpers shared by the command-line tools. */
import { loadConfig } from '../lib/config';
import { withToolDb, type ToolDb } from '../lib/db/tooling';

export function flag(args: string[], name: string): boolean {
  return args.includes(`--${name}`);
}

export function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  if (i >= 0) return args[i + 1];
  const eq = args.find((a) => a.startsWith(`--${name}=`));
  return eq?.slice(name.length + 3);
}

/** Run a tool against the configured database; print a clean error (no stack, no secrets) and exit. */
export async function runTool(name: string, fn: (db: ToolDb) => Promise<number>): Promise<never> {
  let code = 1;
  try {
    const config = loadConfig();
    code = await withToolDb(config.dataDir, name, fn);
  } catch (err) {
    console.error(`${name}: ${err instanceof Error ? err.message : String(err)}`);
    code = code || 1;
  }
  // the schema engine and PGlite keep timers alive; a tool ends when its work is done
  process.exit(code);
}
