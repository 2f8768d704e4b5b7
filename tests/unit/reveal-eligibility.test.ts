import { afterEach, describe, expect, it } from 'vitest';
import { can, canOnAnyWiki, type Actor, type RoleName } from '@/lib/auth/permissions';
import { ForbiddenError, StepUpRequiredError } from '@/lib/errors';
import { revealConfig, DEFAULT_REASON_CATEGORIES } from '@/lib/reveal/config';
import { checkReason, mayOfferReveal, verbPermission } from '@/lib/reveal/eligibility';
import { REFUSALS, RevealRefusedError, refusalOf } from '@/lib/reveal/refusals';

const user = (role: RoleName, wiki = '*'): Actor => ({ kind: 'user', id: 'u', username: 'u', roles: [{ role, wiki }], stepUpAt: Date.now() });
const reasonOf = (raw: object) => {
  try {
    return checkReason(raw);
  } catch (err) {
    return (err as RevealRefusedError).refusal;
  }
};

afterEach(() => {
  delete process.env.MASKPATROL_REVEAL_REASON_CATEGORIES;
});

describe('reveal permissions as data', () => {
  it('checkusers hold the reveal; admins may be granted it; stewards oversee and approve but never reveal', () => {
    expect(can(user('checkuser'), 'ip.reveal', 'enwiki')).toBe(true);
    expect(can(user('admin'), 'ip.reveal', 'enwiki')).toBe(false);
    expect(can(user('admin'), 'ip.reveal.grantee', 'enwiki')).toBe(true);
    for (const r of ['steward', 'patroller'] as const) {
      expect(canOnAnyWiki(user(r), 'ip.reveal')).toBe(false);
      expect(canOnAnyWiki(user(r), 'ip.reveal.grantee')).toBe(false);
    }
    expect(can(user('steward'), 'reveal.manage', '*')).toBe(true);
    expect(can(user('checkuser'), 'reveal.manage', '*')).toBe(false);
    expect(can(user('steward'), 'reveal.approve', '*')).toBe(true);
    expect(can(user('checkuser'), 'reveal.approve', '*')).toBe(true);
    expect(can(user('admin'), 'reveal.approve', '*')).toBe(false);
  });

  it('the verb checks the role permission first, the grantee one for admins, and names a wiki the actor holds it on', () => {
    expect(verbPermission(user('checkuser'))).toEqual({ permission: 'ip.reveal', wiki: '*' });
    expect(verbPermission(user('checkuser', 'dewiki'))).toEqual({ permission: 'ip.reveal', wiki: 'dewiki' });
    expect(verbPermission(user('admin'))).toEqual({ permission: 'ip.reveal.grantee', wiki: '*' });
    expect(verbPermission(user('patroller'))).toEqual({ permission: 'ip.reveal', wiki: '*' });
  });

  it('the control is offered to checkusers and granted admins, not to the suspended or the rest', () => {
    expect(mayOfferReveal(user('checkuser'), null)).toBe(true);
    expect(mayOfferReveal(user('checkuser'), { grantWiki: null, suspended: true })).toBe(false);
    expect(mayOfferReveal(user('admin'), null)).toBe(false);
    expect(mayOfferReveal(user('admin'), { grantWiki: '*', suspended: false })).toBe(true);
    expect(mayOfferReveal(user('steward'), { grantWiki: '*', suspended: false })).toBe(false);
  });
});

describe('the stated reason', () => {
  const cat = DEFAULT_REASON_CATEGORIES[0];
  it('needs a listed category and 20 characters, names no address, keeps an optional case reference', () => {
    expect(reasonOf({ reason: 'x'.repeat(30) })).toBe('no_category');
    expect(reasonOf({ category: cat })).toBe('no_reason');
    expect(reasonOf({ category: cat, reason: '   ' })).toBe('no_reason');
    expect(reasonOf({ category: cat, reason: 'nineteen characters' })).toBe('reason_too_short');
    expect(reasonOf({ category: cat, reason: 'twenty characters!!!' })).toEqual({ category: cat, text: 'twenty characters!!!' });
    expect(reasonOf({ category: cat, reason: 'same as 2001:db8::7 yesterday, clearly' })).toBe('reason_contains_ip');
    expect(reasonOf({ category: cat, reason: 'twenty characters!!!', caseRef: 'see 192.0.2.1' })).toBe('reason_contains_ip');
    expect(reasonOf({ category: cat, reason: 'twenty characters!!!', caseRef: ' SPI/X ' })).toMatchObject({ caseRef: 'SPI/X' });
  });

  it('takes its categories from the configuration', () => {
    process.env.MASKPATROL_REVEAL_REASON_CATEGORIES = 'Spam, Legal';
    expect(revealConfig().categories).toEqual(['Spam', 'Legal']);
    expect(reasonOf({ category: 'Legal', reason: 'a court order arrived today' })).toMatchObject({ category: 'Legal' });
    expect(reasonOf({ category: cat, reason: 'a court order arrived today' })).toBe('no_category');
  });
});

describe('refusals', () => {
  it('map to HTTP statuses and carry no input', () => {
    expect(new RevealRefusedError('rate_limit_hour').status).toBe(429);
    expect(new RevealRefusedError('no_longer_available').status).toBe(410);
    expect(new RevealRefusedError('reason_too_short')).toMatchObject({ status: 400, code: 'reason_too_short' });
    expect(Object.keys(REFUSALS)).toContain('self_approval');
    expect(refusalOf(new StepUpRequiredError())).toBe('step_up_required');
    expect(refusalOf(new ForbiddenError())).toBe('no_permission');
    expect(refusalOf(new Error('database down'))).toBeNull();
  });
});
