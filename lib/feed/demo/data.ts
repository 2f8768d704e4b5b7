/** Word lists for the demo generator. All names are invented; all addresses are documentation ranges. */

export const DEMO_WIKIS = [
  { id: 'enwiki', serverUrl: 'https://en.wikipedia.org', masked: true },
  { id: 'dewiki', serverUrl: 'https://de.wikipedia.org', masked: true },
  { id: 'lvwiki', serverUrl: 'https://lv.wikipedia.org', masked: false },
] as const;

export type DemoWiki = (typeof DEMO_WIKIS)[number];

export const REGISTERED_USERS = [
  'Alder Quill', 'BirchReader', 'Cedar Notes', 'DaphneEdits', 'Elm Archivist', 'FernWatcher', 'Gorse',
  'HazelCopyedit', 'Ivy Stacks', 'Juniper42', 'Kestrel Maps', 'Larch Librarian', 'Maple Footnote',
];

export const BOTS = ['ArchiverBot', 'CiteFixBot', 'InterwikiBot', 'DateFormatBot'];

export const ARTICLES = [
  'Riga', 'Baltic Sea', 'Photosynthesis', 'Jupiter', 'Roman Empire', 'Volcano', 'Honey bee', 'Chess',
  'Printing press', 'Aurora', 'Glacier', 'Mount Everest', 'Solar System', 'Pythagorean theorem', 'Tea',
  'Bicycle', 'Lighthouse', 'Coral reef', 'Saturn', 'Ancient Egypt', 'Football', 'Cat', 'Dinosaur',
];

export const SCHOOL_ARTICLES = ['Photosynthesis', 'World War II', 'Pythagorean theorem', 'Cell (biology)', 'Shakespeare', 'Volcano'];

export const GOOD_SUMMARIES = [
  'copyedit', '/* History */ expand', 'add ref', 'fix typo', '/* See also */', 'update population figure',
  'grammar', 'clarify', '', 'rm duplicate link', 'per talk page',
];

export const BOT_SUMMARIES = ['Bot: archiving 3 threads', 'Bot: fixing citation dates', 'Bot: normalising dates'];

export const VANDAL_SUMMARIES = ['', 'lol', 'poop', 'u suck', 'this is stupid', 'haha', 'bla bla', 'idiots'];

export const SCHOOL_SUMMARIES = ['', 'hi', 'lol', 'test', 'hello from class', 'fixed', 'ur mom'];

/** the sock cluster's fixed three pages and its look-alike summaries */
export const SOCK_PAGES = ['Acme Widgets Ltd', 'John Q. Example', 'Widget safety controversy'];
export const SOCK_SUMMARIES = ['fixed info per source', 'fixed info per sources', 'updated info per source', 'fix info, per source'];

/**
 * Address plan (RFC 5737 / RFC 3849 documentation ranges only):
 * vandal wave 203.0.113.0/24 · school 198.51.100.0/24 · background IPv4 192.0.2.1–200 ·
 * sock members 192.0.2.222 and 2001:db8:a100::/48, 2001:db8:b200::/48, … · IPv6 hopper 2001:db8:f00d:77::/64 ·
 * background IPv6 2001:db8:1000::–2001:db8:4fff:ffff::
 */
export const RANGES = {
  vandalWave: '203.0.113.0/24',
  school: '198.51.100.0/24',
  hopper: '2001:db8:f00d:77::/64',
  sockIpv4: '192.0.2.222',
  sockIpv6Prefixes: ['2001:db8:a100', '2001:db8:b200', '2001:db8:c300', '2001:db8:d400'],
} as const;
