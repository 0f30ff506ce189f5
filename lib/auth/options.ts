// next-auth configuration: Credentials sign-in, JWT session carrying the user id, role, organization
// and session version. Every request re-checks the user in the database (see session.ts).
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { requireAuthSecret } from "../env.ts";
import { attemptSignIn } from "../domain/users/authentication.ts";
import { clientIp } from "../domain/users/client-ip.ts";
import { endSessions } from "../domain/users/sessions.ts";
import { SignInSchema } from "../validation/sign-in.ts";

const SESSION_MAX_AGE_S = 12 * 60 * 60;

export const authOptions: NextAuthOptions = {
  // Read when a request needs it, so building the app needs no secret.
  get secret() {
    return requireAuthSecret();
  },
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_S },
  pages: { signIn: "/login", error: "/login" },
  providers: [
    CredentialsProvider({
      name: "Email and password",
      credentials: {
        email: { label: "Email", type: "email" },
        password: { label: "Password", type: "password" },
      },
      async authorize(credentials, req) {
        const parsed = SignInSchema.safeParse(credentials ?? {});
        if (!parsed.success) return null;
        // Counted against the account and the client address (the route answers 429 over the limit).
        const outcome = await attemptSignIn({
          email: parsed.data.email,
          password: parsed.data.password,
          ip: clientIp(req?.headers ?? {}),
        });
        // The route turns this error into 429 with Retry-After.
        if (outcome.kind === "rate-limited") throw new Error("RateLimited");
        if (outcome.kind !== "signed-in") return null;
        const { actor } = outcome;
        return {
          id: actor.userId,
          email: actor.email,
          name: actor.name,
          role: actor.role,
          organizationId: actor.organizationId,
          sessionVersion: actor.sessionVersion,
        };
      },
    }),
  ],
  events: {
    // Sign-out ends every session of the user (README Decision 29): the cookie alone proves nothing after it.
    async signOut({ token }) {
      if (token?.sub && typeof token.sessionVersion === "number") {
        await endSessions({ userId: token.sub, sessionVersion: token.sessionVersion });
      }
    },
  },
  callbacks: {
    jwt({ token, user }) {
      if (user) {
        token.sub = user.id;
        token.role = user.role;
        token.organizationId = user.organizationId;
        token.sessionVersion = user.sessionVersion;
      }
      return token;
    },
    session({ session, token }) {
      return {
        ...session,
        user: {
          id: token.sub ?? "",
          name: session.user?.name ?? null,
          email: session.user?.email ?? null,
          role: token.role,
          organizationId: token.organizationId ?? null,
          sessionVersion: token.sessionVersion,
        },
      };
    },
  },
};
