/** The closed list of audited actions, `entity.verb`. A new verb adds its action here. */
export const AUDIT_ACTIONS = [
  'user.create',
  'user.disable',
  'user.enable',
  'role.grant',
  'role.revoke',
  /** an OAuth account's roles follow its MediaWiki groups (system actor "wiki-groups") */
  'role.sync',
  'session.revoke',
  'totp.enrol',
  'totp.disable',
  'totp.reset',
  'totp.recovery-regenerate',
  'keys.rotate',
  'vault.shred',
  'edit.review',
  'whitelist.add',
  'whitelist.remove',
  /** a steward verified the audit chain (the result is the row's `after`) */
  'audit.verify',
  // step 8: the IP reveal (lib/services/reveal*.ts). 'ip.reveal' is the only action that hands out an address.
  'ip.reveal',
  'ip.reveal-refused',
  'ip.reveal-request',
  'ip.reveal-approve',
  'ip.reveal-deny',
  'reveal.grant',
  'reveal.grant-revoke',
  'reveal.agreement-record',
  'reveal.agreement-acknowledge',
  'reveal.suspend',
  'reveal.restore',
  'reveal.review',
  'reveal.export',
  'block.create',
  'block.modify',
  'block.remove',
  'block.mass',
  'block.expire',
  'block.import',
  /** the outbound sync (system actor "block-sync") pushed a block / an unblock to its wiki */
  'block.sync',
  /** the outbound sync met a new error (or gave up: the block turned failed); error code only */
  'block.sync-failed',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export function isAuditAction(s: string): s is AuditAction {
  return (AUDIT_ACTIONS as readonly string[]).includes(s);
}
