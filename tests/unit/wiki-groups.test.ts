import { describe, expect, it } from 'vitest';
import { DEFAULT_GROUP_MAP, oauthConfig, parseGroupMap, parseWikis } from '@/lib/auth/oauth-config';
import { deriveRoles, type GroupReading } from '@/lib/auth/wiki-groups';

const wikis = [
  { wiki: 'enwiki', api: 'https://en.example/w/api.php' },
  { wiki: 'dewiki', api: 'https://de.example/w/api.php' },
];
const cfg = { groupMap: DEFAULT_GROUP_MAP, wikis };

function reading(p: Partial<GroupReading>): GroupReading {
  return {
    host: { wiki: 'metawiki', status: 'ok', groups: ['*', 'user'] },
    global: { status: 'ok', groups: [] },
    wikis: [
      { wiki: 'enwiki', status: 'ok', groups: ['*', 'user'] },
      { wiki: 'dewiki', status: 'ok', groups: ['*', 'user'] },
    ],
    ...p,
  };
}

describe('group → role mapping', () => {
  it('the default map: sysop→admin, checkuser→checkuser, steward→steward, rollbacker and patroller→patroller', () => {
    expect(parseGroupMap(undefined)).toEqual({ sysop: 'admin', checkuser: 'checkuser', steward: 'steward', rollbacker: 'patroller', patroller: 'patroller' });
  });

  it('local groups give roles on their own wiki only (an enwiki sysop is not a dewiki sysop)', () => {
    const r = deriveRoles(
      reading({
        wikis: [
          { wiki: 'enwiki', status: 'ok', groups: ['*', 'user', 'sysop', 'rollbacker'] },
          { wiki: 'dewiki', status: 'ok', groups: ['*', 'user', 'patroller', 'bureaucrat'] },
        ],
      }),
      cfg,
    );
    expect(r.roles).toEqual(
      expect.arrayContaining([
        { role: 'admin', wiki: 'enwiki' },
        { role: 'patroller', wiki: 'enwiki' },
        { role: 'patroller', wiki: 'dewiki' },
      ]),
    );
    expect(r.roles).toHaveLength(3);
    expect(r.known.sort()).toEqual(['*', 'dewiki', 'enwiki']);
  });

  it('global groups give global roles; steward from a listed wiki\'s local group does not, from the OAuth host it does', () => {
    expect(deriveRoles(reading({ global: { status: 'ok', groups: ['steward'] } }), cfg).roles).toEqual([{ role: 'steward', wiki: '*' }]);
    expect(deriveRoles(reading({ host: { wiki: 'metawiki', status: 'ok', groups: ['steward'] } }), cfg).roles).toEqual([{ role: 'steward', wiki: '*' }]);
    const local = deriveRoles(reading({ wikis: [{ wiki: 'enwiki', status: 'ok', groups: ['steward'] }] }), cfg);
    expect(local.roles).toEqual([]);
    // a global group mapped to a per-wiki role through a custom map is held globally
    const custom = { ...cfg, groupMap: parseGroupMap('global-rollbacker=patroller') };
    expect(deriveRoles(reading({ global: { status: 'ok', groups: ['global-rollbacker'] } }), custom).roles).toEqual([{ role: 'patroller', wiki: '*' }]);
  });

  it('no matching group anywhere: no role', () => {
    const r = deriveRoles(reading({ wikis: [{ wiki: 'enwiki', status: 'ok', groups: ['*', 'user', 'autoconfirmed', 'bureaucrat'] }] }), cfg);
    expect(r.roles).toEqual([]);
  });

  it('a wiki that could not be read is unknown (its roles are left alone); missing and mismatched names are known and give nothing', () => {
    const r = deriveRoles(
      reading({
        wikis: [
          { wiki: 'enwiki', status: 'error', groups: [] },
          { wiki: 'dewiki', status: 'mismatch', groups: [] },
        ],
      }),
      cfg,
    );
    expect(r.known.sort()).toEqual(['*', 'dewiki']);
    const hostDown = deriveRoles(reading({ host: { wiki: '', status: 'error', groups: [] }, global: { status: 'error', groups: [] } }), cfg);
    expect(hostDown.known.sort()).toEqual(['dewiki', 'enwiki']);
  });

  it('no wikis listed: the OAuth host\'s local groups give roles on the host\'s wiki id (a lone MediaWiki)', () => {
    const r = deriveRoles(reading({ host: { wiki: 'mywiki', status: 'ok', groups: ['sysop', 'steward'] }, wikis: [] }), { groupMap: DEFAULT_GROUP_MAP, wikis: [] });
    expect(r.roles).toEqual(expect.arrayContaining([{ role: 'admin', wiki: 'mywiki' }, { role: 'steward', wiki: '*' }]));
    expect(r.known.sort()).toEqual(['*', 'mywiki']);
  });
});

describe('OAuth configuration', () => {
  it('is off without a client id and secret, on with both; endpoints come from the base URL', () => {
    expect(oauthConfig({})).toBeNull();
    expect(oauthConfig({ MASKPATROL_OAUTH_CLIENT_ID: 'id' })).toBeNull();
    const c = oauthConfig({ MASKPATROL_OAUTH_CLIENT_ID: 'id', MASKPATROL_OAUTH_CLIENT_SECRET: 's', MASKPATROL_OAUTH_BASE_URL: 'https://wiki.example.org/w/' })!;
    expect(c.authorizeUrl).toBe('https://wiki.example.org/w/rest.php/oauth2/authorize');
    expect(c.tokenUrl).toBe('https://wiki.example.org/w/rest.php/oauth2/access_token');
    expect(c.profileUrl).toBe('https://wiki.example.org/w/rest.php/oauth2/resource/profile');
    expect(c.hostApi).toBe('https://wiki.example.org/w/api.php');
    expect(c.refreshMs).toBe(3_600_000);
    const wm = oauthConfig({ MASKPATROL_OAUTH_CLIENT_ID: 'id', MASKPATROL_OAUTH_CLIENT_SECRET: 's' })!;
    expect(wm.baseUrl).toBe('https://meta.wikimedia.org/w');
  });

  it('refuses a malformed group map or wiki list, naming the bad entry', () => {
    expect(() => parseGroupMap('sysop=admin,oversight=god')).toThrow(/oversight=god/);
    expect(() => parseGroupMap('sysop')).toThrow(/group=role/);
    expect(parseWikis('enwiki=https://en.wikipedia.org/w/api.php, dewiki=https://de.wikipedia.org/w/api.php')).toEqual([
      { wiki: 'enwiki', api: 'https://en.wikipedia.org/w/api.php' },
      { wiki: 'dewiki', api: 'https://de.wikipedia.org/w/api.php' },
    ]);
    expect(() => parseWikis('enwiki')).toThrow(/enwiki/);
    expect(() => parseWikis('EN=https://x/w/api.php')).toThrow();
    expect(() => parseWikis('enwiki=https://a/w/api.php,enwiki=https://b/w/api.php')).toThrow();
  });
});
