using FeedbackPlatform.Clinical.Access;
using FeedbackPlatform.Clinical.People;
using FeedbackPlatform.Episodes;
using FeedbackPlatform.GraphQL;
using FeedbackPlatform.Hosting;
using GraphQL;
using GraphQL.Types;
using Marten;

namespace FeedbackPlatform.People;

/// <summary>An admin invites someone to the organization: a person stream and a one-time invitation (72 h by default).</summary>
public sealed record InvitePerson : PeopleCommand
{
    public const string OperationName = "invitePerson";
    public override string Operation => OperationName;

    public Guid PersonId { get; init; }
    public string? Email { get; init; }
    public string? DisplayName { get; init; }
    public Role Role { get; init; }
    public Guid[]? Sites { get; init; }
    public Guid? TherapistId { get; init; }
    /// <summary>The hash of the invitation token the resolver made (the token itself goes only to the caller).</summary>
    public string InvitationHash { get; init; } = "";
}

public static class InvitePersonHandler
{
    public static async Task<(CommandOutcome, StreamFacts<Person>, PeopleRecords)> Handle(InvitePerson c, IDocumentSession session, TimeProvider clock,
        SignInSettings settings, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var key = c.Email is null ? "" : PeopleDecisions.EmailKey(c.Email);
        var taken = key.Length > 0 && await session.Query<Person>().AnyAsync(p => p.EmailKey == key, ct);
        var (outcome, facts) = await StreamDecisions.Decide<Person>(session, c.PersonId,
            existing => PeopleDecisions.Invite(existing, taken, c.PersonId, c.Email, c.DisplayName, c.Role, c.Sites, c.TherapistId, c.By, now), ct);
        return (outcome, facts, outcome.IsAccepted ? PeopleChanges.Invitation(c.PersonId, c.InvitationHash, now, settings, c.By, c.ClientAddress) : PeopleRecords.None);
    }
}

public sealed class InvitePersonInput : InputObjectGraphType<InvitePerson>
{
    public InvitePersonInput()
    {
        Field<NonNullGraphType<StringGraphType>>("email").Description("Unique within the organization, compared case-insensitively.");
        Field<NonNullGraphType<StringGraphType>>("displayName");
        Field<NonNullGraphType<RoleGraphType>>("role");
        Field<ListGraphType<NonNullGraphType<IdGraphType>>>("sites");
        Field<IdGraphType>("therapistId").Description("A clinician's therapist id (only theirs).");
    }
}

public sealed class InvitePersonMutation : IMutationField
{
    public static void AddTo(ObjectGraphType mutation) =>
        mutation.Field<NonNullGraphType<InvitedPersonGraphType>>(InvitePerson.OperationName)
            .Description("Invites someone to the organization; answers the invitation link, once.")
            .Argument<NonNullGraphType<InvitePersonInput>>("input")
            .ResolveAsync(async c =>
            {
                var token = Secrets.Token(c.Caller().Organization);
                var command = PeopleChanges.Stamped(c, c.GetArgument<InvitePerson>("input")!) with { PersonId = Guid.CreateVersion7(), InvitationHash = Secrets.Hash(token) };
                await c.Send(command);
                return new InvitedPerson((await c.Load<Person>(command.PersonId))!, PeopleChanges.InvitationLink(c, token));
            });
}
