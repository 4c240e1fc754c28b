import { useEffect, useMemo, useState, type FormEvent } from "react";
import { useMutation, useQuery } from "urql";
import {
  MySitesDocument,
  ChangePersonAccessDocument,
  DisablePersonDocument,
  EnablePersonDocument,
  InvitePersonDocument,
  PeopleDocument,
  ResetPersonSignInDocument,
  type MySitesQuery,
  type PersonFieldsFragment,
  type PersonStatus,
  type Role,
} from "../../generated/graphql";
import { Badge } from "../../components/Badges";
import { CheckboxGroup } from "../../components/CheckboxGroup";
import { Field } from "../../components/Field";
import { Refused } from "../../components/Refused";
import { SelectField } from "../../components/SelectField";
import { ShownOnce } from "../../components/ShownOnce";
import { Empty, Failure, Loading } from "../../components/States";
import { byField, refusalsOf, unplaced } from "../../lib/errors";
import { dateTime, words } from "../../lib/format";
import { Pager } from "../../components/Pager";

const roles: Role[] = ["CLINICIAN", "DIRECTOR", "INTEGRATOR", "ADMIN"];
const statuses: PersonStatus[] = ["INVITED", "ACTIVE", "DISABLED"];
const pageSize = 50;
// Mutations of people refetch every list that shows a person.
const people = { additionalTypenames: ["Person"] };

type Sites = MySitesQuery["organization"]["sites"];

/** Admins: who may sign in, with which role and sites; invitations, access changes, disabling and sign-in resets. */
export default function PeoplePage() {
  const [status, setStatus] = useState("");
  const [role, setRole] = useState("");
  const [siteId, setSiteId] = useState("");
  const [cursors, setCursors] = useState<string[]>([]);
  const [link, setLink] = useState<{ title: string; value: string } | null>(null);
  useEffect(() => {
    document.title = "People · FeedbackPlatform";
  }, []);
  const filter = useMemo(
    () => ({ status: (status || null) as PersonStatus | null, role: (role || null) as Role | null, siteId: siteId || null }),
    [status, role, siteId],
  );
  useEffect(() => setCursors([]), [filter]);
  const [directory] = useQuery({ query: MySitesDocument });
  const [result] = useQuery({ query: PeopleDocument, variables: { filter, first: pageSize, after: cursors.at(-1) ?? null }, context: people });
  const sites = directory.data?.organization.sites ?? [];

  return (
    <>
      <h1>People</h1>
      <p className="muted">Times in UTC.</p>
      {link && <ShownOnce title={link.title} value={link.value} />}
      <InviteForm sites={sites} onInvited={(person, invitationLink) => setLink({ title: `Invitation link for ${person.displayName}.`, value: invitationLink })} />
      <section aria-labelledby="people-heading">
        <h2 id="people-heading">Everyone in the organization</h2>
        <form className="filters" aria-label="Filter people" onSubmit={(e) => e.preventDefault()}>
          <SelectField label="Status" value={status} onChange={setStatus} options={statuses.map((s) => [s, words(s)])} none="Every status" />
          <SelectField label="Role" value={role} onChange={setRole} options={roles.map((r) => [r, words(r)])} none="Every role" />
          <SelectField label="Site" value={siteId} onChange={setSiteId} options={sites.map((s) => [s.id, s.name])} none="Every site" />
        </form>
        {result.error && !result.data ? (
          <Failure error={result.error} what="The people" />
        ) : !result.data ? (
          <Loading what="the people" />
        ) : result.data.people.nodes.length === 0 ? (
          <Empty>Nobody matches. Invite someone above.</Empty>
        ) : (
          <div className="table-wrap">
            <table>
              <caption>People, newest invitation first</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">E-mail</th>
                  <th scope="col">Role</th>
                  <th scope="col">Sites</th>
                  <th scope="col">Status</th>
                  <th scope="col">Second factor</th>
                  <th scope="col">Invited</th>
                  <th scope="col">Change</th>
                </tr>
              </thead>
              <tbody>
                {result.data.people.nodes.map((person) => (
                  <PersonRow key={person.id} person={person} sites={sites} onLink={(value) => setLink({ title: `New invitation link for ${person.displayName}.`, value })} />
                ))}
              </tbody>
            </table>
          </div>
        )}
        <Pager cursors={cursors} onChange={setCursors} pageInfo={result.data?.people.pageInfo} />
      </section>
    </>
  );
}

