// Who is asking: established once per request from the session or an API token.
export type Role = "admin" | "responder" | "executive" | "agency";

export interface Actor {
  userId: string;
  email: string;
  name: string;
  role: Role;
  /** Agency users only: the organization they are bound to (from the session, never from a request). */
  organizationId: string | null;
  /** True for read-only API tokens. */
  readOnly: boolean;
  /** Set when the request authenticated with an API token (`Authorization: Bearer`): its id. */
  tokenId?: string;
  /** Signed in with a temporary password: every page and API call but changing it is refused. */
  mustChangePassword?: boolean;
}

/** Label written into audit entries. */
export function actorLabel(actor: Pick<Actor, "email" | "role">): string {
  return `${actor.email} (${actor.role})`;
}
