// Erasing a client's free text cannot be undone: the admin types the client id a second time, and only an exact
// match (spaces around it aside) lets the button act.

export function erasureConfirmed(clientId: string, confirmation: string): boolean {
  const id = clientId.trim();
  return id.length > 0 && confirmation.trim() === id;
}
