import { Client, cacheExchange, fetchExchange, subscriptionExchange } from "urql";
import { createClient as createSseClient } from "graphql-sse";

// The one GraphQL client: the platform's own endpoint with the session cookie, urql's document cache (a mutation
// refetches the queries that showed its types), and subscriptions over the platform's SSE transport, which speaks
// graphql-sse's distinct-connections mode (one POST per subscription, GraphQL/ServerSentEvents.cs).

type Unauthenticated = () => void;
let onUnauthenticated: Unauthenticated = () => {};

/** Called when the platform answers 401 (the session ended or was never there): back to sign-in. */
export function whenUnauthenticated(handler: Unauthenticated): void {
  onUnauthenticated = handler;
}

const watchedFetch: typeof fetch = async (input, init) => {
  const response = await fetch(input, { ...init, credentials: "same-origin" });
  if (response.status === 401) onUnauthenticated();
  return response;
};

const sse = createSseClient({
  url: "/graphql",
  singleConnection: false,
  credentials: "same-origin",
  fetchFn: watchedFetch,
  retryAttempts: 1000,
  retry: async (retries) => new Promise((resolve) => setTimeout(resolve, Math.min(30_000, 1000 * 2 ** Math.min(retries, 5)))),
});

export const client = new Client({
  url: "/graphql",
  requestPolicy: "cache-and-network",
  preferGetMethod: false,
  fetch: watchedFetch,
  fetchOptions: { headers: { Accept: "application/graphql-response+json, application/json" } },
  exchanges: [
    cacheExchange,
    fetchExchange,
    subscriptionExchange({
      enableAllOperations: false,
      forwardSubscription(request) {
        const input = { ...request, query: request.query ?? "" };
        return {
          subscribe(sink) {
            const unsubscribe = sse.subscribe(input, sink);
            return { unsubscribe };
          },
        };
      },
    }),
  ],
});
