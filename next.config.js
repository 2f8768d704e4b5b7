// @ts-check
/** @type {import('next').NextConfig} */
const nextConfig = {
  // Native / WebAssembly / worker-using packages must stay outside the bundle.
  serverExternalPackages: [
    '@electric-sql/pglite',
    'pglite-prisma-adapter',
    '@node-rs/argon2',
    'pino',
    'pg',
    '@prisma/adapter-pg',
    '@prisma/client',
  ],
  // forbidden() / forbidden.tsx for authenticated users without permission (403, never 401).
  experimental: { authInterrupts: true },
  poweredByHeader: false,
  reactStrictMode: true,
  typescript: { ignoreBuildErrors: false },
};

export default nextConfig;
