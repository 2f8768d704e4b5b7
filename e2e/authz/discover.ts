import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * The app's real endpoints, read from the filesystem (not from the declarations): every app/**\/page.tsx,
 * every HTTP method a route.ts exports, and every export of a 'use server' module under app/ (the
 * actions.ts files). Private folders (_lib) are not routes; route groups "(x)" do not appear in the path.
 * Keys are in the format of lib/auth/endpoints.ts.
 */
export interface Endpoint {
  key: string;
  kind: 'page' | 'route' | 'action';
  /** page and route: the URL pattern; action: the module file */
  pattern: string;
  method: string;
  file: string;
  exportName?: string;
}

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
const SOURCE = /\.(tsx?|jsx?)$/;

function walk(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (!e.name.startsWith('_') && !e.name.startsWith('@')) walk(p, out);
    } else if (SOURCE.test(e.name)) out.push(p);
  }
  return out;
}

function urlPattern(appDir: string, file: string): string {
  const segs = path
    .relative(appDir, path.dirname(file))
    .split(path.sep)
    .filter((s) => s && !/^\(.*\)$/.test(s));
  return `/${segs.join('/')}`;
}

/** Names a module exports (export const/function/class, export { a as b }). */
export function exportedNames(source: string, file = 'x.ts'): { names: string[]; useServer: boolean } {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true);
  const names: string[] = [];
  const exported = (n: ts.Node) => ts.canHaveModifiers(n) && (ts.getModifiers(n) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
  for (const st of sf.statements) {
    if (ts.isVariableStatement(st) && exported(st)) {
      for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name)) names.push(d.name.text);
    } else if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st)) && exported(st) && st.name) {
      names.push(st.name.text);
    } else if (ts.isExportDeclaration(st) && !st.isTypeOnly && st.exportClause && ts.isNamedExports(st.exportClause)) {
      for (const el of st.exportClause.elements) if (!el.isTypeOnly) names.push(el.name.text);
    }
  }
  const first = sf.statements[0];
  const useServer = !!first && ts.isExpressionStatement(first) && ts.isStringLiteral(first.expression) && first.expression.text === 'use server';
  return { names, useServer };
}

export function discoverEndpoints(root = process.cwd()): Endpoint[] {
  const appDir = path.join(root, 'app');
  const out: Endpoint[] = [];
  for (const file of walk(appDir)) {
    const rel = path.relative(root, file).split(path.sep).join('/');
    const base = path.basename(file).replace(SOURCE, '');
    const src = fs.readFileSync(file, 'utf8');
    if (base === 'page') {
      const pattern = urlPattern(appDir, file);
      out.push({ key: `page ${pattern}`, kind: 'page', pattern, method: 'GET', file: rel });
      continue;
    }
    const { names, useServer } = exportedNames(src, file);
    if (base === 'route') {
      const pattern = urlPattern(appDir, file);
      for (const m of names.filter((n) => METHODS.includes(n))) out.push({ key: `${m} ${pattern}`, kind: 'route', pattern, method: m, file: rel });
    } else if (useServer) {
      for (const n of names) out.push({ key: `action ${rel}#${n}`, kind: 'action', pattern: rel, method: 'POST', file: rel, exportName: n });
    }
  }
  return out.sort((a, b) => a.key.localeCompare(b.key));
}

/** A request path for a pattern: the declaration's own path, else "sample" in every dynamic segment. */
export function samplePath(pattern: string, declared?: string): string {
  if (declared) return declared;
  return pattern
    .split('/')
    .map((s) => (/^\[\[?\.\.\./.test(s) ? 'sample/path' : /^\[.+\]$/.test(s) ? 'sample' : s))
    .join('/');
}

interface ManifestEntry {
  workers: Record<string, unknown>;
  filename?: string;
  exportedName?: string;
}

/**
 * Server-action ids from the build's server-reference manifest (.next/server/server-reference-manifest.json):
 * id, and a page that loads the action (where a browser posts it, with the Next-Action header).
 */
export function actionIds(root = process.cwd()): Map<string, { id: string; page: string }> {
  const file = path.join(root, '.next', 'server', 'server-reference-manifest.json');
  const m = JSON.parse(fs.readFileSync(file, 'utf8')) as { node: Record<string, ManifestEntry> };
  const out = new Map<string, { id: string; page: string }>();
  for (const [id, e] of Object.entries(m.node)) {
    if (!e.filename || !e.exportedName) continue;
    const worker = Object.keys(e.workers).find((w) => w.startsWith('app/') && w.endsWith('/page')) ?? Object.keys(e.workers)[0];
    if (!worker) continue;
    const pattern = `/${worker.replace(/^app\//, '').replace(/\/?page$/, '')}`.replace(/\/\([^)]*\)/g, '');
    out.set(`action ${e.filename}#${e.exportedName}`, { id, page: samplePath(pattern === '/' ? '/' : pattern) });
  }
  return out;
}
