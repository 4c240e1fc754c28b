using FeedbackPlatform.Episodes;
using FeedbackPlatform.Clinical.People;
using FeedbackPlatform.GraphQL;
using FeedbackPlatform.Hosting;
using GraphQL.Types;
using Marten;

namespace FeedbackPlatform.People;

/// <summary>An admin stops a person signing in (never the last active admin); their sessions end at once.</summary>
public sealed record DisablePerson : PeopleCommand
{
    public const string OperationName = "disablePerson";
    public override string Operation => OperationName;

    public Guid PersonId { get; init; }
}

public static class DisablePersonHandler
{
    public static async Task<(CommandOutcome, StreamFacts<Person>, PeopleRecords)> Handle(DisablePerson c, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var admins = await PeopleStore.ActiveAdmins(session, ct);
        return await PeopleChanges.ChangePerson(session, c, c.PersonId, person => PeopleDecisions.Disable(person, admins, c.By, clock.GetUtcNow()),
            SecurityEventKind.PersonDisabled, endsSessions: true, clock, ct);
    }
}

public sealed class DisablePersonInput : InputObjectGraphType<DisablePerson>
{
    public DisablePersonInput() => Field<NonNullGraphType<IdGraphType>>("personId");
}

public sealed class DisablePersonMutation : IMutationField
{
    public static void AddTo(ObjectGraphType mutation) =>
        mutation.Command<DisablePerson, DisablePersonInput, NonNullGraphType<PersonGraphType>>(DisablePerson.OperationName,
            "Stops a person signing in; their sessions end at once.", (c, x) => PeopleChanges.Person(c, x.PersonId), PeopleChanges.Stamped);
}
