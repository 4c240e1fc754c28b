/**
 * The buttons under a cursor-paged list. `cursors` are the end cursors of the pages walked through so far (the last
 * one is where the page shown starts), so going back is dropping the last one.
 */
export function Pager({
  cursors,
  onChange,
  pageInfo,
  previous = "Previous page",
  next = "Next page",
}: {
  cursors: string[];
  onChange: (update: (cursors: string[]) => string[]) => void;
  pageInfo: { hasNextPage: boolean; endCursor?: string | null } | undefined;
  previous?: string;
  next?: string;
}) {
  const end = pageInfo?.hasNextPage ? pageInfo.endCursor : null;
  return (
    <div className="actions">
      {cursors.length > 0 && (
        <button type="button" className="button button--secondary" onClick={() => onChange((c) => c.slice(0, -1))}>
          {previous}
        </button>
      )}
      {end && (
        <button type="button" className="button button--secondary" onClick={() => onChange((c) => [...c, end])}>
          {next}
        </button>
      )}
    </div>
  );
}
