// Importing the environment validates it: a bad environment fails `next build` and `next start`.
import "./lib/env.js";

/** @type {import("next").NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Loaded by Node at run time rather than bundled: native protocol clients and the generated
  // Prisma runtime with its WebAssembly query compiler.
  serverExternalPackages: ["pg", "@prisma/client", "@prisma/adapter-pg", "@electric-sql/pglite", "bcryptjs"],
  typedRoutes: false,
};

export default nextConfig;
