import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

/** The real-data samples the project ships (fixtures/realdata/README.md has their provenance). */
export const REALDATA = process.env.MASKPATROL_REALDATA_DIR ?? path.resolve(import.meta.dirname, '../../../fixtures/realdata');
export const ES_SAMPLE = path.join(REALDATA, 'eventstreams-enwiki-2023-07-29-sample100.jsonl');
export const LV_SAMPLE = path.join(REALDATA, 'lvwiki-action-api-recentchanges-2020-04-ores.json');
export const IRC_SAMPLE = path.join(REALDATA, 'druid-wikiticker-2015-09-12-irc-recentchanges.jsonl.gz');

export function lines(file: string, max = Infinity): string[] {
  const bytes = fs.readFileSync(file);
  const all = (file.endsWith('.gz') ? zlib.gunzipSync(bytes) : bytes).toString('utf8').split('\n').filter((l) => l.length > 0);
  return all.slice(0, max);
}
