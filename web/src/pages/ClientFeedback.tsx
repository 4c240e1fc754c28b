import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent, type PointerEvent } from "react";
import { useParams } from "react-router";
import {
  chromeFor, loadForm, shown, stepped, submitMarks, valueAt,
  type Chrome, type Form, type FormInstrument, type FormItem, type Instrument,
} from "../lib/clientFeedback";

// The client's page: the instrument's four lines, a submit button, a confirmation; nothing else, no way into the
// rest of the app. The link's token stays in this page's memory and goes only into the two calls' bodies.

type State =
  | { phase: "loading" }
  | { phase: "unusable" }
  | { phase: "form"; form: Form; pending: Instrument[] }
  | { phase: "done" };

const browserLanguages = () => (typeof navigator === "undefined" ? [] : [...(navigator.languages ?? [navigator.language])]);

export default function ClientFeedbackPage() {
  const { token = "" } = useParams();
  const [state, setState] = useState<State>({ phase: "loading" });
  const [problem, setProblem] = useState<string | null>(null);
  const wordingLanguage = state.phase === "form" ? (state.form.instruments[0]?.language ?? null) : null;
  const chrome = chromeFor(wordingLanguage, browserLanguages());

  useEffect(() => {
    document.documentElement.lang = chrome.lang;
  }, [chrome.lang]);

  useEffect(() => {
    let current = true;
    void loadForm(token).then((answer) => {
      if (!current) return;
      if (answer.ok) setState({ phase: "form", form: answer.value, pending: answer.value.instruments.map((i) => i.instrument) });
      else if (answer.unusable || answer.retryAfter === null) setState({ phase: "unusable" });
      else setProblem(chromeFor(null, browserLanguages()).tooMany);
    });
    return () => {
      current = false;
    };
  }, [token]);

  return (
    <main className="client-page" id="main">
      {state.phase === "loading" && !problem && <p aria-live="polite">{chrome.loading}</p>}
      {problem && state.phase === "loading" && <p role="alert" className="notice notice--error">{problem}</p>}
      {state.phase === "unusable" && (
        <section className="notice" role="alert">
          <h1>{chrome.unusableTitle}</h1>
          <p>{chrome.unusable}</p>
        </section>
      )}
      {state.phase === "done" && (
        <section className="notice notice--success" role="status">
          <h1>{chrome.thanks}</h1>
          <p>{chrome.thanksDetail}</p>
        </section>
      )}
      {state.phase === "form" && (() => {
        const instrument = state.form.instruments.find((i) => i.instrument === state.pending[0]);
        if (!instrument) return null;
        const total = state.form.instruments.length;
        const part = total - state.pending.length + 1;
        return (
          <InstrumentForm
            key={instrument.instrument}
            instrument={instrument}
            chrome={chrome}
            step={total > 1 ? chrome.step(part, total) : null}
            trajectory={instrument.instrument === "ORS" ? state.form.trajectory : null}
            onSubmit={async (values) => {
              const answer = await submitMarks(token, instrument.instrument, values);
              if (answer.ok) {
                const pending = answer.value.pending;
                setState(pending.length === 0 ? { phase: "done" } : { ...state, pending });
                return null;
              }
              if (answer.unusable) {
                setState({ phase: "unusable" });
                return null;
              }
              if (answer.retryAfter !== null) return { message: chrome.tooMany, field: null };
              return { message: answer.message || chrome.failed, field: answer.field };
            }}
          />
        );
      })()}
    </main>
  );
}

interface InstrumentFormProps {
  instrument: FormInstrument;
  chrome: Chrome;
  step: string | null;
  trajectory: Form["trajectory"];
  onSubmit(values: Record<string, number>): Promise<{ message: string; field: string | null } | null>;
}