function siteNames(ids: readonly string[], sites: Sites): string {
  if (ids.length === 0) return "—";
  return ids.map((id) => sites.find((s) => s.id === id)?.name ?? "Unknown site").join(", ");
}

/** The role, sites and therapist of a person, as the invitation and an access change take them. */
function AccessFields({ sites, role, setRole, chosen, setChosen, therapistId, setTherapistId, errors }: {
  sites: Sites;
  role: string;
  setRole(v: string): void;
  chosen: string[];
  setChosen(v: string[]): void;
  therapistId: string;
  setTherapistId(v: string): void;
  errors: Map<string, string>;
}) {
  // A clinician is one therapist: of the sites chosen for them.
  const therapists = sites.filter((s) => chosen.includes(s.id)).flatMap((s) => s.therapists.filter((t) => t.active).map((t) => [t.id, `${t.displayName} (${s.name})`] as const));
  return (
    <>
      <SelectField label="Role" value={role} onChange={setRole} options={roles.map((r) => [r, words(r)])} error={errors.get("role")} />
      {role !== "ADMIN" && (
        <CheckboxGroup
          legend="Sites"
          options={sites.filter((s) => s.active).map((s) => [s.id, s.name])}
          chosen={chosen}
          onChange={setChosen}
          error={errors.get("sites")}
          hint={role === "CLINICIAN" ? "The sites where they work." : "The sites whose episodes and figures they see."}
        />
      )}
      {role === "CLINICIAN" && (
        <SelectField
          label="Therapist"
          value={therapistId}
          onChange={setTherapistId}
          options={therapists}
          none="Choose their therapist record"
          error={errors.get("therapistId")}
          hint="A clinician sees the episodes of this therapist only."
        />
      )}
    </>
  );
}

function InviteForm({ sites, onInvited }: { sites: Sites; onInvited(person: PersonFieldsFragment, link: string): void }) {
  const [email, setEmail] = useState("");
  const [displayName, setDisplayName] = useState("");
  const [role, setRole] = useState<string>("DIRECTOR");
  const [chosen, setChosen] = useState<string[]>([]);
  const [therapistId, setTherapistId] = useState("");
  const [errors, setErrors] = useState<Map<string, string>>(new Map());
  const [state, invite] = useMutation(InvitePersonDocument);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const input = {
      email: email.trim(),
      displayName: displayName.trim(),
      role: role as Role,
      sites: role === "ADMIN" ? [] : chosen,
      therapistId: role === "CLINICIAN" && therapistId ? therapistId : null,
    };
    const answer = await invite({ input }, people);
    if (answer.error) return setErrors(byField(refusalsOf(answer.error)));
    setErrors(new Map());
    if (!answer.data) return;
    onInvited(answer.data.invitePerson.person, answer.data.invitePerson.invitationLink);
    setEmail("");
    setDisplayName("");
    setChosen([]);
    setTherapistId("");
  }

  return (
    <section aria-labelledby="invite-heading" className="card">
      <h2 id="invite-heading">Invite a person</h2>
      <form className="form" onSubmit={submit} noValidate>
        <Field label="Email" type="email" autoComplete="off" value={email} onChange={setEmail} error={errors.get("email")} required />
        <Field label="Display name" value={displayName} onChange={setDisplayName} error={errors.get("displayName")} required />
        <AccessFields sites={sites} role={role} setRole={setRole} chosen={chosen} setChosen={setChosen} therapistId={therapistId} setTherapistId={setTherapistId} errors={errors} />
        <Refused message={unplaced(errors, ["email", "displayName", "role", "sites", "therapistId"])} />
        <div className="actions">
          <button type="submit" className="button" disabled={state.fetching}>
            Invite
          </button>
        </div>
      </form>
    </section>
  );
}

