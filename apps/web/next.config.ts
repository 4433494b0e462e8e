import path from "node:path";
import type { NextConfig } from "next";

const production = process.env.NODE_ENV === "production";

// Next.js inlines its bootstrap scripts, so scripts need 'unsafe-inline'; 'unsafe-eval' only in
// development (React's dev tooling). No third-party origin is ever loaded.
const contentSecurityPolicy = [
  "default-src 'self'",
  `script-src 'self' 'unsafe-inline'${production ? "" : " 'unsafe-eval'"}`,
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

const securityHeaders = [
  { key: "Content-Security-Policy", value: contentSecurityPolicy },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Referrer-Policy", value: "same-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
  // Browsers honour it over HTTPS only; harmless over plain HTTP.
  { key: "Strict-Transport-Security", value: "max-age=31536000" },
];

const nextConfig: NextConfig = {
  // Separate build directories let several builds of the app coexist (parallel e2e runs).
  distDir: process.env.NEXT_DIST_DIR ?? ".next",
  // The Docker image runs Next's standalone server (only the files it needs); `next start`
  // (npm run demo, the tests) keeps the regular output.
  ...(process.env.NEXT_OUTPUT === "standalone" && { output: "standalone" as const }),
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders }];
  },
  // Workspace packages export TypeScript source.
  transpilePackages: [
    "@mirrordeck/config",
    "@mirrordeck/contracts",
    "@mirrordeck/db",
    "@mirrordeck/failover",
    "@mirrordeck/kafka",
    "@mirrordeck/mm2",
    "@mirrordeck/mm2-interchange",
    "@mirrordeck/replication",
    "@mirrordeck/security",
  ],
  // Loaded once from node_modules, not bundled into every route (prom-client: every API route
  // counts its requests, so it would otherwise be in each route's bundle and its cold start).
  serverExternalPackages: [
    "kafkajs",
    "@node-rs/crc32",
    "pg",
    "@prisma/adapter-pg",
    "ioredis",
    "bullmq",
    "prom-client",
  ],
  turbopack: { root: path.resolve(import.meta.dirname, "../..") },
  outputFileTracingRoot: path.resolve(import.meta.dirname, "../.."),
  // `npm test` runs tsc and biome over the whole repo; the build need not do it twice.
  typescript: { ignoreBuildErrors: true },
  poweredByHeader: false,
  reactStrictMode: true,
};

export default nextConfig;
