import type { Metadata } from "next";
import Link from "next/link";
import { NotificationOverview } from "@/components/organizations/notification-overview";
import { OrganizationsTable } from "@/components/organizations/organizations-table";
import { RegimeForm } from "@/components/organizations/regime-form";
import { buttonClasses } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { FilterProblem } from "@/components/ui/filter-problem";
import { FilterInput, FilterSelect } from "@/components/ui/filter-field";
import { can } from "@/lib/auth/permissions";
import { requireUser } from "@/lib/auth/session";
import { findIncident } from "@/lib/domain/incidents/queries";
import { getNotificationOverview, listOrganizations } from "@/lib/domain/organizations/queries";
import { NOTIFICATION_STATES, ORGANIZATION_KINDS } from "@/lib/domain/vocabulary";
import { checkPageFilters, firstParam, loadOr404, type SearchParams } from "@/lib/http/page";
import { OrganizationListQuerySchema } from "@/lib/validation/organizations";

export const metadata: Metadata = { title: "Affected organizations" };

const DEADLINES = ["on time", "at risk", "overdue", "met", "missed"] as const;
const SORTS = [
  ["name", "Name"],
  ["state", "State"],
  ["deadline", "Deadline"],
  ["-lastMove", "Latest move first"],
] as const;

export default async function OrganizationsPage({
  params,
  searchParams,
}: {
  params: Promise<{ incidentId: string }>;
  searchParams: Promise<SearchParams>;
}) {
  const actor = await requireUser();
  const { incidentId } = await params;
  const raw = await searchParams;
  const incident = await loadOr404(() => findIncident(actor, incidentId));
  const requested = {
    state: firstParam(raw.state),
    kind: firstParam(raw.kind),
    deadline: firstParam(raw.deadline),
    q: firstParam(raw.q),
    sort: firstParam(raw.sort),
  };
  const { filters, problem } = checkPageFilters(requested, OrganizationListQuerySchema);
  const [page, overview] = await Promise.all([
    listOrganizations(actor, incident.id, OrganizationListQuerySchema.parse({ ...filters, limit: "500" })),
    getNotificationOverview(actor, incident.id),
  ]);
  const filtered = Boolean(filters.state || filters.kind || filters.deadline || filters.q);
  const canWrite = can(actor, "notification:move");

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-baseline justify-between gap-3">
        <h1 className="text-lg font-semibold">Affected organizations</h1>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          {Object.entries(overview.byState)
            .filter(([, count]) => count > 0)
            .map(([state, count]) => `${count} ${state}`)
            .join(" · ")}
        </p>
      </div>

      <NotificationOverview overview={overview} />

      <Card aria-labelledby="regime-heading">
        <CardHeader
          id="regime-heading"
          title={`Notification deadline: ${incident.notificationDeadlineHours} hours`}
          description="Each organization's clock starts when it was determined to be affected; under 24 hours left is at risk."
          actions={
            canWrite ? (
              <RegimeForm
                incident={incident.slug}
                hours={incident.notificationDeadlineHours}
                version={incident.version}
              />
            ) : null
          }
        />
      </Card>

      <form
        method="get"
        aria-label="Filter organizations"
        className="grid items-end gap-3 sm:grid-cols-2 lg:grid-cols-6"
      >
        <FilterSelect
          label="State"
          name="state"
          defaultValue={filters.state ?? ""}
          options={NOTIFICATION_STATES}
          empty="Any state"
        />
        <FilterSelect
          label="Kind"
          name="kind"
          defaultValue={filters.kind ?? ""}
          options={ORGANIZATION_KINDS.map(([value, label]) => ({ value, label }))}
          empty="Any kind"
        />
        <FilterSelect
          label="Deadline"
          name="deadline"
          defaultValue={filters.deadline ?? ""}
          options={DEADLINES}
          empty="Any"
        />
        <FilterInput
          label="Search"
          type="search"
          name="q"
          defaultValue={filters.q ?? ""}
          placeholder="Name, sector or country"
        />
        <FilterSelect
          label="Sort"
          name="sort"
          defaultValue={filters.sort ?? "name"}
          options={SORTS.map(([value, label]) => ({ value, label }))}
        />
        <div className="flex gap-2">
          <button type="submit" className={buttonClasses("primary")}>
            Apply
          </button>
          <Link href={`/incidents/${incident.slug}/organizations`} className={buttonClasses("secondary")}>
            Reset
          </Link>
        </div>
      </form>
      <FilterProblem problem={problem} />

      <OrganizationsTable
        incident={incident.slug}
        organizations={page.items}
        canWrite={canWrite}
        filtered={filtered}
      />
    </div>
  );
}
