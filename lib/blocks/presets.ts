/**
 * The block form's choices, apart from the zod schemas of ./options.ts so the browser bundle of the block dialog
 * carries no zod: zod v4 probes `Function("")` on first use, which the app's CSP (no 'unsafe-eval') refuses and
 * reports as a violation on every page with a block dialog (found by e2e/ui.proof-xss.spec.ts).
 */
export const REASON_PRESETS = [
  'Vandalism',
  'Spam / advertising',
  'Block evasion',
  'Long-term abuse',
  'Harassment',
  'Open proxy / webhost',
  'Disruptive editing',
] as const;

export const EXPIRY_PRESETS = ['2 hours', '1 day', '31 hours', '1 week', '2 weeks', '1 month', '3 months', '6 months', '1 year', 'indefinite'] as const;
