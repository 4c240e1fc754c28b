import { useEffect, useState, type FormEvent } from "react";
import { useMutation } from "urql";
import { EraseClientDataDocument } from "../../generated/graphql";
import { Field } from "../../components/Field";
import { Refused } from "../../components/Refused";
import { byField, refusalsOf, unplaced } from "../../lib/errors";
import { erasureConfirmed } from "../../lib/erasure";

/**
 * Admins: erase a client's free text (goal descriptions, rupture notes, alert notes) from the events and every
 * read model. The client id goes in the request body only, never in the address; it is typed twice.
 */
export default function ErasurePage() {
  const [clientId, setClientId] = useState("");
  const [confirmation, setConfirmation] = useState("");
  const [errors, setErrors] = useState<Map<string, string>>(new Map());
  const [done, setDone] = useState<string | null>(null);
  const [state, erase] = useMutation(EraseClientDataDocument);
  const confirmed = erasureConfirmed(clientId, confirmation);
  useEffect(() => {
    document.title = "Erasure · FeedbackPlatform";
  }, []);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setDone(null);
    if (!confirmed) return setErrors(new Map([["confirmation", "Type the same client id again to confirm."]]));
    const answer = await erase({ input: { clientId: clientId.trim() } }, { additionalTypenames: ["Episode", "Goal", "Alert"] });
    if (answer.error) return setErrors(byField(refusalsOf(answer.error)));
    setErrors(new Map());
    const n = answer.data?.eraseClientData.episodesErased ?? 0;
    setDone(`The free text of ${n} episode${n === 1 ? "" : "s"} of this client is erased. Scores, sessions and alerts stay.`);
    setClientId("");
    setConfirmation("");
  }

  return (
    <>
      <h1>Erase a client's free text</h1>
      <div className="notice">
        <p>
          This replaces the client's goal descriptions, rupture notes and alert notes with <strong>[erased]</strong> everywhere, in the stored events too. It
          cannot be undone. Scores, sessions and alerts stay, so the clinic's figures do not change.
        </p>
      </div>
      <form className="form card" onSubmit={submit} noValidate aria-label="Erase a client's free text">
        <Field label="Client id" hint="The clinic's pseudonymous client id." autoComplete="off" value={clientId} onChange={setClientId} error={errors.get("clientId")} required />
        <Field label="Type the client id again to confirm" autoComplete="off" value={confirmation} onChange={setConfirmation} error={errors.get("confirmation")} required />
        <Refused message={unplaced(errors, ["clientId", "confirmation"])} />
        <div className="actions">
          <button type="submit" className="button" disabled={!confirmed || state.fetching}>
            Erase free text
          </button>
        </div>
      </form>
      {done && (
        <p role="status" className="notice notice--success">
          {done}
        </p>
      )}
    </>
  );
}
