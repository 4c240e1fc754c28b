import { useEffect, useState, type FormEvent } from "react";
import { useMutation, useQuery } from "urql";
import {
  MySitesDocument,
  DeactivateSiteDocument,
  DeactivateTherapistDocument,
  RegisterSiteDocument,
  RegisterTherapistDocument,
  RenameSiteDocument,
  RenameTherapistDocument,
  type MySitesQuery,
} from "../../generated/graphql";
import { Field } from "../../components/Field";
import { Refused } from "../../components/Refused";
import { Empty, Failure, Loading } from "../../components/States";
import { byField, refusalsOf, unplaced } from "../../lib/errors";

type Site = MySitesQuery["organization"]["sites"][number];
type Therapist = Site["therapists"][number];
// Sites and therapists show up in most pages' queries: each change refetches them.
const directory = { additionalTypenames: ["Site", "Therapist", "Organization"] };

/** Admins: the organization's sites (name, time zone) and the therapists of each. */
export default function DirectoryPage() {
  const [result] = useQuery({ query: MySitesDocument, context: directory });
  useEffect(() => {
    document.title = "Sites and therapists · FeedbackPlatform";
  }, []);
  return (
    <>
      <h1>Sites and therapists</h1>
      <RegisterSiteForm />
      {result.error && !result.data ? (
        <Failure error={result.error} what="The sites" />
      ) : !result.data ? (
        <Loading what="the sites" />
      ) : result.data.organization.sites.length === 0 ? (
        <Empty>No site yet: register the first one above.</Empty>
      ) : (
        result.data.organization.sites.map((site) => <SiteCard key={site.id} site={site} />)
      )}
    </>
  );
}

function message(error: Parameters<typeof refusalsOf>[0]): string {
  return refusalsOf(error).map((r) => r.message).join(" ");
}

function RegisterSiteForm() {
  const [name, setName] = useState("");
  const [timeZone, setTimeZone] = useState("");
  const [errors, setErrors] = useState<Map<string, string>>(new Map());
  const [done, setDone] = useState<string | null>(null);
  const [state, register] = useMutation(RegisterSiteDocument);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setDone(null);
    const answer = await register({ input: { siteId: crypto.randomUUID(), name: name.trim(), timeZone: timeZone.trim() || null } }, directory);
    if (answer.error) return setErrors(byField(refusalsOf(answer.error)));
    setErrors(new Map());
    setDone(`${answer.data?.registerSite.name} is registered (times in ${answer.data?.registerSite.timeZone}).`);
    setName("");
    setTimeZone("");
  }

  return (
    <section aria-labelledby="register-site-heading" className="card">
      <h2 id="register-site-heading">Register a site</h2>
      <form className="form" onSubmit={submit} noValidate>
        <Field label="Site name" value={name} onChange={setName} error={errors.get("name")} required />
        <Field label="Time zone" hint="An IANA name such as Europe/Berlin; empty: UTC. Dates and times of the site are shown in it." value={timeZone} onChange={setTimeZone} error={errors.get("timeZone")} />
        <Refused message={unplaced(errors, ["name", "timeZone"])} />
        {done && <p role="status" className="notice notice--success">{done}</p>}
        <div className="actions">
          <button type="submit" className="button" disabled={state.fetching}>
            Register site
          </button>
        </div>
      </form>
    </section>
  );
}

function SiteCard({ site }: { site: Site }) {
  const [renaming, setRenaming] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [, deactivate] = useMutation(DeactivateSiteDocument);
  const [, rename] = useMutation(RenameSiteDocument);
  const headingId = `site-${site.id}`;

  async function confirmDeactivate() {
    const answer = await deactivate({ input: { siteId: site.id } }, directory);
    if (answer.error) return setError(message(answer.error));
    setConfirming(false);
  }

  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>
        {site.name} {site.active ? <span className="badge badge--success">Active</span> : <span className="badge badge--neutral">Deactivated</span>}
      </h2>
      <p className="muted">Time zone {site.timeZone}.</p>
      {renaming ? (
        <RenameForm
          label={`New name of ${site.name}`}
          current={site.name}
          onCancel={() => setRenaming(false)}
          onSave={async (name) => {
            const answer = await rename({ input: { siteId: site.id, name } }, directory);
            if (answer.error) return byField(refusalsOf(answer.error)).get("name") ?? message(answer.error);
            setRenaming(false);
            return null;
          }}
        />
      ) : confirming ? (
        <div className="actions" role="group" aria-label={`Deactivate ${site.name}`}>
          <span>Deactivate {site.name}? It takes no new episodes; its history stays.</span>
          <button type="button" className="button" onClick={confirmDeactivate}>
            Deactivate site
          </button>
          <button type="button" className="button button--secondary" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </div>
      ) : (
        site.active && (
          <div className="actions">
            <button type="button" className="button button--secondary" onClick={() => setRenaming(true)} aria-label={`Rename ${site.name}`}>
              Rename
            </button>
            <button type="button" className="button button--secondary" onClick={() => setConfirming(true)} aria-label={`Deactivate ${site.name}`}>
              Deactivate
            </button>
          </div>
        )
      )}
      <Refused message={error} />
      <h3>Therapists</h3>
      {site.therapists.length === 0 ? (
        <p className="muted">No therapist at this site yet.</p>
      ) : (
        <ul>
          {site.therapists.map((t) => (
            <TherapistItem key={t.id} therapist={t} />
          ))}
        </ul>
      )}
      {site.active && <RegisterTherapistForm site={site} />}
    </section>
  );
}

