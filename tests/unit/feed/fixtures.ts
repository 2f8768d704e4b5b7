import fs from 'node:fs';
import path from 'node:path';

/** The shared real-data samples (read-only; see /work/shared/realdata/README.md for provenance). */
export const REALDATA = process.env.MASKPATROL_REALDATA_DIR ?? '/work/shared/realdata';
export const ES_SAMPLE = path.join(REALDATA, 'eventstreams-enwiki-2023-07-29-sample100.jsonl');
export const LV_SAMPLE = path.join(REALDATA, 'lvwiki-action-api-recentchanges-2020-04-ores.json');
export const IRC_SAMPLE = path.join(REALDATA, 'druid-wikiticker-2015-09-12-irc-recentchanges.jsonl');

export function lines(file: string, max = Infinity): string[] {
  const all = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.length > 0);
  return all.slice(0, max);
}
