import { useEffect } from "react";
import { Link, useParams } from "react-router";
import { useQuery } from "urql";
import { AlertPageDocument } from "../generated/graphql";
import { Badge } from "../components/Badges";
import { AlertActions } from "../components/AlertActions";
import { Failure, Loading, NotFound } from "../components/States";
import { dateTime, words } from "../lib/format";

/** `/alerts/<id>`: where a notification's link lands; from here one click to the episode. */
export default function AlertPage() {
  const { alertId = "" } = useParams();
  const [result] = useQuery({ query: AlertPageDocument, variables: { id: alertId } });
  useEffect(() => {
    document.title = "Alert · FeedbackPlatform";
  }, []);
  if (result.error && !result.data) return <Failure error={result.error} what="The alert" />;
  if (!result.data) return <Loading what="the alert" />;
  const alert = result.data.alert;
  if (!alert) return <NotFound what="Alert" />;
  const zone = alert.site.timeZone;
  return (
    <>
      <h1>{words(alert.kind)} alert</h1>
      <div className="card">
        <p>
          <Badge value={alert.severity} label="Severity" /> <Badge value={alert.status} label="Status" />
        </p>
        <p>{alert.evidence}</p>
        <dl className="stats">
          <div><dt>Site</dt><dd>{alert.site.name}</dd></div>
          <div><dt>Raised at</dt><dd>{dateTime(alert.raisedAt, zone)}</dd></div>
          <div><dt>Escalated</dt><dd>{alert.escalatedAt ? dateTime(alert.escalatedAt, zone) : "No"}</dd></div>
          <div><dt>Session</dt><dd>{alert.sessionNumber ?? "—"}</dd></div>
        </dl>
        {alert.episode && (
          <p>
            <Link to={`/episodes/${alert.episode.id}`}>Open the episode</Link>
          </p>
        )}
        <AlertActions alert={alert} />
      </div>
    </>
  );
}
