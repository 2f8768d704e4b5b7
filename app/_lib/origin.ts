import 'server-only';

export { sameOrigin } from '@/lib/auth/origin';
