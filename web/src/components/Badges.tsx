import { words } from "../lib/format";

// Status always in words; the colour only repeats it.

const tone: Record<string, string> = {
  AT_RISK: "danger",
  WATCH: "warning",
  HEALTHY: "success",
  HIGH: "danger",
  MEDIUM: "warning",
  LOW: "neutral",
  OPEN: "danger",
  ESCALATED: "danger",
  ACKNOWLEDGED: "warning",
  RESOLVED: "success",
  CLOSED: "neutral",
  // People and notification deliveries (admin pages).
  ACTIVE: "success",
  INVITED: "warning",
  DISABLED: "neutral",
  DELIVERED: "success",
  PENDING: "warning",
  FAILED: "danger",
  CANCELLED: "neutral",
};

export function Badge({ value, label }: { value: string; label?: string }) {
  return <span className={`badge badge--${tone[value] ?? "neutral"}`}>{label ? `${label}: ` : ""}{words(value)}</span>;
}
