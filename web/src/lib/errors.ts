import type { CombinedError } from "@urql/core";

/** One refusal of the API: its code (extensions.code), the input field it names (extensions.field) and its message. */
export interface Refusal {
  code: string;
  field: string | null;
  message: string;
}

export function refusalsOf(error: CombinedError | undefined): Refusal[] {
  if (!error) return [];
  if (error.graphQLErrors.length === 0)
    return [{ code: "NETWORK", field: null, message: error.networkError ? "The platform could not be reached; try again." : error.message }];
  return error.graphQLErrors.map((e) => ({
    code: typeof e.extensions?.["code"] === "string" ? e.extensions["code"] : "ERROR",
    field: typeof e.extensions?.["field"] === "string" ? e.extensions["field"] : null,
    message: e.message,
  }));
}

/** Refusals by the field they name ("" for those naming none), so each is shown next to its field. */
export function byField(refusals: Refusal[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const r of refusals) {
    const key = r.field ?? "";
    map.set(key, map.has(key) ? `${map.get(key)} ${r.message}` : r.message);
  }
  return map;
}

/** The one message for a refusal no field of the form shows. */
export function unplaced(fields: Map<string, string>, shown: readonly string[]): string | null {
  const rest = [...fields.entries()].filter(([f]) => !shown.includes(f)).map(([, m]) => m);
  return rest.length ? rest.join(" ") : null;
}

export function isNotFound(error: CombinedError | undefined): boolean {
  return refusalsOf(error).some((r) => r.code === "NOT_FOUND");
}
