import path from 'node:path';

/** Where prisma/ lives at run time (the project root by default). */
export function prismaDir(): string {
  return path.resolve(/*turbopackIgnore: true*/ process.env.MASKPATROL_PRISMA_DIR ?? 'prisma');
}
