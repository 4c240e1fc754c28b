import { useEffect, useState, type FormEvent } from "react";
import { useMutation, useQuery } from "urql";
import {
  MySitesDocument,
  CreateNotificationSubscriptionDocument,
  NotificationDeliveriesDocument,
  NotificationSubscriptionsDocument,
  RemoveNotificationSubscriptionDocument,
  RetryNotificationDocument,
  type AlertSeverity,
  type DeliveryStatus,
  type DigestMode,
  type NotificationChannel,
  type SubscriptionFieldsFragment,
} from "../../generated/graphql";
import { Badge } from "../../components/Badges";
import { Field } from "../../components/Field";
import { Refused } from "../../components/Refused";
import { SelectField } from "../../components/SelectField";
import { ShownOnce } from "../../components/ShownOnce";
import { Empty, Failure, Loading } from "../../components/States";
import { byField, refusalsOf, unplaced } from "../../lib/errors";
import { dateTime, words } from "../../lib/format";

const subscriptions = { additionalTypenames: ["NotificationSubscription"] };
const deliveries = { additionalTypenames: ["NotificationDelivery"] };
const channels: [NotificationChannel, string][] = [["EMAIL", "E-mail"], ["WEBHOOK", "Webhook"]];
const digests: [DigestMode, string][] = [["IMMEDIATE", "Each alert at once"], ["HOURLY", "Hourly digest"], ["DAILY", "Daily digest"]];
const severities: [AlertSeverity, string][] = [["LOW", "Low: every alert"], ["MEDIUM", "Medium and high"], ["HIGH", "High only"]];
const deliveryStatuses: DeliveryStatus[] = ["FAILED", "PENDING", "DELIVERED", "CANCELLED"];

