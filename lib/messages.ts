/** UI strings in one catalogue (English for now), so pages stay free of scattered copy. */
export const messages = {
  appName: 'maskpatrol',
  tagline: 'Patrol masked edits without seeing an IP',
  nav: { queue: 'Queue', clusters: 'Clusters', feeds: 'Feeds', blocks: 'Blocks', checkuser: 'Checkuser', steward: 'Steward' },
  signIn: {
    title: 'Sign in to maskpatrol',
    username: 'Username',
    password: 'Password',
    submit: 'Sign in',
    busy: 'Signing in…',
    failed: 'Sign-in failed. Check your username and password.',
  },
  signOut: 'Sign out',
  forbidden: {
    title: 'Not allowed',
    body: 'Your account does not have permission for this page or action. If you need it, ask a steward.',
  },
  noAccess: {
    title: 'No role yet',
    body: 'You are signed in, but your account holds no role on any wiki. A steward can grant you one.',
  },
  queue: {
    title: 'Patrol queue',
    note: 'The newest masked edits with their revert-risk score (hover a score for its reasons). A cluster badge links to the cluster. The live keyboard-driven queue is step 6.',
    noFactors: 'no risk factor stood out',
    empty: 'No edits yet. Check the feeds page: a feed may still be starting, or none is configured (MASKPATROL_FEED_SOURCE).',
  },
  clusters: {
    title: 'Clusters',
    note: 'Pseudonymous IP editors and temporary accounts that act together, found as edits arrive (shared ranges, co-edited pages, look-alike summaries, bursts), hottest first. Each cluster says why.',
    empty: 'No open cluster right now.',
    showAll: 'Show closed clusters too',
    showActive: 'Show open clusters only',
  },
  feeds: {
    title: 'Feeds',
    empty: 'No feed has stored anything yet.',
  },
  blocks: {
    title: 'Blocks',
    empty: 'No blocks yet. Blocking by pseudonym arrives with step 7.',
  },
  checkuser: {
    title: 'Checkuser',
    body: 'The gated IP reveal (reason, second factor, rate limits, audit) arrives with step 8. Until then no IP can be revealed.',
  },
  steward: {
    title: 'Steward console',
    users: 'Accounts and roles',
    createUser: 'Create an account',
    grantRole: 'Grant a role',
    audit: 'Audit trail',
    chainOk: (n: number) => `Audit chain intact (${n} rows verified just now).`,
    chainBroken: (seq: string, problem: string) => `Audit chain BROKEN at row ${seq}: ${problem}`,
  },
} as const;
