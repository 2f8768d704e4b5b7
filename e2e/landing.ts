/** Where each role lands after sign-in, and the heading it sees there. */
export const LANDING_HEADINGS = {
  patroller: ['/queue', 'Patrol queue'],
  admin: ['/blocks', 'Blocks'],
  checkuser: ['/checkuser', 'Checkuser'],
  steward: ['/steward', 'Steward console'],
} as const;
