/** UI strings of one block's page (/blocks/[id]), part of the catalogue in lib/messages.ts (`messages.blockPage`). */
export const blockPageMessages = {
  title: (label: string, wiki: string) => `Block of ${label} on ${wiki}`,
  back: 'All blocks',
  state: 'State',
  active: (expires: string) => `active, expires ${expires}`,
  ended: (reason: string, at: string, by: string | null) => `ended (${reason}) ${at}${by ? ` by ${by}` : ''}`,
  reason: 'Reason',
  by: 'Placed by',
  evasions: 'Evasions',
  sync: 'On the wiki',
  syncStatus: {
    none: 'not pushed (this wiki is not configured for sync, or the block came from the wiki)',
    pending: 'pending: not on the wiki yet; retried with backoff',
    done: 'done: the wiki has it',
    failed: 'failed: the wiki refused it; retries stopped',
  },
  syncError: 'Last error',
  errorText: (code: string) =>
    code === 'network' || code === 'timeout' || /^http-5/.test(code) ? `${code} (the wiki did not answer; retrying until it does)` : code,
  syncAttempts: 'Attempts',
  syncAt: 'Last attempt',
  remoteId: 'Wiki block id',
  log: 'This block’s log',
};
