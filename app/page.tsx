import { redirect } from "next/navigation";
import { findFirstIncidentSlug } from "@/lib/domain/incidents/queries";
import { homePathFor, requireUser } from "@/lib/auth/session";

export const dynamic = "force-dynamic";

export default async function Home() {
  const actor = await requireUser();
  redirect(homePathFor(actor, actor.role === "agency" ? null : await findFirstIncidentSlug(actor)));
}
