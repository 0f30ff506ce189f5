// A user signed in with a temporary password may do one thing: choose a new one. Pure (no database), so
// the route wrapper and the page guard can both ask it.
import { AppError } from "../../errors.ts";
import type { Actor } from "../../auth/actor.ts";

/** The page where the new password is chosen, and the one API route it posts to. */
export const PASSWORD_CHANGE_PAGE = "/account/password";
export const PASSWORD_CHANGE_API = "/api/v1/account/password";

export const passwordChangeRequired = () =>
  new AppError(
    "password_change_required",
    "Choose a new password first: your password was set by an administrator. Open /account/password.",
    403,
  );

/** Throws 403 password_change_required for every API path but the password change itself. */
export function assertNoPendingPasswordChange(
  actor: Pick<Actor, "mustChangePassword">,
  pathname: string,
): void {
  if (actor.mustChangePassword && pathname.replace(/\/+$/, "") !== PASSWORD_CHANGE_API) {
    throw passwordChangeRequired();
  }
}
