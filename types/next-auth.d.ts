import type { Role } from "@/lib/auth/actor";

declare module "next-auth" {
  interface User {
    id: string;
    role: Role;
    organizationId: string | null;
    sessionVersion: number;
  }
  interface Session {
    user: {
      id: string;
      name: string | null;
      email: string | null;
      role: Role;
      organizationId: string | null;
      sessionVersion: number;
    };
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    role: Role;
    organizationId: string | null;
    sessionVersion: number;
  }
}
