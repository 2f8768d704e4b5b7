/**
 * npm run blocks:import [-- <wiki>] — imports the existing blocks of each wiki in MASKPATROL_BLOCK_WIKIS (or the
 * one named) from its Action API (list=blocks); IP and range targets are masked into anchors at import. Audited as
 * block.import. The server also does this on its first start for wikis that have no imported block yet. A running
 * server picks the new blocks up within a minute.
 */
import { serverBlockDeps } from '../lib/blocks/targets';
import { importWikiBlocks } from '../lib/services/block-import';
import { runTool } from './cli';

await runTool('blocks:import', async ({ prisma }) => {
  const deps = serverBlockDeps();
  const only = process.argv[2];
  const wikis = deps.wikis.filter((w) => w.import && (!only || w.wiki === only));
  if (!wikis.length) {
    console.error('blocks:import: no wiki to import from (MASKPATROL_BLOCK_WIKIS)');
    return 1;
  }
  for (const w of wikis) {
    const r = await importWikiBlocks({ actor: { kind: 'system', name: 'blocks:import' }, db: prisma, request: { via: 'cli' } }, w, deps);
    console.log(`${r.wiki}: ${r.imported} imported, ${r.existing} already here or expired, ${r.unsupported} unsupported (of ${r.fetched})`);
  }
  return 0;
});
