import { useId, useState, type FormEvent } from "react";
import { useMutation } from "urql";
import {
  CloseEpisodeDocument,
  NoteRuptureDocument,
  RecordGoalAgreementDocument,
  RecordSessionDocument,
  ReviseGoalDocument,
  SubmitAllianceInventoryDocument,
  SubmitOutcomeRatingDocument,
  SubmitSessionRatingDocument,
  type EpisodeClosure,
  type EpisodeDetailFragment,
} from "../generated/graphql";
import { RatingForm } from "./RatingForm";
import { byField, refusalsOf, unplaced } from "../lib/errors";
import { parseAllianceItems, parseNote } from "../lib/forms";
import { isoToLocalInput, localInputToIso, words } from "../lib/format";

const srsItems = [
  { field: "relationship", label: "Relationship" },
  { field: "goalsAndTopics", label: "Goals and topics" },
  { field: "approachOrMethod", label: "Approach or method" },
  { field: "overall", label: "Overall" },
] as const;

const orsItems = [
  { field: "individual", label: "Individually" },
  { field: "interpersonal", label: "Interpersonally" },
  { field: "social", label: "Socially" },
  { field: "overall", label: "Overall" },
] as const;

// The WAI-SR's twelve statements, in the instrument's order (Hatcher & Gillaspy 2006), answered on the client's behalf.
const waiStatements = [
  "As a result of these sessions I am clearer as to how I might be able to change.",
  "What I am doing in therapy gives me new ways of looking at my problem.",
  "I believe my therapist likes me.",
  "My therapist and I collaborate on setting goals for my therapy.",
  "My therapist and I respect each other.",
  "My therapist and I are working towards mutually agreed upon goals.",
  "I feel that my therapist appreciates me.",
  "My therapist and I agree on what is important for me to work on.",
  "I feel my therapist cares about me even when I do things that he/she does not approve of.",
  "I feel that the things I do in therapy will help me to accomplish the changes that I want.",
  "My therapist and I have established a good understanding of the kind of changes that would be good for me.",
  "I believe the way we are working with my problem is correct.",
];
const waiAnswers = ["1 seldom", "2 sometimes", "3 fairly often", "4 very often", "5 always"];

/** What the episode's clinician records on the client's behalf. Every refusal of the API is shown on the field it names. */
export function EpisodeTreatment({ episode }: { episode: EpisodeDetailFragment }) {
  const [, submitSrs] = useMutation(SubmitSessionRatingDocument);
  const [, submitOrs] = useMutation(SubmitOutcomeRatingDocument);
  const sessions = episode.sessions.filter((s) => !s.cancelled).map((s) => ({ id: s.id, number: s.number }));
  return (
    <section aria-labelledby="treatment-heading">
      <h2 id="treatment-heading">Record for this episode</h2>
      <div className="grid">
        <div className="card">
          <RecordSession episodeId={episode.id} />
        </div>
        {sessions.length > 0 && (
          <>
            <div className="card">
              <RatingForm title="SRS" items={srsItems} sessions={sessions} submitLabel="Save SRS"
                onSubmit={(sessionId, v) => submitSrs({ input: { episodeId: episode.id, sessionId, relationship: v["relationship"]!, goalsAndTopics: v["goalsAndTopics"]!, approachOrMethod: v["approachOrMethod"]!, overall: v["overall"]! } })} />
            </div>
            <div className="card">
              <RatingForm title="ORS" items={orsItems} sessions={sessions} submitLabel="Save ORS"
                onSubmit={(sessionId, v) => submitOrs({ input: { episodeId: episode.id, sessionId, individual: v["individual"]!, interpersonal: v["interpersonal"]!, social: v["social"]!, overall: v["overall"]! } })} />
            </div>
            <div className="card card--wide">
              <AllianceInventoryForm episodeId={episode.id} sessions={sessions} />
            </div>
          </>
        )}
        <div className="card">
          <GoalForm episodeId={episode.id} goals={episode.goals} />
        </div>
        <div className="card">
          <RuptureForm episodeId={episode.id} sessions={sessions} />
        </div>
        <div className="card">
          <CloseForm episodeId={episode.id} />
        </div>
      </div>
    </section>
  );
}

