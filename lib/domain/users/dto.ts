// What the admin screen and GET /api/v1/users answer about a user: never the password hash.
import type { UserRole } from "./vocabulary.ts";

export interface UserDto {
  id: string;
  email: string;
  name: string;
  role: UserRole;
  /** Agency users: the one affected organization they see, with its incident. */
  organization: { id: string; name: string; incident: { id: string; slug: string; name: string } } | null;
  disabled: boolean;
  disabledAt: string | null;
  mustChangePassword: boolean;
  lastSignInAt: string | null;
  createdAt: string;
  /** Send it back with a PATCH: a change made since answers 409. */
  updatedAt: string;
}

export interface UserPage {
  items: UserDto[];
  nextCursor: string | null;
}

/** An affected organization an agency user may be bound to. */
export interface BindableOrganization {
  id: string;
  name: string;
  incident: { slug: string; name: string };
}
