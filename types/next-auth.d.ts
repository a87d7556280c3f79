import type { Role } from "@/lib/auth/roles";

declare module "next-auth" {
  // Module augmentation needs interfaces.
  interface Session {
    user: { id: number; email: string; name: string | null; role: Role };
  }
  interface User {
    role?: Role;
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    userId?: number;
    role?: Role;
    /** The user's session version when the token was issued (see lib/auth/session.ts). */
    sessionVersion?: number;
  }
}
