// Ending sessions: signing out moves the user's session version on, so every JWT issued before (this
// browser's, a copied cookie, another device's) is refused on its next request.
import { db } from "../../db/client.ts";

/**
 * Called by next-auth's sign-out event with the claims of the session being ended. A token whose
 * version is already stale changes nothing, so an old cookie cannot sign a fresh session out.
 */
export async function endSessions(claims: { userId: string; sessionVersion: number }): Promise<boolean> {
  const updated = await db().user.updateMany({
    where: { id: claims.userId, sessionVersion: claims.sessionVersion },
    data: { sessionVersion: { increment: 1 } },
  });
  return updated.count > 0;
}