function PersonRow({ person, sites, onLink }: { person: PersonFieldsFragment; sites: Sites; onLink(link: string): void }) {
  const [open, setOpen] = useState<"access" | "reset" | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [, disable] = useMutation(DisablePersonDocument);
  const [, enable] = useMutation(EnablePersonDocument);
  const [resetState, reset] = useMutation(ResetPersonSignInDocument);

  async function toggle() {
    setError(null);
    const input = { personId: person.id };
    const answer = person.status === "DISABLED" ? await enable({ input }, people) : await disable({ input }, people);
    if (answer.error) setError(refusalsOf(answer.error).map((r) => r.message).join(" "));
  }

  async function resetSignIn() {
    setError(null);
    const answer = await reset({ input: { personId: person.id } }, people);
    if (answer.error) return setError(refusalsOf(answer.error).map((r) => r.message).join(" "));
    setOpen(null);
    if (answer.data) onLink(answer.data.resetPersonSignIn.invitationLink);
  }

  return (
    <tr data-testid="person-row">
      <th scope="row">{person.displayName}</th>
      <td>{person.email}</td>
      <td>{words(person.role)}</td>
      <td>{siteNames(person.sites, sites)}</td>
      <td>
        <Badge value={person.status} />
      </td>
      <td>{person.secondFactor ? "Enrolled" : "Not enrolled"}</td>
      <td>{dateTime(person.invitedAt, "UTC")}</td>
      <td>
        {open === "access" ? (
          <AccessForm person={person} sites={sites} onDone={() => setOpen(null)} />
        ) : open === "reset" ? (
          <div className="actions" role="group" aria-label={`Reset the sign-in of ${person.displayName}`}>
            <p>Clear the password and second factor of {person.displayName} and end their sessions?</p>
            <button type="button" className="button" onClick={resetSignIn} disabled={resetState.fetching}>
              Reset sign-in
            </button>
            <button type="button" className="button button--secondary" onClick={() => setOpen(null)}>
              Cancel
            </button>
          </div>
        ) : (
          <div className="actions">
            <button type="button" className="button button--secondary" onClick={() => setOpen("access")} aria-label={`Change access of ${person.displayName}`}>
              Change access
            </button>
            <button type="button" className="button button--secondary" onClick={toggle} aria-label={`${person.status === "DISABLED" ? "Enable" : "Disable"} ${person.displayName}`}>
              {person.status === "DISABLED" ? "Enable" : "Disable"}
            </button>
            <button type="button" className="button button--secondary" onClick={() => setOpen("reset")} aria-label={`Reset sign-in of ${person.displayName}`}>
              Reset sign-in
            </button>
          </div>
        )}
        <Refused message={error} />
      </td>
    </tr>
  );
}

function AccessForm({ person, sites, onDone }: { person: PersonFieldsFragment; sites: Sites; onDone(): void }) {
  const [role, setRole] = useState<string>(person.role);
  const [chosen, setChosen] = useState<string[]>([...person.sites]);
  const [therapistId, setTherapistId] = useState(person.therapistId ?? "");
  const [errors, setErrors] = useState<Map<string, string>>(new Map());
  const [state, change] = useMutation(ChangePersonAccessDocument);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const input = {
      personId: person.id,
      role: role as Role,
      sites: role === "ADMIN" ? [] : chosen,
      therapistId: role === "CLINICIAN" && therapistId ? therapistId : null,
    };
    const answer = await change({ input }, people);
    if (answer.error) return setErrors(byField(refusalsOf(answer.error)));
    onDone();
  }

  return (
    <form className="form" onSubmit={submit} noValidate aria-label={`Access of ${person.displayName}`}>
      <AccessFields sites={sites} role={role} setRole={setRole} chosen={chosen} setChosen={setChosen} therapistId={therapistId} setTherapistId={setTherapistId} errors={errors} />
      <Refused message={unplaced(errors, ["role", "sites", "therapistId"])} />
      <p className="muted">Their sessions end when the change is saved.</p>
      <div className="actions">
        <button type="submit" className="button" disabled={state.fetching}>
          Save access
        </button>
        <button type="button" className="button button--secondary" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