function useFormErrors() {
  const [errors, setErrors] = useState<Map<string, string>>(new Map());
  const [saved, setSaved] = useState<string | null>(null);
  return { errors, setErrors, saved, setSaved };
}

function Message({ errors, shown, saved }: { errors: Map<string, string>; shown: string[]; saved: string | null }) {
  const general = unplaced(errors, shown);
  return (
    <>
      {general && <p className="notice notice--error" role="alert">{general}</p>}
      {saved && <p className="notice notice--success" role="status">{saved}</p>}
    </>
  );
}

function ErrorText({ id, errors, field }: { id: string; errors: Map<string, string>; field: string }) {
  const message = errors.get(field);
  return message ? <p id={`${id}-error`} className="field-error">{message}</p> : null;
}

function invalid(errors: Map<string, string>, field: string, id: string) {
  return errors.has(field) ? { "aria-invalid": true as const, "aria-describedby": `${id}-error` } : {};
}

function RecordSession({ episodeId }: { episodeId: string }) {
  const id = useId();
  const [heldAt, setHeldAt] = useState(() => isoToLocalInput(new Date()));
  // Left as it was filled in, it means "now" (to the second: a session of an episode opened this minute is after its opening).
  const [edited, setEdited] = useState(false);
  const { errors, setErrors, saved, setSaved } = useFormErrors();
  const [state, record] = useMutation(RecordSessionDocument);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSaved(null);
    const iso = edited ? localInputToIso(heldAt) : new Date().toISOString();
    if (!iso) return setErrors(new Map([["heldAt", "Enter the date and time the session was held."]]));
    const answer = await record({ input: { episodeId, sessionId: crypto.randomUUID(), heldAt: iso } });
    if (answer.error) return setErrors(byField(refusalsOf(answer.error)));
    setErrors(new Map());
    setSaved("Session recorded.");
    setHeldAt(isoToLocalInput(new Date()));
    setEdited(false);
  }

  return (
    <form className="form" onSubmit={submit} noValidate>
      <h3>Record a session</h3>
      <div className="field">
        <label htmlFor={id}>Held at (your local time)</label>
        <input id={id} type="datetime-local" value={heldAt} onChange={(e) => { setHeldAt(e.target.value); setEdited(true); }} {...invalid(errors, "heldAt", id)} />
        <ErrorText id={id} errors={errors} field="heldAt" />
      </div>
      <Message errors={errors} shown={["heldAt"]} saved={saved} />
      <button type="submit" className="button" disabled={state.fetching}>Record session</button>
    </form>
  );
}

