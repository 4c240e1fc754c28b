using FeedbackPlatform.Clinical.People;
using FeedbackPlatform.Episodes;
using FeedbackPlatform.GraphQL;
using FeedbackPlatform.Hosting;
using GraphQL;
using GraphQL.Types;
using Marten;

namespace FeedbackPlatform.People;

/// <summary>An admin clears a person's password and second factor; the person gets a new invitation.</summary>
public sealed record ResetPersonSignIn : PeopleCommand
{
    public const string OperationName = "resetPersonSignIn";
    public override string Operation => OperationName;

    public Guid PersonId { get; init; }
    public string InvitationHash { get; init; } = "";
}

public static class ResetPersonSignInHandler
{
    public static async Task<(CommandOutcome, StreamFacts<Person>, PeopleRecords)> Handle(ResetPersonSignIn c, IDocumentSession session, TimeProvider clock,
        SignInSettings settings, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var (outcome, facts) = await StreamDecisions.Decide<Person>(session, c.PersonId, person => PeopleDecisions.ResetSignIn(person, c.By, now), ct);
        if (!outcome.IsAccepted)
            return (outcome, facts, PeopleRecords.None);
        // The password, the second factor, every earlier invitation and every session go; a new invitation comes.
        var invitation = PeopleChanges.Invitation(c.PersonId, c.InvitationHash, now, settings, c.By, c.ClientAddress);
        return (outcome, facts, invitation with
        {
            RemovesSignInOf = c.PersonId,
            EndsSessionsOf = c.PersonId,
            Logged = [SecurityEvent.Of(SecurityEventKind.SignInReset, now, c.ClientAddress, c.PersonId, by: c.By), .. invitation.Logged],
        });
    }
}

public sealed class ResetPersonSignInInput : InputObjectGraphType<ResetPersonSignIn>
{
    public ResetPersonSignInInput() => Field<NonNullGraphType<IdGraphType>>("personId");
}

public sealed class ResetPersonSignInMutation : IMutationField
{
    public static void AddTo(ObjectGraphType mutation) =>
        mutation.Field<NonNullGraphType<InvitedPersonGraphType>>(ResetPersonSignIn.OperationName)
            .Description("Clears a person's password and second factor and ends their sessions; answers a new invitation link, once.")
            .Argument<NonNullGraphType<ResetPersonSignInInput>>("input")
            .ResolveAsync(async c =>
            {
                var token = Secrets.Token(c.Caller().Organization);
                var command = PeopleChanges.Stamped(c, c.GetArgument<ResetPersonSignIn>("input")!) with { InvitationHash = Secrets.Hash(token) };
                await c.Send(command);
                return new InvitedPerson((await c.Load<Person>(command.PersonId))!, PeopleChanges.InvitationLink(c, token));
            });
}
