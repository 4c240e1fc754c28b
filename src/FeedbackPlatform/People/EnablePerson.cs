using FeedbackPlatform.Episodes;
using FeedbackPlatform.Clinical.People;
using FeedbackPlatform.GraphQL;
using FeedbackPlatform.Hosting;
using GraphQL.Types;
using Marten;

namespace FeedbackPlatform.People;

/// <summary>An admin lets a disabled person sign in again.</summary>
public sealed record EnablePerson : PeopleCommand
{
    public const string OperationName = "enablePerson";
    public override string Operation => OperationName;

    public Guid PersonId { get; init; }
}

public static class EnablePersonHandler
{
    public static Task<(CommandOutcome, StreamFacts<Person>, PeopleRecords)> Handle(EnablePerson c, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        PeopleChanges.ChangePerson(session, c, c.PersonId, person => PeopleDecisions.Enable(person, c.By, clock.GetUtcNow()),
            SecurityEventKind.PersonEnabled, endsSessions: false, clock, ct);
}

public sealed class EnablePersonInput : InputObjectGraphType<EnablePerson>
{
    public EnablePersonInput() => Field<NonNullGraphType<IdGraphType>>("personId");
}

public sealed class EnablePersonMutation : IMutationField
{
    public static void AddTo(ObjectGraphType mutation) =>
        mutation.Command<EnablePerson, EnablePersonInput, NonNullGraphType<PersonGraphType>>(EnablePerson.OperationName,
            "Lets a disabled person sign in again.", (c, x) => PeopleChanges.Person(c, x.PersonId), PeopleChanges.Stamped);
}