/** Admins: who hears about alerts (e-mail or webhook, at once or as digests), and the deliveries that failed. */
export default function NotificationsPage() {
  const [secret, setSecret] = useState<{ target: string; secret: string } | null>(null);
  const [directory] = useQuery({ query: MySitesDocument });
  const [result] = useQuery({ query: NotificationSubscriptionsDocument, context: subscriptions });
  const sites = directory.data?.organization.sites ?? [];
  const siteName = (id: string | null | undefined) => (id ? sites.find((s) => s.id === id)?.name ?? "Unknown site" : "Every site");
  useEffect(() => {
    document.title = "Notifications · FeedbackPlatform";
  }, []);

  return (
    <>
      <h1>Notifications</h1>
      <p className="muted">Times in UTC. Every notification links to the alert's page here; e-mails name only the kind, severity and site.</p>
      {secret && <ShownOnce title={`The signing secret of the webhook ${secret.target}.`} value={secret.secret}>
        <p className="muted">Check each delivery's Feedback-Signature with it: v1= hex HMAC-SHA256 of "timestamp.body".</p>
      </ShownOnce>}
      <SubscribeForm sites={sites} onSecret={(target, value) => setSecret({ target, secret: value })} />
      <section aria-labelledby="subscriptions-heading">
        <h2 id="subscriptions-heading">Subscriptions</h2>
        {result.error && !result.data ? (
          <Failure error={result.error} what="The subscriptions" />
        ) : !result.data ? (
          <Loading what="the subscriptions" />
        ) : result.data.notificationSubscriptions.length === 0 ? (
          <Empty>Nobody is notified of alerts yet.</Empty>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Site</th>
                  <th scope="col">Channel</th>
                  <th scope="col">To</th>
                  <th scope="col">When</th>
                  <th scope="col">From severity</th>
                  <th scope="col">Status</th>
                  <th scope="col">Created</th>
                  <th scope="col">Stop</th>
                </tr>
              </thead>
              <tbody>
                {result.data.notificationSubscriptions.map((s) => (
                  <SubscriptionRow key={s.id} subscription={s} site={siteName(s.siteId)} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <Deliveries targets={new Map((result.data?.notificationSubscriptions ?? []).map((s) => [s.id, s.target]))} />
    </>
  );
}

function SubscribeForm({ sites, onSecret }: { sites: { id: string; name: string }[]; onSecret(target: string, secret: string): void }) {
  const [siteId, setSiteId] = useState("");
  const [channel, setChannel] = useState<string>("EMAIL");
  const [target, setTarget] = useState("");
  const [digest, setDigest] = useState<string>("IMMEDIATE");
  const [minimumSeverity, setMinimumSeverity] = useState<string>("LOW");
  const [errors, setErrors] = useState<Map<string, string>>(new Map());
  const [state, create] = useMutation(CreateNotificationSubscriptionDocument);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const input = {
      subscriptionId: crypto.randomUUID(),
      siteId: siteId || null,
      channel: channel as NotificationChannel,
      target: target.trim(),
      digest: digest as DigestMode,
      minimumSeverity: minimumSeverity as AlertSeverity,
    };
    const answer = await create({ input }, subscriptions);
    if (answer.error) return setErrors(byField(refusalsOf(answer.error)));
    setErrors(new Map());
    const created = answer.data?.createNotificationSubscription;
    if (created?.secret) onSecret(created.subscription.target, created.secret);
    setTarget("");
  }

  return (
    <section aria-labelledby="subscribe-heading" className="card">
      <h2 id="subscribe-heading">Subscribe</h2>
      <form className="form" onSubmit={submit} noValidate>
        <SelectField label="Alerts of" value={siteId} onChange={setSiteId} options={sites.map((s) => [s.id, s.name])} none="Every site" error={errors.get("siteId")} />
        <SelectField label="Channel" value={channel} onChange={setChannel} options={channels} error={errors.get("channel")} />
        <Field
          label={channel === "EMAIL" ? "E-mail address" : "Webhook URL"}
          type={channel === "EMAIL" ? "email" : "url"}
          autoComplete="off"
          value={target}
          onChange={setTarget}
          error={errors.get("target")}
          required
        />
        <SelectField label="When" value={digest} onChange={setDigest} options={digests} error={errors.get("digest")} />
        <SelectField label="From severity" value={minimumSeverity} onChange={setMinimumSeverity} options={severities} error={errors.get("minimumSeverity")} />
        <Refused message={unplaced(errors, ["siteId", "channel", "target", "digest", "minimumSeverity"])} />
        <div className="actions">
          <button type="submit" className="button" disabled={state.fetching}>
            Subscribe
          </button>
        </div>
      </form>
    </section>
  );
}

function SubscriptionRow({ subscription: s, site }: { subscription: SubscriptionFieldsFragment; site: string }) {
  const [error, setError] = useState<string | null>(null);
  const [state, remove] = useMutation(RemoveNotificationSubscriptionDocument);
  async function stop() {
    const answer = await remove({ input: { subscriptionId: s.id } }, subscriptions);
    setError(answer.error ? refusalsOf(answer.error).map((r) => r.message).join(" ") : null);
  }
  return (
    <tr>
      <td>{site}</td>
      <td>{s.channel === "EMAIL" ? "E-mail" : "Webhook"}</td>
      <td className="code">{s.target}</td>
      <td>{digests.find(([d]) => d === s.digest)?.[1]}</td>
      <td>{words(s.minimumSeverity)}</td>
      <td>{s.active ? <span className="badge badge--success">Active</span> : <span className="badge badge--neutral">Stopped</span>}</td>
      <td>{dateTime(s.createdAt, "UTC")}</td>
      <td>
        {s.active ? (
          <button type="button" className="button button--secondary" onClick={stop} disabled={state.fetching} aria-label={`Stop notifying ${s.target}`}>
            Stop
          </button>
        ) : (
          "—"
        )}
        <Refused message={error} />
      </td>
    </tr>
  );
}

function Deliveries({ targets }: { targets: Map<string, string> }) {
  const [status, setStatus] = useState<string>("FAILED");
  const [result] = useQuery({ query: NotificationDeliveriesDocument, variables: { status: (status || null) as DeliveryStatus | null, first: 100 }, context: deliveries });
  return (
    <section aria-labelledby="deliveries-heading">
      <h2 id="deliveries-heading">Deliveries</h2>
      <form className="filters" aria-label="Filter deliveries" onSubmit={(e) => e.preventDefault()}>
        <SelectField label="Delivery status" value={status} onChange={setStatus} options={deliveryStatuses.map((s) => [s, words(s)])} none="Every status" />
      </form>
      {result.error && !result.data ? (
        <Failure error={result.error} what="The deliveries" />
      ) : !result.data ? (
        <Loading what="the deliveries" />
      ) : result.data.notificationDeliveries.length === 0 ? (
        <Empty>{status === "FAILED" ? "No failed delivery: every notification reached its receiver or is still being tried." : "No delivery matches."}</Empty>
      ) : (
        <div className="table-wrap">
          <table>
            <caption>Deliveries, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Created</th>
                <th scope="col">To</th>
                <th scope="col">Status</th>
                <th scope="col" className="number">Attempts</th>
                <th scope="col">Last error</th>
                <th scope="col">Last attempt</th>
                <th scope="col">Retry</th>
              </tr>
            </thead>
            <tbody>
              {result.data.notificationDeliveries.map((d) => (
                <DeliveryRow key={d.id} delivery={d} target={targets.get(d.subscriptionId) ?? "A removed subscription"} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function DeliveryRow({ delivery: d, target }: { delivery: { id: string; status: DeliveryStatus; attempts: number; lastError?: string | null; createdAt: string; lastAttemptAt?: string | null }; target: string }) {
  const [error, setError] = useState<string | null>(null);
  const [state, retry] = useMutation(RetryNotificationDocument);
  async function again() {
    const answer = await retry({ input: { deliveryId: d.id } }, deliveries);
    setError(answer.error ? refusalsOf(answer.error).map((r) => r.message).join(" ") : null);
  }
  return (
    <tr>
      <td>{dateTime(d.createdAt, "UTC")}</td>
      <td className="code">{target}</td>
      <td>
        <Badge value={d.status} />
      </td>
      <td className="number">{d.attempts}</td>
      <td>{d.lastError ?? "—"}</td>
      <td>{d.lastAttemptAt ? dateTime(d.lastAttemptAt, "UTC") : "—"}</td>
      <td>
        {d.status === "FAILED" ? (
          <button type="button" className="button button--secondary" onClick={again} disabled={state.fetching} aria-label={`Retry the delivery to ${target}`}>
            Retry
          </button>
        ) : (
          "—"
        )}
        <Refused message={error} />
      </td>
    </tr>
  );
}
