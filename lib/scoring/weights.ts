/**
 * THE one place for the revert-risk model's weights and thresholds (docs/scoring.md prints this table).
 *
 *   score = sigmoid(BIAS + Σ wᵢ · xᵢ),   each xᵢ in [0, 1]
 *
 * The weights are set by hand, not fitted: the only labelled data we have (≈100 lvwiki ORES scores, one
 * sampled 2015 day) is far too small to fit 23 parameters without fitting the noise, and it is also what we
 * evaluate on. Each row says why it has its sign and size. Changes made after looking at evaluation numbers
 * are listed in docs/scoring.md ("Iterations"), so a reader can discount them.
 *
 * | id             | w     | xᵢ (0..1)                                                        | why |
 * |----------------|-------|------------------------------------------------------------------|-----|
 * | bias           | −3.0  | –                                                                | most edits are fine: an ordinary registered edit scores ≈ 0.05–0.1 |
 * | ipActor        | +1.2  | editor is a logged-out IP                                        | IP edits are reverted several times more often than registered ones (ORES' strongest feature) |
 * | tempActor      | +1.0  | editor is a temporary account                                    | the masked-wiki successor of an IP editor, slightly more accountable |
 * | bot            | −3.0  | bot flag                                                         | flagged bots are approved and almost never reverted |
 * | minor          | −0.3  | minor flag                                                       | weak; vandals do mark edits minor, but less often |
 * | article        | +0.4  | namespace 0 (articles)                                           | vandalism concentrates in articles; talk-page edits are rarely reverted |
 * | ownSpace       | −0.6  | user or user-talk namespace (2, 3)                               | replies to warnings and user-page edits are rarely reverted |
 * | blanking       | +2.5  | share of the page removed when ≥ 50 % (needs sizeOld); 1 for the automatic summary "Blanked the page" | page blanking is the classic vandalism |
 * | replaced       | +2.0  | automatic summary "Replaced content with …"                      | the whole page replaced by a few words the summary quotes |
 * | removal        | +1.0  | (log₁₀ bytes removed − 2) / 2: 100 B → 0, 10 kB → 1              | large unexplained removals; the only removal signal when sizes are unknown |
 * | newPageAnon    | +1.0  | page created by an IP or temporary account                        | most new pages by logged-out editors are deleted |
 * | tinyNewPage    | +0.6  | page created with < 200 bytes                                    | test pages, attack pages |
 * | noSummary      | +0.7  | empty summary 1; only the automatic section summary 0.6           | constructive editors explain more often; null (feed omitted it) is unknown = 0 |
 * | profanity      | +2.0  | summary has a word from the small list                           | nearly never in a constructive summary |
 * | shouting       | +1.2  | summary ≥ 8 letters, ≥ 75 % capitals                             | |
 * | repeatedChars  | +1.0  | a character 5+ times in a row                                    | "!!!!!", keyboard mashing |
 * | reverts        | −1.2  | this edit reverts someone (summary or revert tags)               | reverting is what patrollers do; edit wars are caught by `revertedBefore` |
 * | revertedBefore | +2.5  | min(reverts naming this actor in the window, 3) / 3              | the best predictor of the next revert is the last one |
 * | warned         | +2.0  | min(warnings on its talk page in the window, 3) / 3              | a warned actor that keeps editing |
 * | burst          | +0.8  | min(its other edits in the burst window, 5) / 5                  | rapid-fire editing; weak alone, strong with the rest |
 * | rangeReverts   | +1.0  | min(reverts of OTHER actors in its /24 or /64 in the window, 3) / 3 | school and proxy ranges; IP hopping |
 * | blocked        | +3.0  | the actor is blocked (step 7)                                    | an edit by a blocked actor is evasion or a race |
 * | rangeBlocked   | +2.0  | one of its ranges is blocked (step 7)                            | |
 */
export const BIAS = -3.0;

