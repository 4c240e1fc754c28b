// The client's page (`/f/<token>`): the numbers of a visual analogue line, the page's own words, and the two calls
// it makes. The token is sent in the body, never in an API URL, so no request log or referrer can carry it.

/** A mark on a line `width` pixels long, `x` pixels from its left end: 0.0 to 10.0, to one decimal. */
export function valueAt(x: number, width: number): number {
  if (!(width > 0) || !Number.isFinite(x)) return 0;
  const raw = (x / width) * 10;
  return Math.round(Math.min(10, Math.max(0, raw)) * 10) / 10;
}

/** The value after a key on the line: arrows by 0.1, page keys by 1.0, Home and End to the ends; null for other keys. */
export function stepped(value: number | null, key: string): number | null {
  const base = value ?? 0;
  const by: Record<string, number> = { ArrowRight: 0.1, ArrowUp: 0.1, ArrowLeft: -0.1, ArrowDown: -0.1, PageUp: 1, PageDown: -1 };
  if (key === "Home") return 0;
  if (key === "End") return 10;
  const step = by[key];
  if (step === undefined) return null;
  // Tenths as integers, so 0.1 + 0.2 is 0.3 and never 0.30000000000000004.
  return Math.min(100, Math.max(0, Math.round(base * 10) + Math.round(step * 10))) / 10;
}

export type Instrument = "SRS" | "ORS";

export interface FormItem {
  key: string;
  label: string;
  low: string | null;
  high: string | null;
}

export interface FormInstrument {
  instrument: Instrument;
  language: string;
  items: FormItem[];
}

export interface Form {
  instruments: FormInstrument[];
  expiresAt: string;
  trajectory: { sessionNumber: number; total: number; submittedAt: string }[] | null;
}

export type Answer<T> = { ok: true; value: T } | { ok: false; unusable: boolean; message: string; field: string | null; retryAfter: number | null };

async function post<T>(url: string, body: unknown): Promise<Answer<T>> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(body),
      credentials: "omit",
      referrerPolicy: "no-referrer",
      cache: "no-store",
    });
  } catch {
    return { ok: false, unusable: false, message: "", field: null, retryAfter: null };
  }
  const text = await response.text();
  let json: Record<string, unknown> = {};
  try {
    json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    json = {};
  }
  if (response.ok) return { ok: true, value: json as T };
  return {
    ok: false,
    unusable: json["code"] === "LINK_UNUSABLE",
    message: typeof json["detail"] === "string" ? json["detail"] : "",
    field: typeof json["field"] === "string" ? json["field"] : null,
    retryAfter: response.status === 429 ? Number(response.headers.get("Retry-After") ?? "60") : null,
  };
}

export const loadForm = (token: string) => post<Form>("/client-feedback/form", { token });

export const submitMarks = (token: string, instrument: Instrument, items: Record<string, number>) =>
  post<{ submitted: Instrument; pending: Instrument[] }>("/client-feedback/submit", { token, instrument, items });

/** The page's own words (the items' words are the organization's): English and German. */
export interface Chrome {
  lang: string;
  title: Record<Instrument, string>;
  intro: Record<Instrument, string>;
  notMarked: string;
  markHint: string;
  submit: string;
  sending: string;
  markAll: string;
  thanks: string;
  thanksDetail: string;
  unusableTitle: string;
  unusable: string;
  failed: string;
  tooMany: string;
  loading: string;
  trajectory: string;
  session: string;
  step: (n: number, of: number) => string;
}

const english: Chrome = {
  lang: "en",
  title: { SRS: "How was today's session?", ORS: "How have you been doing?" },
  intro: {
    SRS: "Mark each line where it fits best for today's session. Left is low, right is high.",
    ORS: "Looking back over the last week, mark each line where it fits best. Left is low, right is high.",
  },
  notMarked: "not marked yet",
  markHint: "Tap or drag on the line, or use the arrow keys (0.1) and Page Up / Page Down (1.0).",
  submit: "Send my answers",
  sending: "Sending…",
  markAll: "Please mark all four lines.",
  thanks: "Thank you",
  thanksDetail: "Your answers went to your clinician. You can close this page now.",
  unusableTitle: "This link cannot be used",
  unusable: "This link cannot be used. Please ask your clinician for a new one.",
  failed: "Your answers could not be sent. Please try again.",
  tooMany: "Too many attempts. Please wait a minute and try again.",
  loading: "Loading…",
  trajectory: "Your earlier totals",
  session: "Session",
  step: (n, of) => `Part ${n} of ${of}`,
};

const german: Chrome = {
  lang: "de",
  title: { SRS: "Wie war die heutige Sitzung?", ORS: "Wie ist es Ihnen ergangen?" },
  intro: {
    SRS: "Markieren Sie auf jeder Linie, was für die heutige Sitzung am besten passt. Links ist niedrig, rechts hoch.",
    ORS: "Wenn Sie auf die letzte Woche zurückblicken: Markieren Sie auf jeder Linie, was am besten passt. Links ist niedrig, rechts hoch.",
  },
  notMarked: "noch nicht markiert",
  markHint: "Tippen oder ziehen Sie auf der Linie, oder nutzen Sie die Pfeiltasten (0,1) und Bild auf / Bild ab (1,0).",
  submit: "Antworten senden",
  sending: "Wird gesendet…",
  markAll: "Bitte markieren Sie alle vier Linien.",
  thanks: "Vielen Dank",
  thanksDetail: "Ihre Antworten sind bei Ihrer Therapeutin oder Ihrem Therapeuten angekommen. Sie können diese Seite jetzt schließen.",
  unusableTitle: "Dieser Link kann nicht verwendet werden",
  unusable: "Dieser Link kann nicht verwendet werden. Bitte fragen Sie Ihre Therapeutin oder Ihren Therapeuten nach einem neuen.",
  failed: "Ihre Antworten konnten nicht gesendet werden. Bitte versuchen Sie es noch einmal.",
  tooMany: "Zu viele Versuche. Bitte warten Sie eine Minute und versuchen Sie es dann noch einmal.",
  loading: "Wird geladen…",
  trajectory: "Ihre bisherigen Gesamtwerte",
  session: "Sitzung",
  step: (n, of) => `Teil ${n} von ${of}`,
};

const chromes = [english, german];

/** The page's language: the wording's own, when the page speaks it; else the browser's first it speaks; else English. */
export function chromeFor(wordingLanguage: string | null, browserLanguages: readonly string[]): Chrome {
  const primary = (tag: string) => tag.toLowerCase().split("-")[0];
  const wanted = [...(wordingLanguage ? [wordingLanguage] : []), ...browserLanguages];
  for (const tag of wanted) {
    const found = chromes.find((c) => c.lang === primary(tag));
    if (found) return found;
  }
  return english;
}

/** A value as the client reads it, in the page's language (7.5 or 7,5). */
export function shown(value: number, chrome: Chrome): string {
  return value.toLocaleString(chrome.lang, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
}
