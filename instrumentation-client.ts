import { z } from "zod";

// zod probes once, on the first object it validates, whether it may compile faster validators
// with `new Function("")`. The pages' Content-Security-Policy has no 'unsafe-eval' (see
// lib/auth/security-headers.js), so the browser refuses the probe and reports a violation on
// every page. Without that compiled fast path zod validates the same, a little slower.
// This file runs in the browser before the application's own code (a Next.js convention).
z.config({ jitless: true });
