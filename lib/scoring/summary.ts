import type { MaskedEdit } from '../masking/types';

/**
 * Edit-summary signals for the revert-risk score: revert/undo detection (and who was reverted), warnings
 * left on user talk pages, profanity, shouting, repeated characters. Everything here reads text AFTER the
 * masking boundary: an IP named in a summary is already its display token (IP-7K3Q-9XD2) and listed in
 * `edit.mentions` with its key. All regular expressions are linear (no nested quantifiers) and run on
 * summaries the feed parsers already capped in length.
 */

/** The identity the score's history is keyed on: `ip:<hmac>` for IP editors, `u:<name>` otherwise. */
export type ActorId = string;

export function actorIdOf(edit: Pick<MaskedEdit, 'actor'>): ActorId {
  return edit.actor.key ? `ip:${edit.actor.key}` : `u:${normaliseName(edit.actor.name)}`;
}

function normaliseName(name: string): string {
  const s = name.replace(/_/g, ' ').trim();
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** A name (or display token) from text → actor id: display tokens resolve through the edit's mentions. */
function resolveName(edit: Pick<MaskedEdit, 'mentions'>, name: string): ActorId | null {
  const n = name.trim();
  if (!n) return null;
  for (const m of edit.mentions) if (m.display === n) return `ip:${m.key}`;
  // a token-shaped name with no mention (shouldn't happen after masking): never guess a user from it
  if (/^IP-[0-9A-Z]{4}-[0-9A-Z]{4}$/.test(n)) return null;
  return `u:${normaliseName(n)}`;
}

// "Reverted edits by X", "Reverted 2 edits by X", "Reverted 1 [[WP:AGF|good faith]] edit by X",
// "Reverted 1 pending edit by X", "Reverting possible vandalism by X" (ClueBot NG), "Undid revision 123 by X"
// (undo, Twinkle), "rv/rvv … by X", Huggle/STiki/Twinkle variants. "Reverted to revision 123 by X" restores
// X's version: X is not the reverted editor, so the gap between the verb and "by" may not say "to".
const REVERT_BY =
  /\b(?:reverted|reverting|reverts?|undid|undo(?:ne)?|rvv?|rollback|rolled back)\b([^\n]{0,60}?)\bby\s+(?:\[\[(?::?(?:Special:Contrib(?:ution)?s|User)[/:])([^|\]\n]{1,90})(?:\|[^\]\n]*)?\]\]|([^\s()[\]]{1,90}))/i;
const RESTORE_GAP = /\bto\s+(?:the\s+)?(?:last\s+)?(?:revision|version)\b/i;
/** a revert with no named editor ("rv", "rvv vandalism", "revert spam", MediaWiki's revert tags) */
const REVERT_WORD = /^(?:rvv?|revert(?:ed|ing)?|undid|undo)\b|\b(?:rvv|reverted|reverting|undid revision)\b/i;
const REVERT_TAGS = new Set(['mw-undo', 'mw-rollback', 'mw-manual-revert', 'huggle', 'twinkle-revert']);

export interface RevertInfo {
  /** the summary or tags say this edit reverts something */
  isRevert: boolean;
  /** the reverted editor, when the summary names one */
  target: ActorId | null;
}

export function revertInfo(edit: Pick<MaskedEdit, 'comment' | 'tags' | 'mentions'>): RevertInfo {
  const c = edit.comment;
  if (c) {
    const m = REVERT_BY.exec(c);
    if (m && !RESTORE_GAP.test(m[1] ?? '')) {
      const target = resolveName(edit, (m[2] ?? m[3] ?? '').replace(/[.,;:]+$/, ''));
      return { isRevert: true, target };
    }
    if (REVERT_WORD.test(c)) return { isRevert: true, target: null };
  }
  for (const t of edit.tags) if (REVERT_TAGS.has(t)) return { isRevert: true, target: null };
  return { isRevert: false, target: null };
}

// Warnings left on a user talk page by Twinkle, Huggle, STiki, ClueBot NG and by hand: "Warning: Vandalism
// on …", "Level 2 warning re. …", "Final warning", "Caution: …", "General note: …" (uw-*1), "Warning
// [[Special:Contributions/…]] - #1" (ClueBot NG), "{{subst:uw-vandalism3}}", "You have been blocked …".
const WARNING =
  /\b(?:final warning|only warning|level [1-4]|warning|caution:|general note:|message re\.|uw-[a-z]|vandalism warning|you have been blocked|last warning)/i;
