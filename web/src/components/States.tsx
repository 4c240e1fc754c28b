import type { CombinedError } from "@urql/core";
import type { ReactNode } from "react";
import { isNotFound, refusalsOf } from "../lib/errors";

/** The loading, empty and error states every page shows in the same words and places. */
export function Loading({ what }: { what: string }) {
  return (
    <p role="status" className="muted">
      Loading {what}…
    </p>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="notice">{children}</p>;
}

export function Failure({ error, what }: { error: CombinedError; what: string }) {
  if (isNotFound(error)) return <NotFound what={what} />;
  const refusals = refusalsOf(error);
  return (
    <div role="alert" className="notice notice--error">
      <p>
        <strong>{what} could not be loaded.</strong> {refusals.map((r) => r.message).join(" ")}
      </p>
    </div>
  );
}

/** What a person sees of something that does not exist or is not theirs to see: the API answers both alike. */
export function NotFound({ what }: { what: string }) {
  return (
    <div role="alert" className="notice notice--error">
      <h1>Not found</h1>
      <p>There is no {what.toLowerCase()} here, or it is not one you may see. Check the link, or go back to your start page.</p>
    </div>
  );
}