/** A new name: onSave answers the refusal to show on the field, or null when saved. */
function RenameForm({ label, current, onSave, onCancel }: { label: string; current: string; onSave(name: string): Promise<string | null>; onCancel(): void }) {
  const [name, setName] = useState(current);
  const [error, setError] = useState<string | null>(null);
  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(await onSave(name.trim()));
  }
  return (
    <form className="form" onSubmit={submit} noValidate>
      <Field label={label} value={name} onChange={setName} error={error} required />
      <div className="actions">
        <button type="submit" className="button">
          Save name
        </button>
        <button type="button" className="button button--secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function TherapistItem({ therapist }: { therapist: Therapist }) {
  const [renaming, setRenaming] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [, renameTherapist] = useMutation(RenameTherapistDocument);
  const [, deactivate] = useMutation(DeactivateTherapistDocument);

  async function confirmDeactivate() {
    const answer = await deactivate({ input: { therapistId: therapist.id } }, directory);
    if (answer.error) return setError(message(answer.error));
    setConfirming(false);
  }

  return (
    <li>
      <strong>{therapist.displayName}</strong> {therapist.active ? <span className="badge badge--success">Active</span> : <span className="badge badge--neutral">Deactivated</span>}
      {renaming ? (
        <RenameForm
          label={`New name of ${therapist.displayName}`}
          current={therapist.displayName}
          onCancel={() => setRenaming(false)}
          onSave={async (displayName) => {
            const answer = await renameTherapist({ input: { therapistId: therapist.id, displayName } }, directory);
            if (answer.error) return byField(refusalsOf(answer.error)).get("displayName") ?? message(answer.error);
            setRenaming(false);
            return null;
          }}
        />
      ) : confirming ? (
        <div className="actions" role="group" aria-label={`Deactivate ${therapist.displayName}`}>
          <span>Deactivate {therapist.displayName}? No new episodes; their history stays.</span>
          <button type="button" className="button" onClick={confirmDeactivate}>
            Deactivate therapist
          </button>
          <button type="button" className="button button--secondary" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </div>
      ) : (
        therapist.active && (
          <div className="actions">
            <button type="button" className="button button--secondary" onClick={() => setRenaming(true)} aria-label={`Rename ${therapist.displayName}`}>
              Rename
            </button>
            <button type="button" className="button button--secondary" onClick={() => setConfirming(true)} aria-label={`Deactivate ${therapist.displayName}`}>
              Deactivate
            </button>
          </div>
        )
      )}
      <Refused message={error} />
    </li>
  );
}

function RegisterTherapistForm({ site }: { site: Site }) {
  const [displayName, setDisplayName] = useState("");
  const [errors, setErrors] = useState<Map<string, string>>(new Map());
  const [state, register] = useMutation(RegisterTherapistDocument);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const answer = await register({ input: { therapistId: crypto.randomUUID(), siteId: site.id, displayName: displayName.trim() } }, directory);
    if (answer.error) return setErrors(byField(refusalsOf(answer.error)));
    setErrors(new Map());
    setDisplayName("");
  }

  return (
    <form className="form" onSubmit={submit} noValidate aria-label={`Register a therapist at ${site.name}`}>
      <Field label={`New therapist at ${site.name}`} hint="The name directors and clinicians see." value={displayName} onChange={setDisplayName} error={errors.get("displayName")} required />
      <Refused message={unplaced(errors, ["displayName"])} />
      <div className="actions">
        <button type="submit" className="button" disabled={state.fetching}>
          Register therapist
        </button>
      </div>
    </form>
  );
}
