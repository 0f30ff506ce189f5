// The one permission table: role -> what it may do. Code asks `can(actor, p)` / `assertCan(actor, p)`.
import { forbidden } from "../errors.ts";
import type { Actor } from "./actor.ts";

export const PERMISSIONS = [
  "incident:read",
  "timeline:write",
  "organization:write",
  "indicator:write",
  "finding:write",
  "interchange:import",
  "interchange:export",
  "notification:move",
  "notification:acknowledge",
  "sighting:report",
  "dashboard:read",
  "audit:read",
  "portal:read",
  "user:manage",
  "token:manage-own",
] as const;

export type Permission = (typeof PERMISSIONS)[number];

const TABLE: Record<Actor["role"], readonly Permission[]> = {
  admin: [
    "incident:read",
    "timeline:write",
    "organization:write",
    "indicator:write",
    "finding:write",
    "interchange:import",
    "interchange:export",
    "notification:move",
    "sighting:report",
    "dashboard:read",
    "audit:read",
    "user:manage",
    "token:manage-own",
  ],
  responder: [
    "incident:read",
    "timeline:write",
    "organization:write",
    "indicator:write",
    "finding:write",
    "interchange:import",
    "interchange:export",
    "notification:move",
    "sighting:report",
    "dashboard:read",
    "audit:read",
    "token:manage-own",
  ],
  executive: ["incident:read", "dashboard:read", "audit:read", "interchange:export", "token:manage-own"],
  agency: ["portal:read", "notification:acknowledge", "sighting:report"],
};

const DESCRIPTIONS: Record<Permission, string> = {
  "incident:read": "read incidents",
  "timeline:write": "change the timeline",
  "organization:write": "change affected organizations",
  "indicator:write": "change indicators",
  "finding:write": "change findings",
  "interchange:import": "import data",
  "interchange:export": "export data",
  "notification:move": "record notification moves",
  "notification:acknowledge": "acknowledge notifications",
  "sighting:report": "report sightings of indicators",
  "dashboard:read": "read the executive dashboard",
  "audit:read": "read the audit trail",
  "portal:read": "use the agency portal",
  "user:manage": "manage users",
  "token:manage-own": "manage API tokens",
};

/** Permissions a read-only API token keeps. */
const READ_ONLY: ReadonlySet<Permission> = new Set([
  "incident:read",
  "dashboard:read",
  "audit:read",
  "portal:read",
  "interchange:export",
]);

export function permissionsOf(actor: Pick<Actor, "role" | "readOnly">): readonly Permission[] {
  const all = TABLE[actor.role];
  return actor.readOnly ? all.filter((p) => READ_ONLY.has(p)) : all;
}

export function can(actor: Pick<Actor, "role" | "readOnly">, permission: Permission): boolean {
  return permissionsOf(actor).includes(permission);
}

export function assertCan(actor: Pick<Actor, "role" | "readOnly">, permission: Permission): void {
  if (!can(actor, permission)) throw forbidden(DESCRIPTIONS[permission]);
}