function AllianceInventoryForm({ episodeId, sessions }: { episodeId: string; sessions: { id: string; number: number }[] }) {
  const id = useId();
  const [sessionId, setSessionId] = useState(sessions.at(-1)?.id ?? "");
  const [answers, setAnswers] = useState<string[]>(() => waiStatements.map(() => ""));
  const { errors, setErrors, saved, setSaved } = useFormErrors();
  const [state, submitWai] = useMutation(SubmitAllianceInventoryDocument);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSaved(null);
    const parsed = parseAllianceItems(answers);
    if (!parsed.ok) return setErrors(new Map([[parsed.field ?? "items", parsed.message]]));
    const answer = await submitWai({ input: { episodeId, sessionId, items: parsed.value } });
    if (answer.error) return setErrors(byField(refusalsOf(answer.error)));
    setErrors(new Map());
    setSaved("WAI-SR saved.");
    setAnswers(waiStatements.map(() => ""));
  }

  const shown = ["sessionId", "items", ...waiStatements.map((_, i) => `items[${i}]`)];
  return (
    <form className="form form--wide" onSubmit={submit} noValidate>
      <fieldset>
        <legend>WAI-SR</legend>
        <div className="field">
          <label htmlFor={`${id}-session`}>Session</label>
          <select id={`${id}-session`} value={sessionId} onChange={(e) => setSessionId(e.target.value)} {...invalid(errors, "sessionId", `${id}-session`)}>
            {sessions.map((s) => <option key={s.id} value={s.id}>Session {s.number}</option>)}
          </select>
          <ErrorText id={`${id}-session`} errors={errors} field="sessionId" />
        </div>
        <ErrorText id={`${id}-items`} errors={errors} field="items" />
        <div className="wai-items">
          {waiStatements.map((statement, i) => {
            const itemId = `${id}-item-${i}`;
            return (
              <div className="field" key={i}>
                <label htmlFor={itemId}>{i + 1}. {statement}</label>
                <select id={itemId} value={answers[i]} onChange={(e) => setAnswers((a) => a.map((old, j) => (j === i ? e.target.value : old)))} {...invalid(errors, `items[${i}]`, itemId)}>
                  <option value="">Not answered</option>
                  {waiAnswers.map((text, v) => <option key={v} value={String(v + 1)}>{text}</option>)}
                </select>
                <ErrorText id={itemId} errors={errors} field={`items[${i}]`} />
              </div>
            );
          })}
        </div>
        <Message errors={errors} shown={shown} saved={saved} />
        <button type="submit" className="button" disabled={state.fetching}>Save WAI-SR</button>
      </fieldset>
    </form>
  );
}

function GoalForm({ episodeId, goals }: { episodeId: string; goals: EpisodeDetailFragment["goals"] }) {
  const id = useId();
  const [goalId, setGoalId] = useState("");
  const [description, setDescription] = useState("");
  const [byClient, setByClient] = useState(true);
  const [byTherapist, setByTherapist] = useState(true);
  const { errors, setErrors, saved, setSaved } = useFormErrors();
  const [recordState, recordGoal] = useMutation(RecordGoalAgreementDocument);
  const [reviseState, revise] = useMutation(ReviseGoalDocument);

  function choose(value: string) {
    setGoalId(value);
    const goal = goals.find((g) => g.id === value);
    setDescription(goal?.description ?? "");
    setByClient(goal?.agreedByClient ?? true);
    setByTherapist(goal?.agreedByTherapist ?? true);
    setErrors(new Map());
    setSaved(null);
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSaved(null);
    const parsed = parseNote(description, "The goal");
    if (!parsed.ok) return setErrors(new Map([["description", parsed.message]]));
    const input = { episodeId, goalId: goalId || crypto.randomUUID(), description: parsed.value, agreedByClient: byClient, agreedByTherapist: byTherapist };
    const answer = goalId ? await revise({ input }) : await recordGoal({ input });
    if (answer.error) return setErrors(byField(refusalsOf(answer.error)));
    setErrors(new Map());
    setSaved(goalId ? "Goal revised." : "Goal recorded.");
    if (!goalId) setDescription("");
  }

  return (
    <form className="form" onSubmit={submit} noValidate>
      <h3>Goals</h3>
      <div className="field">
        <label htmlFor={`${id}-goal`}>Goal</label>
        <select id={`${id}-goal`} value={goalId} onChange={(e) => choose(e.target.value)}>
          <option value="">A new goal</option>
          {goals.map((g, i) => <option key={g.id} value={g.id}>Goal {i + 1}{g.agreed ? " (agreed)" : ""}</option>)}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-description`}>Description</label>
        <textarea id={`${id}-description`} rows={2} value={description} onChange={(e) => setDescription(e.target.value)} {...invalid(errors, "description", `${id}-description`)} />
        <ErrorText id={`${id}-description`} errors={errors} field="description" />
      </div>
      <label className="checkbox"><input type="checkbox" checked={byClient} onChange={(e) => setByClient(e.target.checked)} /> Agreed by the client</label>
      <label className="checkbox"><input type="checkbox" checked={byTherapist} onChange={(e) => setByTherapist(e.target.checked)} /> Agreed by the therapist</label>
      <Message errors={errors} shown={["description"]} saved={saved} />
      <button type="submit" className="button" disabled={recordState.fetching || reviseState.fetching}>{goalId ? "Revise goal" : "Record goal"}</button>
    </form>
  );
}

function RuptureForm({ episodeId, sessions }: { episodeId: string; sessions: { id: string; number: number }[] }) {
  const id = useId();
  const [sessionId, setSessionId] = useState("");
  const [note, setNote] = useState("");
  const { errors, setErrors, saved, setSaved } = useFormErrors();
  const [state, noteRupture] = useMutation(NoteRuptureDocument);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSaved(null);
    const parsed = parseNote(note, "The note");
    if (!parsed.ok) return setErrors(new Map([["note", parsed.message]]));
    const answer = await noteRupture({ input: { episodeId, sessionId: sessionId || null, note: parsed.value } });
    if (answer.error) return setErrors(byField(refusalsOf(answer.error)));
    setErrors(new Map());
    setSaved("Rupture noted.");
    setNote("");
  }

  return (
    <form className="form" onSubmit={submit} noValidate>
      <h3>Note a rupture</h3>
      <div className="field">
        <label htmlFor={`${id}-session`}>Session</label>
        <select id={`${id}-session`} value={sessionId} onChange={(e) => setSessionId(e.target.value)}>
          <option value="">Not tied to a session</option>
          {sessions.map((s) => <option key={s.id} value={s.id}>Session {s.number}</option>)}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-note`}>What you observed</label>
        <textarea id={`${id}-note`} rows={3} value={note} onChange={(e) => setNote(e.target.value)} {...invalid(errors, "note", `${id}-note`)} />
        <ErrorText id={`${id}-note`} errors={errors} field="note" />
      </div>
      <Message errors={errors} shown={["note"]} saved={saved} />
      <button type="submit" className="button" disabled={state.fetching}>Note rupture</button>
    </form>
  );
}

