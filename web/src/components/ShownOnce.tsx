/** A secret the API answers only once (an invitation link, an API key, a webhook secret): shown with that warning. */
export function ShownOnce({ title, value, children }: { title: string; value: string; children?: React.ReactNode }) {
  return (
    <div className="notice notice--success" role="status">
      <p>
        <strong>{title}</strong> Shown only now: copy it and keep it safe; it cannot be shown again.
      </p>
      <p className="code" data-testid="shown-once">
        {value}
      </p>
      {children}
    </div>
  );
}
