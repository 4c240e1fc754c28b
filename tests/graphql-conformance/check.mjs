#!/usr/bin/env node
// Checks a running FeedbackPlatform GraphQL endpoint the way an integrator's tools would:
//  1. every graphql-http server audit (the GraphQL-over-HTTP specification's own suite), one by one;
//  2. introspection, rebuilt and validated by graphql-js.
// usage: [FEEDBACK_TOKEN=<bearer token>] node check.mjs URL
//   -> prints one JSON object on stdout; exit 0 when it ran, 2 on bad usage.
import { serverAudits } from 'graphql-http';
import { assertValidSchema, buildClientSchema, getIntrospectionQuery } from 'graphql';

const url = process.argv[2];
if (!url) {
  process.stderr.write('usage: node check.mjs URL\n');
  process.exit(2);
}
// The platform answers only authenticated callers: every request of the audit carries the token.
const token = process.env.FEEDBACK_TOKEN;
const fetchFn = (input, init = {}) => {
  const headers = new Headers(init.headers);
  if (token) headers.set('authorization', `Bearer ${token}`);
  return fetch(input, { ...init, headers, signal: AbortSignal.timeout(10000) });
};
const levels = { MUST: { ok: 0, total: 0 }, SHOULD: { ok: 0, total: 0 }, MAY: { ok: 0, total: 0 } };
const failures = [];
for (const audit of serverAudits({ url, fetchFn })) {
  const level = ['MUST', 'SHOULD', 'MAY'].find((l) => audit.name.startsWith(`${l} `)) ?? 'MAY';
  levels[level].total++;
  let result;
  try {
    result = await audit.fn();
  } catch (e) {
    result = { status: 'error', reason: String(e) };
  }
  if (result.status === 'ok') levels[level].ok++;
  else failures.push({ id: audit.id, name: audit.name, reason: result.reason });
}

let introspection;
try {
  const response = await fetchFn(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body: JSON.stringify({ query: getIntrospectionQuery() }),
  });
  const body = await response.json();
  const schema = buildClientSchema(body.data);
  assertValidSchema(schema);
  introspection = { valid: true, types: Object.keys(schema.getTypeMap()).filter((n) => !n.startsWith('__')).length };
} catch (e) {
  introspection = { valid: false, error: String(e) };
}
process.stdout.write(JSON.stringify({ levels, failures, introspection }) + '\n');
