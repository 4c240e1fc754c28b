using FeedbackPlatform.Episodes;
using FeedbackPlatform.Clinical.Access;
using FeedbackPlatform.Clinical.People;
using FeedbackPlatform.GraphQL;
using FeedbackPlatform.Hosting;
using GraphQL.Types;
using Marten;

namespace FeedbackPlatform.People;

/// <summary>An admin changes a person's role, sites or therapist; their sessions end, since a session grants what the access was when it began.</summary>
public sealed record ChangePersonAccess : PeopleCommand
{
    public const string OperationName = "changePersonAccess";
    public override string Operation => OperationName;

    public Guid PersonId { get; init; }
    public Role Role { get; init; }
    public Guid[]? Sites { get; init; }
    public Guid? TherapistId { get; init; }
}

public static class ChangePersonAccessHandler
{
    public static async Task<(CommandOutcome, StreamFacts<Person>, PeopleRecords)> Handle(ChangePersonAccess c, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var admins = await PeopleStore.ActiveAdmins(session, ct);
        return await PeopleChanges.ChangePerson(session, c, c.PersonId, person => PeopleDecisions.ChangeAccess(person, admins, c.Role, c.Sites, c.TherapistId, c.By, clock.GetUtcNow()),
            SecurityEventKind.AccessChanged, endsSessions: true, clock, ct);
    }
}

public sealed class ChangePersonAccessInput : InputObjectGraphType<ChangePersonAccess>
{
    public ChangePersonAccessInput()
    {
        Field<NonNullGraphType<IdGraphType>>("personId");
        Field<NonNullGraphType<RoleGraphType>>("role");
        Field<ListGraphType<NonNullGraphType<IdGraphType>>>("sites");
        Field<IdGraphType>("therapistId");
    }
}

public sealed class ChangePersonAccessMutation : IMutationField
{
    public static void AddTo(ObjectGraphType mutation) =>
        mutation.Command<ChangePersonAccess, ChangePersonAccessInput, NonNullGraphType<PersonGraphType>>(ChangePersonAccess.OperationName,
            "Changes a person's role, sites or therapist; their sessions end.", (c, x) => PeopleChanges.Person(c, x.PersonId), PeopleChanges.Stamped);
}
