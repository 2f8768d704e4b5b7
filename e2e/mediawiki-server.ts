import http from 'node:http';
import { startMediaWiki } from '../tests/helpers/mediawiki';
import { E2E_MW_BOT_PASSWORD, e2eMediaWikiPort } from './constants';

/**
 * The e2e run's real MediaWiki (a Playwright webServer, playwright.config.ts): a throwaway wiki from
 * tests/helpers/mediawiki.ts on E2E_MW_PORT, and on the next port a control endpoint for the specs:
 * POST /kill (the wiki goes down, its data stays), POST /restart. Ends the wiki when Playwright ends this process.
 */
const port = e2eMediaWikiPort();
const mw = await startMediaWiki({ port, botPassword: E2E_MW_BOT_PASSWORD });
const control = http.createServer((req, res) => {
  const done = (p: Promise<void>) =>
    p.then(
      () => res.writeHead(204).end(),
      (err: unknown) => res.writeHead(500).end(String(err)),
    );
  if (req.method === 'POST' && req.url === '/kill') return void done(mw.kill());
  if (req.method === 'POST' && req.url === '/restart') return void done(mw.restart());
  res.writeHead(404).end();
});
control.listen(port + 1, '127.0.0.1');
process.stdout.write(`MediaWiki on ${mw.api}; control on http://127.0.0.1:${port + 1}\n`);
const stop = () => {
  control.close();
  void mw.stop().finally(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