export const WEIGHTS = {
  ipActor: 1.2,
  tempActor: 1.0,
  bot: -3.0,
  minor: -0.3,
  article: 0.4,
  ownSpace: -0.6,
  blanking: 2.5,
  removal: 1.0,
  newPageAnon: 1.0,
  tinyNewPage: 0.6,
  noSummary: 0.7,
  profanity: 2.0,
  shouting: 1.2,
  repeatedChars: 1.0,
  replaced: 2.0,
  reverts: -1.2,
  revertedBefore: 2.5,
  warned: 2.0,
  burst: 0.8,
  rangeReverts: 1.0,
  blocked: 3.0,
  rangeBlocked: 2.0,
} as const;

export type FeatureId = keyof typeof WEIGHTS;
export const FEATURE_IDS = Object.keys(WEIGHTS) as FeatureId[];

/** Thresholds and windows (history.ts and features.ts read them from here). */
export const THRESHOLDS = {
  /** share of the page removed from which it counts as blanking */
  blankingShare: 0.5,
  /** new pages smaller than this count as tiny */
  tinyNewPageBytes: 200,
  /** reverts and warnings older than this are forgotten */
  historyWindowMs: 24 * 3600_000,
  /** "revertedBefore" label says "in the last hour" when all reverts are that recent */
  recentMs: 3600_000,
  /** edits within this window count for the burst rate */
  burstWindowMs: 10 * 60_000,
  /** saturation points of the count features */
  revertCap: 3,
  warningCap: 3,
  burstCap: 5,
  rangeRevertCap: 3,
  /** how many factors travel with a score */
  topFactors: 5,
} as const;

/** Values the factor labels quote (filled by features.ts, only the ones that apply). */
export interface FactorDetail {
  blankShare: number;
  removedBytes: number;
  newPageBytes: number;
  revertCount: number;
  revertsWithinHour: boolean;
  warningCount: number;
  finalWarning: boolean;
  burstCount: number;
  burstSpanMs: number;
  rangeReverts: number;
  rangeLabel: string;
}

const times = (n: number) => (n === 1 ? 'once' : n === 2 ? 'twice' : `${n} times`);
const span = (ms: number) => (ms < 90_000 ? `${Math.max(1, Math.round(ms / 1000))} seconds` : `${Math.round(ms / 60_000)} minutes`);

/** Human-readable factor labels (shown in the queue next to the score). Text only, never HTML. */
export const LABELS: Record<FeatureId, (d: FactorDetail) => string> = {
  ipActor: () => 'logged-out (IP) editor',
  tempActor: () => 'temporary account',
  bot: () => 'bot account',
  minor: () => 'marked minor',
  article: () => 'edit to an article',
  ownSpace: () => 'edit in user space',
  blanking: (d) => `blanked ${Math.round(d.blankShare * 100)} % of the page`,
  removal: (d) => `removed ${String(d.removedBytes).replace(/\B(?=(\d{3})+$)/g, ',')} bytes`,
  newPageAnon: () => 'page created by a logged-out editor',
  tinyNewPage: (d) => `new page of only ${d.newPageBytes} bytes`,
  noSummary: () => 'no edit summary',
  profanity: () => 'profanity in the edit summary',
  shouting: () => 'edit summary in capitals',
  repeatedChars: () => 'repeated characters in the edit summary',
  replaced: () => 'replaced the page’s content',
  reverts: () => 'reverts another edit',
  revertedBefore: (d) => `reverted ${times(d.revertCount)} in the last ${d.revertsWithinHour ? 'hour' : '24 hours'}`,
  warned: (d) => (d.finalWarning ? 'received a final warning' : `warned ${times(d.warningCount)} on its talk page`),
  burst: (d) => `${d.burstCount + 1} edits in ${span(d.burstSpanMs)}`,
  rangeReverts: (d) => `${d.rangeReverts} reverts of other editors in ${d.rangeLabel}`,
  blocked: () => 'actor is blocked',
  rangeBlocked: () => 'its range is blocked',
};
