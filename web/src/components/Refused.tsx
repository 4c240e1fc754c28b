/** A refusal no field of the form shows (or a failed action), announced where the person is working. */
export function Refused({ message }: { message: string | null | undefined }) {
  return message ? (
    <div role="alert" className="notice notice--error">
      <p>{message}</p>
    </div>
  ) : null;
}
