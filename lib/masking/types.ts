import type { RawEdit } from '../feed/types';
import type { IpFamily } from './ip';
import type { NetContext } from '../context/types';

/**
 * What leaves the masking boundary. A MaskedEdit holds NO raw IP anywhere: the editor's IP became keyed
 * pseudonyms and a vault reference; every IP inside text became its pseudonym token. It is safe to
 * persist, log, score, cluster and send to browsers.
 */
export type ActorKind = 'ip' | 'temp' | 'user';

export interface RangePseudonym {
  family: IpFamily;
  prefix: number;
  /** hex HMAC: the identity to store and join on */
  key: string;
  /** e.g. "R24-7K3Q-9XD2" (IPv4 /24) or "R6-48-7K3Q-9XD2" (IPv6 /48): length shown, network never */
  display: string;
}

/** The pseudonyms of one IP address (the editor's network address). */
export interface IpPseudonyms {
  family: IpFamily;
  /** hex HMAC of the address */
  key: string;
  /** e.g. "IP-7K3Q-9XD2" — a label, not unique */
  display: string;
  /** stored lengths, plus any extra lengths the caller asked for, narrowest last */
  ranges: RangePseudonym[];
  /** the vault record holding this address (and the user agent, if any) */
  vaultId: string;
}

/** An IP address found in a text field, replaced there by `display`. */
export interface IpMention {
  key: string;
  display: string;
  vaultId: string;
}

/** RawEdit fields that never carry an IP and pass through unchanged. */
type PassThrough = Omit<
  RawEdit,
  'user' | 'ip' | 'userAgent' | 'title' | 'comment' | 'parsedComment' | 'logParams' | 'tags' | 'serverUrl'
>;

export interface MaskedEdit extends PassThrough {
  /** the pseudonym key epoch all keys in this edit belong to */
  epoch: string;
  actor: {
    kind: ActorKind;
    /** the display pseudonym for an IP editor; the temporary or registered name otherwise */
    name: string;
    /** the full pseudonym (hex HMAC) for an IP editor; null for named editors */
    key: string | null;
    /** the vault record of an IP editor's address; null for named editors */
    vaultId: string | null;
  };
  /** pseudonyms of the editor's IP: from `user` for IP editors, from a trusted producer's `ip` otherwise */
  ip: IpPseudonyms | null;
  /** coarse context of that address's /24 or /64 (ASN, organisation, country, network type; lib/context); absent or null: none */
  net?: NetContext | null;
  /** keyed pseudonym of the user agent, when one was given (the raw agent is in the vault record) */
  userAgent: { key: string; display: string } | null;
  title: string;
  comment: string | null;
  parsedComment: string | null;
  logParams: unknown;
  tags: string[];
  serverUrl: string | null;
  /** IPs found in text fields, one per distinct address */
  mentions: IpMention[];
  /** the revert-risk score, added after the boundary by lib/scoring (step 4); absent when not scored */
  risk?: { score: number; factors: { id: string; label: string; contribution: number }[] };
  /** the actor's cluster right after this edit, added by lib/clustering (step 4); absent when unclustered */
  clusterId?: string;
  /** the active block this edit evades, added by lib/blocks (step 7); absent when the editor is not blocked */
  evasionBlockId?: string;
}

/** A vault row to insert (already encrypted), in the same transaction as the masked edit. */
export interface VaultWrite {
  id: string;
  /** UTC day whose data key encrypted it, "YYYY-MM-DD" */
  day: string;
  nonce: Buffer;
  ciphertext: Buffer;
}

/** Extra range lengths to compute for an event (e.g. the lengths of active range blocks, step 7). */
export interface ExtraLengths {
  v4?: ReadonlySet<number>;
  v6?: ReadonlySet<number>;
}

/** The lengths stored with every event. */
export const STORED_LENGTHS: { v4: readonly number[]; v6: readonly number[] } = {
  v4: [16, 24],
  v6: [32, 48, 64],
};
