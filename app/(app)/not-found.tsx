import Link from "next/link";
import { EmptyState } from "@/components/ui/empty-state";
import { buttonClasses } from "@/components/ui/button";

export default function NotFound() {
  return (
    <EmptyState
      level={1}
      title="Not found"
      action={
        <Link href="/" className={buttonClasses("secondary")}>
          Go to your start page
        </Link>
      }
    >
      There is nothing at this address that you can open. Check the link, or start again from your start page.
    </EmptyState>
  );
}
