// Reading users for admins: the list (keyset on email, which is unique), one user, and the
// organizations an agency user may be bound to.
import { z } from "zod";
import type { Actor } from "../../auth/actor.ts";
import { assertCan } from "../../auth/permissions.ts";
import { db } from "../../db/client.ts";
import type { Prisma } from "../../db/generated/client.ts";
import { AppError, notFound } from "../../errors.ts";
import type { Tx } from "../tx.ts";
import type { BindableOrganization, UserDto, UserPage } from "./dto.ts";
import type { UserListQuery } from "./validation.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const USER_DTO_SELECT = {
  id: true,
  email: true,
  name: true,
  role: true,
  disabledAt: true,
  mustChangePassword: true,
  lastSignInAt: true,
  createdAt: true,
  updatedAt: true,
  organization: {
    select: { id: true, name: true, incident: { select: { id: true, slug: true, name: true } } },
  },
} as const satisfies Prisma.UserSelect;

type UserRow = Prisma.UserGetPayload<{ select: typeof USER_DTO_SELECT }>;

export function toUserDto(row: UserRow): UserDto {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    organization: row.organization,
    disabled: row.disabledAt !== null,
    disabledAt: row.disabledAt?.toISOString() ?? null,
    mustChangePassword: row.mustChangePassword,
    lastSignInAt: row.lastSignInAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

const CursorSchema = z.tuple([z.literal("u"), z.string().min(1)]);

function encodeCursor(email: string): string {
  return Buffer.from(JSON.stringify(["u", email])).toString("base64url");
}

function decodeCursor(cursor: string): string {
  try {
    return CursorSchema.parse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")))[1];
  } catch {
    throw new AppError(
      "invalid_cursor",
      "cursor is not valid: pass the nextCursor of a previous page unchanged.",
      400,
      [{ field: "cursor", message: "not a cursor this API issued" }],
    );
  }
}

/** Users ordered by email, filtered by role, status and a substring of email or name. */
export async function listUsers(actor: Actor, query: UserListQuery): Promise<UserPage> {
  assertCan(actor, "user:manage");
  const where: Prisma.UserWhereInput = {
    ...(query.role ? { role: query.role } : {}),
    ...(query.status === "enabled" ? { disabledAt: null } : {}),
    ...(query.status === "disabled" ? { disabledAt: { not: null } } : {}),
    ...(query.q
      ? {
          OR: [
            { email: { contains: query.q, mode: "insensitive" } },
            { name: { contains: query.q, mode: "insensitive" } },
          ],
        }
      : {}),
    ...(query.cursor ? { email: { gt: decodeCursor(query.cursor) } } : {}),
  };
  const rows = await db().user.findMany({
    where,
    orderBy: { email: "asc" },
    take: query.limit + 1,
    select: USER_DTO_SELECT,
  });
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: page.map(toUserDto),
    nextCursor: rows.length > query.limit && last ? encodeCursor(last.email) : null,
  };
}

export async function readUserDto(tx: Tx, id: string): Promise<UserDto | null> {
  if (!UUID.test(id)) return null;
  const row = await tx.user.findUnique({ where: { id: id.toLowerCase() }, select: USER_DTO_SELECT });
  return row ? toUserDto(row) : null;
}

export async function getUser(actor: Actor, id: string): Promise<UserDto> {
  assertCan(actor, "user:manage");
  const user = await readUserDto(db(), id);
  if (!user) throw notFound("The user");
  return user;
}

/** Every affected organization of every incident, for the agency binding picker. */
export async function listBindableOrganizations(actor: Actor): Promise<BindableOrganization[]> {
  assertCan(actor, "user:manage");
  const rows = await db().affectedOrganization.findMany({
    orderBy: [{ incident: { name: "asc" } }, { name: "asc" }],
    select: { id: true, name: true, incident: { select: { slug: true, name: true } } },
  });
  return rows;
}
