import { dateTimeAttribute, formatDating, type Dating } from "@/lib/time/format";

/** A precision-aware date in a <time> element; calendar facts never get a time of day. */
export function EventDate({ dating, timeZone }: { dating: Dating; timeZone: string }) {
  return <time dateTime={dateTimeAttribute(dating)}>{formatDating(dating, timeZone)}</time>;
}
