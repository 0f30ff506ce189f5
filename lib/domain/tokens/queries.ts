// Reading one's own API tokens, newest first, keyset-paged on (createdAt, id).
import type { Actor } from "../../auth/actor.ts";
import { db } from "../../db/client.ts";
import type { ApiTokenListQuery } from "../../validation/tokens.ts";
import { decodeTimeCursor, encodeTimeCursor, type Page } from "../paging.ts";
import { API_TOKEN_SELECT, toApiTokenDto, type ApiTokenDto } from "./dto.ts";
import { apiTokenScope } from "./scope.ts";

export async function listApiTokens(actor: Actor, query: ApiTokenListQuery): Promise<Page<ApiTokenDto>> {
  const scope = apiTokenScope(actor);
  const after = query.cursor ? decodeTimeCursor(query.cursor) : null;
  const rows = await db().apiToken.findMany({
    where: {
      ...scope,
      ...(after
        ? {
            OR: [{ createdAt: { lt: after.at } }, { createdAt: after.at, id: { lt: after.id } }],
          }
        : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: query.limit + 1,
    select: API_TOKEN_SELECT,
  });
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  const now = new Date();
  return {
    items: page.map((row) => toApiTokenDto(row, now)),
    nextCursor: rows.length > query.limit && last ? encodeTimeCursor(last.createdAt, last.id) : null,
  };
}