const closures: EpisodeClosure[] = ["PLANNED", "DROPOUT", "REFERRED", "OTHER"];

function CloseForm({ episodeId }: { episodeId: string }) {
  const id = useId();
  const [reason, setReason] = useState<EpisodeClosure | "">("");
  const [confirm, setConfirm] = useState(false);
  const { errors, setErrors, saved, setSaved } = useFormErrors();
  const [state, close] = useMutation(CloseEpisodeDocument);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!reason) return setErrors(new Map([["reason", "Choose how the episode ended."]]));
    if (!confirm) return setErrors(new Map([["confirm", "Tick the box: a closed episode takes no further facts."]]));
    const answer = await close({ input: { episodeId, reason } });
    if (answer.error) return setErrors(byField(refusalsOf(answer.error)));
    setErrors(new Map());
    setSaved("Episode closed.");
  }

  return (
    <form className="form" onSubmit={submit} noValidate>
      <h3>Close the episode</h3>
      <div className="field">
        <label htmlFor={`${id}-reason`}>How it ended</label>
        <select id={`${id}-reason`} value={reason} onChange={(e) => setReason(e.target.value as EpisodeClosure | "")} {...invalid(errors, "reason", `${id}-reason`)}>
          <option value="">Choose…</option>
          {closures.map((c) => <option key={c} value={c}>{words(c)}</option>)}
        </select>
        <ErrorText id={`${id}-reason`} errors={errors} field="reason" />
      </div>
      <label className="checkbox"><input type="checkbox" checked={confirm} onChange={(e) => setConfirm(e.target.checked)} {...invalid(errors, "confirm", `${id}-confirm`)} /> No further sessions or ratings will be taken</label>
      <ErrorText id={`${id}-confirm`} errors={errors} field="confirm" />
      <Message errors={errors} shown={["reason", "confirm"]} saved={saved} />
      <button type="submit" className="button" disabled={state.fetching}>Close episode</button>
    </form>
  );
}
