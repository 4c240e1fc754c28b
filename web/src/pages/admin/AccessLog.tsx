import { useEffect, useState, type FormEvent } from "react";
import { Link } from "react-router";
import { useQuery } from "urql";
import { AccessLogDocument, PeopleDocument } from "../../generated/graphql";
import { Field } from "../../components/Field";
import { Empty, Failure, Loading } from "../../components/States";
import { byField, refusalsOf } from "../../lib/errors";
import { dateTime } from "../../lib/format";

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Admins: who read which episode's data, newest first; never what they read. */
export default function AccessLogPage() {
  const [episodeText, setEpisodeText] = useState("");
  const [subjectText, setSubjectText] = useState("");
  const [filter, setFilter] = useState<{ episodeId: string | null; subject: string | null }>({ episodeId: null, subject: null });
  const [episodeError, setEpisodeError] = useState<string | null>(null);
  const [result] = useQuery({ query: AccessLogDocument, variables: { ...filter, first: 200 }, requestPolicy: "network-only" });
  // Names of the people behind the subjects (person:<id>), so the log says who.
  const [people] = useQuery({ query: PeopleDocument, variables: { first: 200 } });
  const names = new Map((people.data?.people.nodes ?? []).map((p) => [p.id, p.displayName]));
  const refusals = byField(refusalsOf(result.error));
  useEffect(() => {
    document.title = "Access log · FeedbackPlatform";
  }, []);

  function apply(event: FormEvent) {
    event.preventDefault();
    const episodeId = episodeText.trim();
    if (episodeId && !uuid.test(episodeId)) return setEpisodeError("An episode id is a UUID, e.g. 6f1c2a52-4b44-4c55-9a51-0c1b0de1a003.");
    setEpisodeError(null);
    setFilter({ episodeId: episodeId || null, subject: subjectText.trim() || null });
  }

  return (
    <>
      <h1>Access log</h1>
      <p className="muted">Every read of an episode's data: who, which episode, which operation, when (UTC). It cannot be changed or deleted.</p>
      <form className="filters" aria-label="Filter the access log" onSubmit={apply} noValidate>
        <Field label="Episode id" value={episodeText} onChange={setEpisodeText} error={episodeError ?? refusals.get("episodeId")} />
        <Field label="Subject" hint="e.g. person:<id> or api-key:<id>" value={subjectText} onChange={setSubjectText} error={refusals.get("subject")} />
        <button type="submit" className="button">
          Show
        </button>
      </form>
      {result.error && !result.data ? (
        <Failure error={result.error} what="The access log" />
      ) : !result.data ? (
        <Loading what="the access log" />
      ) : result.data.accessLog.length === 0 ? (
        <Empty>No read matches.</Empty>
      ) : (
        <div className="table-wrap">
          <table>
            <caption>Reads, newest first (the latest 200)</caption>
            <thead>
              <tr>
                <th scope="col">At</th>
                <th scope="col">Who</th>
                <th scope="col">Role</th>
                <th scope="col">Episode</th>
                <th scope="col">Operation</th>
              </tr>
            </thead>
            <tbody>
              {result.data.accessLog.map((r) => (
                <tr key={r.id}>
                  <td>{dateTime(r.at, "UTC")}</td>
                  <td>
                    {r.personId && names.has(r.personId) ? `${names.get(r.personId)} ` : ""}
                    <span className="code">{r.subject}</span>
                  </td>
                  <td>{r.role}</td>
                  <td>
                    <Link to={`/episodes/${r.episodeId}`}>
                      <span className="code">{r.episodeId}</span>
                    </Link>
                  </td>
                  <td>{r.operation}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