function InstrumentForm({ instrument, chrome, step, trajectory, onSubmit }: InstrumentFormProps) {
  const [values, setValues] = useState<(number | null)[]>(() => instrument.items.map(() => null));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ message: string; field: string | null } | null>(null);
  const titleId = useId();

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (values.some((v) => v === null)) {
      setError({ message: chrome.markAll, field: null });
      return;
    }
    setBusy(true);
    setError(null);
    const marks = Object.fromEntries(instrument.items.map((item, i) => [item.key, values[i] as number]));
    const refused = await onSubmit(marks);
    setBusy(false);
    if (refused) setError(refused);
  }

  return (
    <form className="client-form" onSubmit={submit} noValidate aria-labelledby={titleId}>
      {step && <p className="muted">{step}</p>}
      <h1 id={titleId}>{chrome.title[instrument.instrument]}</h1>
      <p>{chrome.intro[instrument.instrument]}</p>
      <p className="muted">{chrome.markHint}</p>
      {instrument.items.map((item, i) => (
        <Line
          key={item.key}
          item={item}
          value={values[i] ?? null}
          chrome={chrome}
          invalid={error?.field === `items.${item.key}` || (error?.field === null && error.message === chrome.markAll && values[i] === null)}
          onChange={(v) => setValues((old) => old.map((o, j) => (j === i ? v : o)))}
        />
      ))}
      {trajectory && trajectory.length > 0 && (
        <section className="client-trajectory">
          <h2>{chrome.trajectory}</h2>
          <ul>
            {trajectory.map((p) => (
              <li key={p.sessionNumber}>
                {chrome.session} {p.sessionNumber}: {shown(p.total, chrome)}
              </li>
            ))}
          </ul>
        </section>
      )}
      <div className="live-region" aria-live="assertive">
        {error && <p className="notice notice--error">{error.message}</p>}
      </div>
      <button type="submit" className="button client-submit" disabled={busy}>
        {busy ? chrome.sending : chrome.submit}
      </button>
    </form>
  );
}

interface LineProps {
  item: FormItem;
  value: number | null;
  chrome: Chrome;
  invalid: boolean;
  onChange(value: number): void;
}

/** One 10 cm visual analogue line (shorter only where the screen is narrower), marked by pointer, touch or keyboard. */
function Line({ item, value, chrome, invalid, onChange }: LineProps) {
  const line = useRef<HTMLDivElement>(null);
  const labelId = useId();
  const endsId = useId();

  function mark(event: PointerEvent<HTMLDivElement>) {
    const box = line.current?.getBoundingClientRect();
    if (box) onChange(valueAt(event.clientX - box.left, box.width));
  }

  function key(event: KeyboardEvent<HTMLDivElement>) {
    const next = stepped(value, event.key);
    if (next === null) return;
    event.preventDefault();
    onChange(next);
  }

  const low = item.low ?? "0";
  const high = item.high ?? "10";
  return (
    <div className="vas">
      <div className="vas-head">
        <span className="vas-label" id={labelId}>{item.label}</span>
        <output className="vas-value" aria-hidden="true">{value === null ? chrome.notMarked : shown(value, chrome)}</output>
      </div>
      <div
        ref={line}
        className="vas-line"
        role="slider"
        tabIndex={0}
        aria-labelledby={labelId}
        aria-describedby={endsId}
        aria-valuemin={0}
        aria-valuemax={10}
        aria-valuenow={value ?? 0}
        aria-valuetext={value === null ? chrome.notMarked : shown(value, chrome)}
        aria-invalid={invalid ? true : undefined}
        data-value={value ?? ""}
        onPointerDown={(e) => {
          e.currentTarget.setPointerCapture(e.pointerId);
          mark(e);
        }}
        onPointerMove={(e) => {
          if (e.currentTarget.hasPointerCapture(e.pointerId)) mark(e);
        }}
        onKeyDown={key}
      >
        <span className="vas-track" />
        {value !== null && <span className="vas-mark" style={{ left: `${value * 10}%` }} />}
      </div>
      <div className="vas-ends" id={endsId}>
        <span>{low}</span>
        <span>{high}</span>
      </div>
    </div>
  );
}
