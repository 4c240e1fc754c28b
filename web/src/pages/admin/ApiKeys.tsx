import { useEffect, useState, type FormEvent } from "react";
import { useMutation, useQuery } from "urql";
import { MySitesDocument, ApiKeysDocument, CreateApiKeyDocument, RevokeApiKeyDocument, type ApiKeyFieldsFragment, type Role } from "../../generated/graphql";
import { CheckboxGroup } from "../../components/CheckboxGroup";
import { Field } from "../../components/Field";
import { Refused } from "../../components/Refused";
import { SelectField } from "../../components/SelectField";
import { ShownOnce } from "../../components/ShownOnce";
import { Empty, Failure, Loading } from "../../components/States";
import { byField, refusalsOf, unplaced } from "../../lib/errors";
import { dateTime, words } from "../../lib/format";

const keyRoles: Role[] = ["INTEGRATOR", "DIRECTOR", "ADMIN"];
const keys = { additionalTypenames: ["ApiKey"] };

/** Admins: keys for record systems and integrators (the key itself shown once), and revoking them. */
export default function ApiKeysPage() {
  const [created, setCreated] = useState<{ name: string; key: string } | null>(null);
  const [result] = useQuery({ query: ApiKeysDocument, context: keys });
  const [directory] = useQuery({ query: MySitesDocument });
  const sites = directory.data?.organization.sites ?? [];
  useEffect(() => {
    document.title = "API keys · FeedbackPlatform";
  }, []);

  return (
    <>
      <h1>API keys</h1>
      <p className="muted">Times in UTC. A key acts with the role, sites and scope it was made with; send it as <span className="code">Authorization: Bearer fp_…</span>.</p>
      {created && <ShownOnce title={`The key "${created.name}".`} value={created.key} />}
      <CreateKeyForm sites={sites} onCreated={(name, key) => setCreated({ name, key })} />
      <section aria-labelledby="keys-heading">
        <h2 id="keys-heading">Keys of the organization</h2>
        {result.error && !result.data ? (
          <Failure error={result.error} what="The API keys" />
        ) : !result.data ? (
          <Loading what="the API keys" />
        ) : result.data.apiKeys.length === 0 ? (
          <Empty>No API key yet.</Empty>
        ) : (
          <div className="table-wrap">
            <table>
              <caption>API keys, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Role</th>
                  <th scope="col">Sites</th>
                  <th scope="col">Scope</th>
                  <th scope="col">Created</th>
                  <th scope="col">Last used</th>
                  <th scope="col">Status</th>
                  <th scope="col">Revoke</th>
                </tr>
              </thead>
              <tbody>
                {result.data.apiKeys.map((key) => (
                  <KeyRow key={key.id} apiKey={key} siteName={(id) => sites.find((s) => s.id === id)?.name ?? "Unknown site"} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}

function CreateKeyForm({ sites, onCreated }: { sites: { id: string; name: string; active: boolean }[]; onCreated(name: string, key: string): void }) {
  const [name, setName] = useState("");
  const [role, setRole] = useState<string>("INTEGRATOR");
  const [chosen, setChosen] = useState<string[]>([]);
  const [freeText, setFreeText] = useState(false);
  const [errors, setErrors] = useState<Map<string, string>>(new Map());
  const [state, create] = useMutation(CreateApiKeyDocument);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const input = { name: name.trim(), role: role as Role, sites: role === "ADMIN" ? [] : chosen, scope: freeText ? ["free-text"] : [] };
    const answer = await create({ input }, keys);
    if (answer.error) return setErrors(byField(refusalsOf(answer.error)));
    setErrors(new Map());
    if (!answer.data) return;
    onCreated(answer.data.createApiKey.apiKey.name, answer.data.createApiKey.key);
    setName("");
    setChosen([]);
    setFreeText(false);
  }

  return (
    <section aria-labelledby="create-key-heading" className="card">
      <h2 id="create-key-heading">Make a key</h2>
      <form className="form" onSubmit={submit} noValidate>
        <Field label="Key name" hint="What the key is for, e.g. the record system's name." value={name} onChange={setName} error={errors.get("name")} required />
        <SelectField label="Key role" value={role} onChange={setRole} options={keyRoles.map((r) => [r, words(r)])} error={errors.get("role")} />
        {role !== "ADMIN" && (
          <CheckboxGroup legend="Key sites" options={sites.filter((s) => s.active).map((s) => [s.id, s.name])} chosen={chosen} onChange={setChosen} error={errors.get("sites")} hint="None: every site." />
        )}
        <label className="checkbox">
          <input type="checkbox" checked={freeText} onChange={(e) => setFreeText(e.target.checked)} /> May read free text (goal descriptions, rupture and alert notes)
        </label>
        <Refused message={unplaced(errors, ["name", "role", "sites"])} />
        <div className="actions">
          <button type="submit" className="button" disabled={state.fetching}>
            Make key
          </button>
        </div>
      </form>
    </section>
  );
}

function KeyRow({ apiKey, siteName }: { apiKey: ApiKeyFieldsFragment; siteName(id: string): string }) {
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [state, revoke] = useMutation(RevokeApiKeyDocument);

  async function confirm() {
    setError(null);
    const answer = await revoke({ input: { apiKeyId: apiKey.id } }, keys);
    if (answer.error) return setError(refusalsOf(answer.error).map((r) => r.message).join(" "));
    setConfirming(false);
  }

  return (
    <tr>
      <th scope="row">{apiKey.name}</th>
      <td>{words(apiKey.role)}</td>
      <td>{apiKey.sites.length ? apiKey.sites.map(siteName).join(", ") : "Every site"}</td>
      <td>{apiKey.scope.length ? apiKey.scope.join(", ") : "—"}</td>
      <td>{dateTime(apiKey.createdAt, "UTC")}</td>
      <td>{apiKey.lastUsedAt ? dateTime(apiKey.lastUsedAt, "UTC") : "Never"}</td>
      <td>{apiKey.revokedAt ? <span className="badge badge--neutral">Revoked {dateTime(apiKey.revokedAt, "UTC")}</span> : <span className="badge badge--success">Active</span>}</td>
      <td>
        {apiKey.revokedAt ? (
          "—"
        ) : confirming ? (
          <div className="actions" role="group" aria-label={`Revoke ${apiKey.name}`}>
            <span>Refuse this key from its next request on?</span>
            <button type="button" className="button" onClick={confirm} disabled={state.fetching}>
              Revoke key
            </button>
            <button type="button" className="button button--secondary" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
        ) : (
          <button type="button" className="button button--secondary" onClick={() => setConfirming(true)} aria-label={`Revoke ${apiKey.name}`}>
            Revoke
          </button>
        )}
        <Refused message={error} />
      </td>
    </tr>
  );
}
