using System.Text.Json;
using FeedbackPlatform.Clinical.Episodes;
using JasperFx.Events;
using Marten;
using Marten.Events.Projections;

namespace FeedbackPlatform.Alerts;

/// <summary>
/// Keeps the timeline <c>simulateAlertRules</c> replays (<see cref="RuleFacts"/>), run by the projection daemon: per
/// batch and organization, one row per clinical fact the rules read, written in one bulk insert. A fact names only its
/// episode, so its site comes from the episode's opening, in the batch or in an earlier batch's row (every episode's
/// stream begins with its opening, and the daemon takes events in order). Being asynchronous, the timeline may lag the
/// newest facts by the daemon's delay (a fraction of a second when it keeps up): a what-if over a year does not mind.
/// The same events give the same rows, live or rebuilt; a row already written is left as it is.
/// </summary>
public sealed class RuleFactsProjection(string schema) : IProjection
{
    public const string Name = "RuleFacts";

    private readonly string _table = RuleFacts.QualifiedName(schema);

    public async Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken ct)
    {
        foreach (var organization in events.Where(e => RuleFacts.KindOf(e.Data) is not null).GroupBy(e => e.TenantId))
        {
            var facts = organization.ToList();
            var sites = new Dictionary<Guid, Guid>();
            foreach (var e in facts)
            {
                if (e.Data is EpisodeOpened opened)
                    sites[opened.EpisodeId] = opened.SiteId;
            }
            var openedEarlier = facts.Select(e => ((IEpisodeFact)e.Data).EpisodeId).Where(id => !sites.ContainsKey(id)).Distinct().ToArray();
            if (openedEarlier.Length > 0)
            {
                foreach (var (episode, site) in await SitesOf(operations, organization.Key, openedEarlier, ct))
                    sites[episode] = site;
            }
            Insert(operations, organization.Key, facts.Where(e => sites.ContainsKey(((IEpisodeFact)e.Data).EpisodeId)).ToList(), sites);
        }
    }

    private async Task<Dictionary<Guid, Guid>> SitesOf(IQuerySession session, string organization, Guid[] episodes, CancellationToken ct)
    {
        var json = (await session.AdvancedSql.QueryAsync<string>(
            $"select coalesce(jsonb_object_agg(episode_id, site_id), '{{}}'::jsonb)::text from {_table} where tenant_id = ? and episode_id = any(?) and kind = 1",
            ct, organization, episodes)).Single();
        return JsonSerializer.Deserialize<Dictionary<Guid, Guid>>(json)!;
    }

    private void Insert(IDocumentOperations operations, string organization, IReadOnlyList<IEvent> facts, Dictionary<Guid, Guid> sites)
    {
        if (facts.Count == 0)
            return;
        var n = facts.Count;
        var (seq, site, episode, at, kind) = (new long[n], new Guid[n], new Guid[n], new DateTimeOffset[n], new short[n]);
        var (session, goal, number) = (new Guid?[n], new Guid?[n], new int?[n]);
        var (occurred, recorded, population, closedAs) = (new DateTimeOffset?[n], new DateTimeOffset?[n], new string?[n], new string?[n]);
        var (item1, item2, item3, item4, total) = (new decimal?[n], new decimal?[n], new decimal?[n], new decimal?[n], new decimal?[n]);
        var (byClient, byTherapist) = (new bool?[n], new bool?[n]);
        for (var i = 0; i < n; i++)
        {
            var e = facts[i];
            seq[i] = e.Sequence;
            episode[i] = ((IEpisodeFact)e.Data).EpisodeId;
            site[i] = sites[episode[i]];
            at[i] = e.Timestamp.ToUniversalTime();
            kind[i] = (short)RuleFacts.KindOf(e.Data)!.Value;
            switch (e.Data)
            {
                case EpisodeOpened o:
                    (occurred[i], recorded[i], population[i]) = (o.OpenedAt.ToUniversalTime(), o.RecordedAt.ToUniversalTime(), o.Population.ToString());
                    break;
                case SessionRecorded s:
                    (session[i], number[i], occurred[i], recorded[i]) = (s.SessionId, s.SessionNumber, s.HeldAt.ToUniversalTime(), s.RecordedAt.ToUniversalTime());
                    break;
                case SessionCancelled c:
                    session[i] = c.SessionId;
                    break;
                case SessionRatingSubmitted r:
                    (session[i], number[i], total[i]) = (r.SessionId, r.SessionNumber, r.Total);
                    (item1[i], item2[i], item3[i], item4[i]) = (r.Rating.Relationship, r.Rating.GoalsAndTopics, r.Rating.ApproachOrMethod, r.Rating.Overall);
                    break;
                case OutcomeRatingSubmitted r:
                    (session[i], number[i], total[i]) = (r.SessionId, r.SessionNumber, r.Total);
                    (item1[i], item2[i], item3[i], item4[i]) = (r.Rating.Individual, r.Rating.Interpersonal, r.Rating.Social, r.Rating.Overall);
                    break;
                case GoalAgreementRecorded g:
                    (goal[i], byClient[i], byTherapist[i]) = (g.GoalId, g.AgreedByClient, g.AgreedByTherapist);
                    break;
                case GoalRevised g:
                    (goal[i], byClient[i], byTherapist[i]) = (g.GoalId, g.AgreedByClient, g.AgreedByTherapist);
                    break;
                case GoalAchieved g:
                    goal[i] = g.GoalId;
                    break;
                case EpisodeClosed c:
                    closedAs[i] = c.Reason.ToString();
                    break;
            }
        }
        operations.QueueSqlCommand($"""
            insert into {_table} (tenant_id, seq_id, site_id, episode_id, event_at, kind, session_id, goal_id, session_number, occurred_at, recorded_at,
                                  population, item_1, item_2, item_3, item_4, total, agreed_by_client, agreed_by_therapist, closed_as)
            select ?, u.* from unnest(?::bigint[], ?::uuid[], ?::uuid[], ?::timestamptz[], ?::smallint[], ?::uuid[], ?::uuid[], ?::int[], ?::timestamptz[],
                                      ?::timestamptz[], ?::text[], ?::numeric[], ?::numeric[], ?::numeric[], ?::numeric[], ?::numeric[], ?::boolean[],
                                      ?::boolean[], ?::text[])
              as u(seq_id, site_id, episode_id, event_at, kind, session_id, goal_id, session_number, occurred_at, recorded_at,
                   population, item_1, item_2, item_3, item_4, total, agreed_by_client, agreed_by_therapist, closed_as)
            on conflict (tenant_id, seq_id) do nothing
            """,
            organization, seq, site, episode, at, kind, session, goal, number, occurred, recorded,
            population, item1, item2, item3, item4, total, byClient, byTherapist, closedAs);
    }
}
