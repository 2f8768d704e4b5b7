import 'server-only';
import { forbidden } from 'next/navigation';
import { ForbiddenError } from '@/lib/errors';

/** For entity pages: a query's ForbiddenError (entity only on wikis the viewer does not patrol) → the 403 page. */
export async function orForbidden<T>(p: Promise<T>): Promise<T> {
  let result: T;
  try {
    result = await p;
  } catch (err) {
    if (err instanceof ForbiddenError) forbidden();
    throw err;
  }
  return result;
}

/** A dynamic route segment as the query wants it (percent-decoded once; a stray % is kept as is). */
export function segment(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
