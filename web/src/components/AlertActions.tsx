import { useId, useState, type FormEvent } from "react";
import { useMutation } from "urql";
import { AcknowledgeAlertDocument, ResolveAlertDocument, type AlertRowFragment } from "../generated/graphql";
import { byField, refusalsOf } from "../lib/errors";
import { parseNote } from "../lib/forms";

/** Acknowledge (optional note) and resolve (note required) an alert; the answer updates every list at once (document cache). */
export function AlertActions({ alert, compact = false, onWorked }: { alert: AlertRowFragment; compact?: boolean; onWorked?(alert: AlertRowFragment): void }) {
  const [open, setOpen] = useState<"acknowledge" | "resolve" | null>(null);
  const [note, setNote] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [ackState, acknowledge] = useMutation(AcknowledgeAlertDocument);
  const [resolveState, resolve] = useMutation(ResolveAlertDocument);
  const noteId = useId();
  const busy = ackState.fetching || resolveState.fetching;

  if (alert.status === "RESOLVED") return <span className="muted">Resolved</span>;

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    if (open === "resolve") {
      const parsed = parseNote(note, "A note saying why it is resolved");
      if (!parsed.ok) return setError(parsed.message);
      const answer = await resolve({ input: { alertId: alert.id, note: parsed.value } }, { additionalTypenames: ["Alert", "Episode"] });
      if (answer.error) return setError(byField(refusalsOf(answer.error)).get("note") ?? refusalsOf(answer.error).map((r) => r.message).join(" "));
      if (answer.data) onWorked?.(answer.data.resolveAlert);
    } else {
      const text = note.trim();
      const answer = await acknowledge({ input: { alertId: alert.id, note: text || null } }, { additionalTypenames: ["Alert", "Episode"] });
      if (answer.error) return setError(refusalsOf(answer.error).map((r) => r.message).join(" "));
      if (answer.data) onWorked?.(answer.data.acknowledgeAlert);
    }
    setOpen(null);
    setNote("");
  }

  if (!open) {
    return (
      <div className="actions">
        {alert.status !== "ACKNOWLEDGED" && (
          <button type="button" className="button button--secondary" onClick={() => setOpen("acknowledge")} aria-label={compact ? `Acknowledge this ${alert.kind.toLowerCase().replaceAll("_", " ")} alert` : undefined}>
            Acknowledge
          </button>
        )}
        <button type="button" className="button button--secondary" onClick={() => setOpen("resolve")} aria-label={compact ? `Resolve this ${alert.kind.toLowerCase().replaceAll("_", " ")} alert` : undefined}>
          Resolve
        </button>
      </div>
    );
  }

  return (
    <form className="form" onSubmit={submit} noValidate>
      <div className="field">
        <label htmlFor={noteId}>{open === "resolve" ? "Resolution note (required)" : "Note (optional)"}</label>
        <textarea id={noteId} value={note} onChange={(e) => setNote(e.target.value)} rows={2} aria-invalid={error ? true : undefined} aria-describedby={error ? `${noteId}-error` : undefined} />
        {error && (
          <p id={`${noteId}-error`} className="field-error">
            {error}
          </p>
        )}
      </div>
      <div className="actions">
        <button type="submit" className="button" disabled={busy}>
          {open === "resolve" ? "Resolve alert" : "Acknowledge alert"}
        </button>
        <button type="button" className="button button--secondary" onClick={() => { setOpen(null); setError(null); }}>
          Cancel
        </button>
      </div>
    </form>
  );
}
