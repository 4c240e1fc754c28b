using FeedbackPlatform.Clinical;
using FeedbackPlatform.Clinical.Alerts;
using FeedbackPlatform.Clinical.Episodes;
using FeedbackPlatform.Dashboards;
using FeedbackPlatform.GraphQL;
using FeedbackPlatform.Hosting;
using GraphQL;
using GraphQL.Types;
using JasperFx.Events;
using Marten;

namespace FeedbackPlatform.Privacy;

/// <summary>
/// A client's request to be forgotten: the free text people wrote about them (goal descriptions, rupture notes,
/// the notes directors left on their alerts) is overwritten in the event store itself and in every read model.
/// Scores, session facts and alerts stay, so the clinic's statistics do not change.
/// </summary>
public sealed record EraseClientData : ApiCommand
{
    public const string OperationName = "eraseClientData";
    public override string Operation => OperationName;

    public string? ClientId { get; init; }
    public string ErasedBy { get; init; } = "admin";
}

/// <summary>That an erasure happened, kept in the organization's own erasure log (it holds no client text).</summary>
public sealed record ClientDataErased(IReadOnlyList<Guid> EpisodeIds, int AlertCount, string ErasedBy, DateTimeOffset ErasedAt);

public static class ClientDataErasure
{
    public const string Erased = "[erased]";

    /// <summary>Marten's masking rules: what each event with free text looks like once erased.</summary>
    public static void AddErasureRules(this StoreOptions options)
    {
        options.Events.AddMaskingRuleForProtectedInformation<GoalAgreementRecorded>(e => e with { Description = Erased });
        options.Events.AddMaskingRuleForProtectedInformation<GoalRevised>(e => e with { Description = Erased });
        options.Events.AddMaskingRuleForProtectedInformation<RuptureNoted>(e => e with { Note = Erased });
        options.Events.AddMaskingRuleForProtectedInformation<AlertAcknowledged>(e => e with { Note = e.Note is null ? null : Erased });
        options.Events.AddMaskingRuleForProtectedInformation<AlertResolved>(e => e with { Note = e.Note is null ? null : Erased });
    }

    /// <summary>The stream of one organization's erasures.</summary>
    public static Guid LogStreamOf(string organization) => PlatformSettings.OrganizationIdOf("erasures:" + organization);
}

public static class EraseClientDataHandler
{
    public static async Task<CommandOutcome> Handle(EraseClientData command, IDocumentSession session, IDocumentStore store, TimeProvider clock, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(command.ClientId))
            return CommandOutcome.Rejected(ClinicalRejection.Invalid("clientId", "clientId is required."));
        var episodes = await session.Query<EpisodeAllianceHealth>().Where(e => e.ClientId == command.ClientId).Select(e => e.Id).ToListAsync(ct);
        if (episodes.Count == 0)
            return CommandOutcome.Rejected(ClinicalRejection.NotFound("clientId", "No episodes of this client."));
        var episodeIds = episodes.ToArray();
        var alerts = (await session.Query<AlertCase>().Where(a => a.EpisodeId.IsOneOf(episodeIds)).Select(a => a.Id).ToListAsync(ct)).ToArray();

        // The events themselves are overwritten (in the organization's tenant), so no rebuild can bring the text back.
        var now = clock.GetUtcNow();
        await store.Advanced.ApplyEventDataMasking(masking =>
        {
            masking.ForTenant(session.TenantId);
            foreach (var stream in episodeIds.Concat(alerts))
                masking.IncludeStream(stream);
            masking.AddHeader("erasedAt", now.ToString("O"));
        }, ct);

        // The read models that held the text are rebuilt from the masked events.
        foreach (var id in episodeIds)
        {
            if (await session.Events.AggregateStreamAsync<EpisodeOfCare>(id, token: ct) is { } episode)
                session.Store(episode);
            // The episode's read model and its goal rows, folded from the masked stream by the projections' own code.
            if (EpisodeHistoryRows.Fold(id, await session.Events.FetchStreamAsync(id, token: ct)) is { History: { } rows } health)
            {
                session.Store(health);
                foreach (var goal in rows.GoalRows)
                    session.Store(goal);
            }
        }
        foreach (var id in alerts)
        {
            if (await session.Events.AggregateStreamAsync<AlertCase>(id, token: ct) is { } alert)
                session.Store(alert);
        }
        session.Events.Append(ClientDataErasure.LogStreamOf(session.TenantId), new ClientDataErased(episodeIds, alerts.Length, command.ErasedBy, now));
        return CommandOutcome.Accepted;
    }
}

public sealed class EraseClientDataInput : InputObjectGraphType<EraseClientData>
{
    public EraseClientDataInput()
    {
        Field<NonNullGraphType<StringGraphType>>("clientId").Description("The clinic's pseudonymous client id.");
    }
}

public sealed record Erasure(string ClientId, int EpisodesErased);

public sealed class ErasureGraphType : ObjectGraphType<Erasure>
{
    public ErasureGraphType()
    {
        Name = "Erasure";
        Field<NonNullGraphType<StringGraphType>>("clientId").Resolve(c => c.Source.ClientId);
        Field<NonNullGraphType<IntGraphType>>("episodesErased").Description("Episodes whose free text was erased.").Resolve(c => c.Source.EpisodesErased);
    }
}

public sealed class EraseClientDataMutation : IMutationField
{
    public static void AddTo(ObjectGraphType mutation) =>
        mutation.Command<EraseClientData, EraseClientDataInput, NonNullGraphType<ErasureGraphType>>(EraseClientData.OperationName,
            "Erases a client's free text (goal descriptions, rupture notes, alert notes) from the events and every read model; scores and alerts stay.",
            async (c, x) =>
            {
                await using var session = c.QuerySession();
                var episodes = await session.Query<EpisodeAllianceHealth>().CountAsync(e => e.ClientId == x.ClientId, c.CancellationToken);
                return new Erasure(x.ClientId!, episodes);
            },
            (c, x) => x with { ErasedBy = c.CallerName() });
}
