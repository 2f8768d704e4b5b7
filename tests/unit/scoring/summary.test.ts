import { describe, expect, it } from 'vitest';
import {
  actorIdOf,
  hasProfanity,
  hasRepeatedChars,
  isAutoBlanked,
  isAutoReplaced,
  isSectionOnly,
  isShouting,
  revertInfo,
  warningInfo,
} from '@/lib/scoring/summary';
import { ipEdit, userEdit } from './helpers';

const target = (comment: string) => revertInfo(userEdit('Patroller', { comment })).target;

describe('revert summaries', () => {
  const ip = '198.51.100.7';
  const ipId = actorIdOf(ipEdit(ip));

  it.each([
    `Reverted edits by [[Special:Contributions/${ip}|${ip}]] ([[User talk:${ip}|talk]]) to last version by Example`,
    `Reverted 2 edits by [[Special:Contributions/${ip}|${ip}]] ([[User talk:${ip}|talk]]): Vandalism ([[WP:TW|TW]])`,
    `Reverted 1 [[WP:AGF|good faith]] edit by [[Special:Contributions/${ip}|${ip}]] using [[WP:STiki|STiki]]`,
    `Reverting possible vandalism by [[Special:Contribs/${ip}|${ip}]] to version by Bkonrad. Thanks, [[WP:CBNG|ClueBot NG]]`,
    `Undid revision 680657468 by [[Special:Contributions/${ip}|${ip}]] ([[User talk:${ip}|talk]])`,
    `Reverted edits by ${ip} (talk) to last version by Example`,
    `rvv by ${ip}`,
  ])('names the reverted IP through its mention: %s', (comment) => {
    expect(target(comment)).toBe(ipId);
  });

  it('names registered and temporary editors by name, not the version restored', () => {
    expect(target('Reverted edits by [[Special:Contribs/MCGoldfish|MCGoldfish]] ([[User talk:MCGoldfish|talk]]) to last version by 1.2.3.4')).toBe('u:MCGoldfish');
    expect(target('Undid revision 1 by [[Special:Contributions/~2026-12345-67|~2026-12345-67]]')).toBe('u:~2026-12345-67');
    expect(target('Undid revision 678071648 by [[Special:Contributions/Some_user|Some user]] ([[User talk:Some user|talk]])')).toBe('u:Some user');
  });

  it('"Reverted to revision N by X" restores X: a revert, but X is not its target', () => {
    const r = revertInfo(userEdit('P', { comment: 'Reverted to revision 664023305 by [[Special:Contributions/KasparBot|KasparBot]]: restore' }));
    expect(r).toEqual({ isRevert: true, target: null });
  });

  it('recognises unnamed reverts and revert tags, and leaves ordinary summaries alone', () => {
    expect(revertInfo(userEdit('P', { comment: 'rv' })).isRevert).toBe(true);
    expect(revertInfo(userEdit('P', { comment: 'rvv vandalism' })).isRevert).toBe(true);
    expect(revertInfo(userEdit('P', { comment: '', tags: ['mw-rollback'] })).isRevert).toBe(true);
    for (const comment of ['fixed typo', 'reverse order of the list', 'added by request', '/* Reverts */ section about reverts']) {
      expect(revertInfo(userEdit('P', { comment })), comment).toEqual({ isRevert: false, target: null });
    }
  });
});

describe('warnings on user talk pages', () => {
  it('credits the talk page owner (IP through its mention) and recognises final warnings', () => {
    const ip = '203.0.113.9';
    const w = warningInfo(userEdit('Patroller', { namespace: 3, title: `User talk:${ip}`, comment: 'Level 2 warning re. [[Foo]] ([[WP:HG|HG]])' }));
    expect(w).toEqual({ target: actorIdOf(ipEdit(ip)), final: false });
    const f = warningInfo(userEdit('Patroller', { namespace: 3, title: 'User talk:Vandal', comment: 'Final warning: Vandalism on [[Medicaid]]. ([[WP:TW|TW]])' }));
    expect(f).toEqual({ target: 'u:Vandal', final: true });
    expect(warningInfo(userEdit('X', { namespace: 3, title: `User talk:${ip}`, comment: 'Warning [[Special:Contributions/1.2.3.4|1.2.3.4]] - #4' }))?.final).toBe(true);
  });

  it('ignores welcomes, stale-warning cleanups and other namespaces', () => {
    expect(warningInfo(userEdit('P', { namespace: 3, title: 'User talk:V', comment: 'Welcome to Wikipedia! ([[WP:TW|TW]])' }))).toBeNull();
    expect(warningInfo(userEdit('P', { namespace: 3, title: 'User talk:V', comment: 'Blank stale warning(s) and replace with {{OW}}' }))).toBeNull();
    expect(warningInfo(userEdit('P', { namespace: 1, title: 'Talk:V', comment: 'Final warning' }))).toBeNull();
  });
});

describe('summary text signals', () => {
  it('profanity: whole words, several languages, case-insensitive', () => {
    expect(hasProfanity('this is SHIT')).toBe(true);
    expect(hasProfanity('du Arschloch')).toBe(true);
    expect(hasProfanity('Scunthorpe United, shiitake')).toBe(false);
  });
  it('shouting needs 8+ letters, mostly capitals, and ignores links and tokens', () => {
    expect(isShouting('THIS IS ALL WRONG')).toBe(true);
    expect(isShouting('NATO')).toBe(false);
    expect(isShouting('[[WP:NPOV|NPOV]] per IP-7K3Q-9XD2, see talk')).toBe(false);
  });
  it('repeated characters, not digits or markup', () => {
    expect(hasRepeatedChars('lolllll')).toBe(true);
    expect(hasRepeatedChars('!!!!!')).toBe(true);
    expect(hasRepeatedChars('1000000 ==== ----')).toBe(false);
  });
  it('automatic summaries', () => {
    expect(isAutoBlanked('[[WP:AES|←]]Blanked the page')).toBe(true);
    expect(isAutoReplaced("[[WP:AES|←]]Replaced content with 'poop'")).toBe(true);
    expect(isSectionOnly('/* Early life */ ')).toBe(true);
    expect(isSectionOnly('/* Early life */ added birth date')).toBe(false);
  });
});
