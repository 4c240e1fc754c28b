using FeedbackPlatform.Episodes;
using FeedbackPlatform.Clinical;
using FeedbackPlatform.Clinical.FeedbackRequests;
using FeedbackPlatform.Dashboards;
using FeedbackPlatform.GraphQL;
using FeedbackPlatform.Hosting;
using GraphQL.Types;
using Marten;

namespace FeedbackPlatform.ClientFeedback;

/// <summary>An admin's new client-feedback settings (fields left out keep their value); a stream per organization, as its rules and security policy.</summary>
public sealed record UpdateClientFeedbackSettings : ApiCommand
{
    public const string OperationName = "updateClientFeedbackSettings";
    public override string Operation => OperationName;

    public bool? RequestSrsWhenSessionRecorded { get; init; }
    public bool? ShowClientTrajectory { get; init; }
    public List<WordingValues>? Wordings { get; init; }
    public string By { get; init; } = "admin";
}

/// <summary>The GraphQL input's shape of one wording (bound by property, then checked by the core).</summary>
public sealed class WordingValues
{
    public FeedbackInstrument Instrument { get; set; }
    public Population Population { get; set; }
    public string? Language { get; set; }
    public List<ItemWordingValues>? Items { get; set; }

    public InstrumentWording ToWording() =>
        new(Instrument, Population, Language ?? "", Items?.Select(i => new ItemWording(i.Label ?? "", i.Low, i.High)).ToList() ?? []);
}

public sealed class ItemWordingValues
{
    public string? Label { get; set; }
    public string? Low { get; set; }
    public string? High { get; set; }
}

public static class UpdateClientFeedbackSettingsHandler
{
    public static async Task<(CommandOutcome, StreamFacts<ClientFeedbackSettings>)> Handle(UpdateClientFeedbackSettings c, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var organizationId = FeedbackLinks.SettingsIdOf(session.TenantId);
        var current = await FeedbackLinks.SettingsInForce(session, ct);
        return await Episodes.StreamDecisions.Decide<ClientFeedbackSettings>(session, organizationId, _ =>
            ClientFeedbackSettingsDecisions.Change(current, organizationId, c.RequestSrsWhenSessionRecorded, c.ShowClientTrajectory,
                c.Wordings?.Select(w => w.ToWording()).ToList(), c.By, clock.GetUtcNow()), ct);
    }
}

public sealed class ItemWordingGraphType : ObjectGraphType<ItemWording>
{
    public ItemWordingGraphType()
    {
        Name = "ItemWording";
        Field<NonNullGraphType<StringGraphType>>("label").Resolve(c => c.Source.Label);
        Field<StringGraphType>("low").Description("The words at the line's left end (0).").Resolve(c => c.Source.Low);
        Field<StringGraphType>("high").Description("The words at the line's right end (10).").Resolve(c => c.Source.High);
    }
}

public sealed class InstrumentWordingGraphType : ObjectGraphType<InstrumentWording>
{
    public InstrumentWordingGraphType()
    {
        Name = "InstrumentWording";
        Field<NonNullGraphType<FeedbackInstrumentGraphType>>("instrument").Resolve(c => c.Source.Instrument);
        Field<NonNullGraphType<PopulationGraphType>>("population").Resolve(c => c.Source.Population);
        Field<NonNullGraphType<StringGraphType>>("language").Resolve(c => c.Source.Language);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ItemWordingGraphType>>>>("items").Description("The four items, in the instrument's order.").Resolve(c => c.Source.Items);
    }
}

public sealed class ClientFeedbackSettingsGraphType : ObjectGraphType<ClientFeedbackSettings>
{
    public ClientFeedbackSettingsGraphType()
    {
        Name = "ClientFeedbackSettings";
        Field<NonNullGraphType<BooleanGraphType>>("requestSrsWhenSessionRecorded")
            .Description("Recording a session opens an SRS request for it, without a link until a clinician issues one.").Resolve(c => c.Source.RequestSrsWhenSessionRecorded);
        Field<NonNullGraphType<BooleanGraphType>>("showClientTrajectory").Description("The client's page shows the client's own ORS totals.").Resolve(c => c.Source.ShowClientTrajectory);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<InstrumentWordingGraphType>>>>("wordings")
            .Description("The organization's wording; without one for an instrument the client reads the item names in English.").Resolve(c => c.Source.Wordings);
        Field<InstantGraphType>("changedAt").Resolve(c => c.Source.ChangedAt);
    }
}

public sealed class ItemWordingInput : InputObjectGraphType<ItemWordingValues>
{
    public ItemWordingInput()
    {
        Field<NonNullGraphType<StringGraphType>>("label");
        Field<StringGraphType>("low");
        Field<StringGraphType>("high");
    }
}

public sealed class InstrumentWordingInput : InputObjectGraphType<WordingValues>
{
    public InstrumentWordingInput()
    {
        Field<NonNullGraphType<FeedbackInstrumentGraphType>>("instrument");
        Field<NonNullGraphType<PopulationGraphType>>("population").Description("ADULT is also the wording of a population without its own.");
        Field<NonNullGraphType<StringGraphType>>("language").Description("A language tag: en, de, pt-BR.");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ItemWordingInput>>>>("items").Description("The four items, in the instrument's order.");
    }
}

public sealed class UpdateClientFeedbackSettingsInput : InputObjectGraphType<UpdateClientFeedbackSettings>
{
    public UpdateClientFeedbackSettingsInput()
    {
        Field<BooleanGraphType>("requestSrsWhenSessionRecorded");
        Field<BooleanGraphType>("showClientTrajectory");
        Field<ListGraphType<NonNullGraphType<InstrumentWordingInput>>>("wordings").Description("Replaces every wording; at most 60.");
    }
}

public sealed class UpdateClientFeedbackSettingsMutation : IMutationField
{
    public static void AddTo(ObjectGraphType mutation) =>
        mutation.Command<UpdateClientFeedbackSettings, UpdateClientFeedbackSettingsInput, NonNullGraphType<ClientFeedbackSettingsGraphType>>(UpdateClientFeedbackSettings.OperationName,
            "Changes how the organization asks its clients for feedback; fields left out keep their value.",
            async (c, _) =>
            {
                await using var session = c.QuerySession();
                return await FeedbackLinks.SettingsInForce(session, c.CancellationToken);
            },
            (c, x) => x with { By = c.CallerName() });
}
