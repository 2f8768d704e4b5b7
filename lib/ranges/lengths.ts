import type { IpFamily } from '../masking/ip';

/** The range lengths every edit stores, with their columns (docs/masking.md "Stored range lengths"). */
export interface StoredLength {
  column: 'range16' | 'range24' | 'range32' | 'range48' | 'range64';
  family: IpFamily;
  prefix: number;
  /** the stored lengths that contain this one (wider), widest first */
  wider: StoredLength['column'][];
}

export const RANGE_LENGTHS: readonly StoredLength[] = [
  { column: 'range24', family: 4, prefix: 24, wider: ['range16'] },
  { column: 'range16', family: 4, prefix: 16, wider: [] },
  { column: 'range64', family: 6, prefix: 64, wider: ['range32', 'range48'] },
  { column: 'range48', family: 6, prefix: 48, wider: ['range32'] },
  { column: 'range32', family: 6, prefix: 32, wider: [] },
];

export function storedLength(column: StoredLength['column']): StoredLength {
  return RANGE_LENGTHS.find((r) => r.column === column)!;
}

/** A range pseudonym as pages show it: its key (for the link), prefix length and label. Never the network. */
export interface RangeRef {
  key: string;
  family: IpFamily;
  prefix: number;
  /** R24-XXXX-XXXX, R6-48-XXXX-XXXX */
  display: string;
  edits: number;
}
