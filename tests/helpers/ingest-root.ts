import path from 'node:path';

/** The repository root (tests run from anywhere). */
export const ROOT = path.resolve(import.meta.dirname, '../..');
