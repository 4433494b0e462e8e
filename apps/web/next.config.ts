import path from "node:path";
import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Workspace packages export TypeScript source.
  transpilePackages: [
    "@mirrordeck/config",
    "@mirrordeck/contracts",
    "@mirrordeck/db",
    "@mirrordeck/kafka",
    "@mirrordeck/security",
  ],
  serverExternalPackages: ["kafkajs", "pg", "@prisma/adapter-pg", "ioredis"],
  turbopack: { root: path.resolve(import.meta.dirname, "../..") },
  outputFileTracingRoot: path.resolve(import.meta.dirname, "../.."),
  // `npm test` runs tsc and biome over the whole repo; the build need not do it twice.
  typescript: { ignoreBuildErrors: true },
  poweredByHeader: false,
  reactStrictMode: true,
};

export default nextConfig;