const NOT_WARNING = /\b(?:stale warning|welcome)\b/i;

const FINAL = /\b(?:final warning|only warning|last warning|level 4|you have been blocked)\b|\buw-[a-z]+4(?:im)?\b|- #4\b/i;

export interface WarningInfo {
  /** the talk page's owner */
  target: ActorId;
  /** a final (level 4) warning or a block notice */
  final: boolean;
}

/** When this edit is a warning left on someone's user talk page: whom, and whether final; else null. */
export function warningInfo(edit: Pick<MaskedEdit, 'namespace' | 'title' | 'comment' | 'mentions'>): WarningInfo | null {
  if (edit.namespace !== 3) return null;
  const c = edit.comment ?? '';
  if (!WARNING.test(c) || NOT_WARNING.test(c)) return null;
  const colon = edit.title.indexOf(':');
  const target = resolveName(edit, edit.title.slice(colon + 1).split('/')[0] ?? '');
  return target ? { target, final: FINAL.test(c) } : null;
}

// A small, deliberately conservative word list (English, German, French, Spanish, Latvian): words that are
// almost never in a constructive edit summary. Matched as whole words, case-insensitive.
const PROFANITY =
  /\b(?:fuck\w*|shit\w*|bitch\w*|cunt|dickhead|cocks?|penis|vagina|boobs?|poop\w*|fag\w*|gay(?:ass)?|nigg\w*|retard\w*|whore|slut|asshole|suck(?:s|er)?|stupid|idiot|lol+|haha\w*|scheiße|scheisse|arschloch|fick\w*|merde|putain|connard|mierda|puta|pendejo|idiots?|dirsā|pimp\w*|sūds|mauka|pidars?)\b/iu;

export function hasProfanity(text: string): boolean {
  return PROFANITY.test(text);
}

/** SHOUTING: at least 8 letters, ≥ 75 % of them capitals (display tokens and wiki links removed first). */
export function isShouting(text: string): boolean {
  // cheap reject: shouting has two capitals in a row (ASCII fast path; Unicode only for non-ASCII text)
  if (!/[A-Z]{2}/.test(text) && !(/[^\x00-\x7f]/.test(text) && /\p{Lu}\p{Lu}/u.test(text))) return false;
  const t = text.replace(/\[\[[^\]]*\]\]|\bIP-[0-9A-Z]{4}-[0-9A-Z]{4}\b|\/\*[^*]*\*\//g, '');
  const upper = t.match(/\p{Lu}/gu)?.length ?? 0;
  const letters = upper + (t.match(/\p{Ll}/gu)?.length ?? 0);
  return letters >= 8 && upper / letters >= 0.75;
}

/** A character repeated 5+ times ("!!!!!", "aaaaaa"), digits and wiki markup excluded. */
export function hasRepeatedChars(text: string): boolean {
  return /([^\d\s=\-'~*#[\]{}|/_.])\1{4,}/u.test(text);
}

// MediaWiki's automatic summaries when an editor empties or replaces a page (English, German, French,
// Spanish, Latvian content languages): the editor wrote nothing, the software describes the damage.
const AUTO_BLANKED = /^(?:\[\[[^\]]*\]\])?\s*(?:Blanked the page|Die Seite wurde geleert|Page blanchie|Página blanqueada|Lapa tika iztukšota)/i;
const AUTO_REPLACED =
  /^(?:\[\[[^\]]*\]\])?\s*(?:Replaced content with|Der Seiteninhalt wurde durch einen anderen Text ersetzt|Contenu remplacé par|Página reemplazada por|Saturs aizstāts ar)/i;

export function isAutoBlanked(text: string): boolean {
  return AUTO_BLANKED.test(text);
}

export function isAutoReplaced(text: string): boolean {
  return AUTO_REPLACED.test(text);
}

/** "/* Section *\/" with nothing else: MediaWiki's automatic section summary, the editor wrote nothing. */
export function isSectionOnly(text: string): boolean {
  return /^\s*\/\*[^*]*\*\/\s*$/.test(text);
}
