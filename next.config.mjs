// Importing the environment validates it: a bad environment fails `next build` and `next start`.
import "./lib/env.js";
import { isHttpsSite, securityHeaders, STRICT_TRANSPORT_SECURITY } from "./lib/auth/security-headers.js";

/** @type {import("next").NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // `.next/standalone/server.js` runs the dashboard from the build folder alone (docs/deploy.md);
  // `peaks serve` keeps running `next start` in the project, where the CLI lives too.
  output: "standalone",
  // Read by path at run time, which file tracing cannot see: every server process applies the
  // pending migrations when it first opens the database, and reads values.yaml from its working
  // folder unless PEAKS_CONFIG names another file.
  outputFileTracingIncludes: { "/**": ["./prisma/migrations/*/migration.sql", "./values.yaml"] },
  // Loaded by Node at run time rather than bundled: native protocol clients and the generated
  // Prisma runtime with its WebAssembly query compiler.
  serverExternalPackages: ["pg", "@prisma/client", "@prisma/adapter-pg", "@electric-sql/pglite", "bcryptjs", "pino", "pino-pretty"],
  typedRoutes: false,
  // Every response, static assets, API and 404s included (the proxy does not see static files or
  // the API). `next build` writes these rules into its manifest: NEXTAUTH_URL counts as it is at
  // build time here, which is why pages also get HSTS from the proxy, decided per request.
  async headers() {
    return [
      { source: "/:path*", headers: securityHeaders({ isHttps: isHttpsSite() }) },
      {
        // Behind a reverse proxy that ended TLS (its X-Forwarded-Proto is checked per request).
        source: "/:path*",
        has: [{ type: "header", key: "x-forwarded-proto", value: "https(\\s*,.*)?" }],
        headers: [{ key: "Strict-Transport-Security", value: STRICT_TRANSPORT_SECURITY }],
      },
    ];
  },
};

export default nextConfig;
