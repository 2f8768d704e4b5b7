import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from '@playwright/test';

/** The corpus (e2e/corpus/xss.txt): every payload with its number; "N" in a payload becomes that number. */
export function loadCorpus(file = path.resolve('e2e/corpus/xss.txt')): { n: number; text: string }[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .map((line, i) => ({ n: i + 1, raw: line }))
    .filter(({ raw }) => raw.length > 0 && !raw.startsWith('# '))
    .map(({ n, raw }) => ({ n, text: raw.replace(/N/g, String(n)) }));
}

/**
 * What the XSS detector saw in a browser context: sentinel calls (a payload that ran calls window.__xss(n)),
 * dialogs (alert/confirm/prompt), and Content-Security-Policy violations (a payload that reached an executable
 * context and was stopped by the CSP — unsafe rendering even if nothing ran).
 */
export interface XssFindings {
  executed: number[];
  dialogs: string[];
  violations: string[];
}

export async function armDetector(context: BrowserContext): Promise<XssFindings> {
  const f: XssFindings = { executed: [], dialogs: [], violations: [] };
  await context.exposeFunction('__xss', (n: unknown) => void f.executed.push(Number(n)));
  await context.exposeFunction('__cspViolation', (s: unknown) => void f.violations.push(String(s)));
  await context.addInitScript(() => {
    document.addEventListener(
      'securitypolicyviolation',
      (e) =>
        (window as unknown as { __cspViolation(s: string): void }).__cspViolation(
          `${e.violatedDirective} blocked=${e.blockedURI} sample=${e.sample} at ${e.sourceFile}:${e.lineNumber}:${e.columnNumber} on ${location.pathname}`,
        ),
      true,
    );
  });
  // every page the context opens (context.newPage() included)
  context.on('page', (p) => watchDialogs(p, f));
  return f;
}

function watchDialogs(page: Page, f: XssFindings): void {
  page.on('dialog', (d) => {
    f.dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss().catch(() => {});
  });
}
