using FeedbackPlatform.Clinical.People;
using FeedbackPlatform.Episodes;
using FeedbackPlatform.GraphQL;
using FeedbackPlatform.Hosting;
using GraphQL;
using Marten;

namespace FeedbackPlatform.People;

/// <summary>What every change to people carries beside its input: who asked, and from where (for the security log).</summary>
public abstract record PeopleCommand : ApiCommand
{
    public string By { get; init; } = "";
    public string? ClientAddress { get; init; }
}

/// <summary>What the people use cases share: a decided change of a person, an invitation, and what their resolvers add to a command.</summary>
public static class PeopleChanges
{
    /// <summary>
    /// A decided change of a person; when it changed anything it is logged, and, where it changes what a session grants,
    /// ends their sessions. Both come back for Wolverine to apply with the person's new facts.
    /// </summary>
    public static async Task<(CommandOutcome, StreamFacts<Person>, PeopleRecords)> ChangePerson(IDocumentSession session, PeopleCommand c, Guid personId,
        Func<Person?, IReadOnlyList<object>> decide, SecurityEventKind logged, bool endsSessions, TimeProvider clock, CancellationToken ct)
    {
        var (outcome, facts) = await StreamDecisions.Decide(session, personId, decide, ct);
        if (!outcome.IsAccepted || !facts.Changed)
            return (outcome, facts, PeopleRecords.None);
        // What a session grants was the person's access when it began: a change ends them all.
        return (outcome, facts, new PeopleRecords
        {
            EndsSessionsOf = endsSessions ? personId : null,
            Logged = [SecurityEvent.Of(logged, clock.GetUtcNow(), c.ClientAddress, personId, by: c.By)],
        });
    }

    /// <summary>The invitation, stored by its token's hash, and its entry in the security log.</summary>
    public static PeopleRecords Invitation(Guid personId, string invitationHash, DateTimeOffset now, SignInSettings settings, string by, string? clientAddress)
    {
        if (invitationHash.Length != 64)
            throw new InvalidOperationException("An invitation needs the hash of its token.");
        return new PeopleRecords
        {
            Invitation = new Invitation { Id = invitationHash, PersonId = personId, CreatedAt = now, ExpiresAt = now + settings.InvitationLifetime },
            Logged = [SecurityEvent.Of(SecurityEventKind.InvitationSent, now, clientAddress, personId, by: by)],
        };
    }

    /// <summary>Who asked and from where, as the security log records them.</summary>
    public static T Stamped<T>(IResolveFieldContext context, T command) where T : PeopleCommand =>
        command with { By = context.CallerName(), ClientAddress = context.ClientAddress() };

    public static string ClientAddress(this IResolveFieldContext context) =>
        context.RequestServices!.GetRequiredService<IHttpContextAccessor>().HttpContext?.ClientAddress() ?? "unknown";

    public static string InvitationLink(IResolveFieldContext context, string token) =>
        context.RequestServices!.GetRequiredService<SignInSettings>().InvitationLink(token, context.RequestServices!.GetRequiredService<IHttpContextAccessor>().HttpContext?.Request);

    public static async Task<object?> Person(IResolveFieldContext context, Guid id) => await context.Load<Person>(id);
}

/// <summary>
/// What a people command records beside the person's own stream, as its handler returns it for Wolverine to apply in
/// the command's transaction: the sign-in it removes (password, second factor, earlier invitations), the sessions it
/// ends, the invitation it stores, its entries in the security log.
/// </summary>
public sealed record PeopleRecords : Wolverine.Marten.IMartenOp
{
    public static readonly PeopleRecords None = new();

    public Guid? RemovesSignInOf { get; init; }
    public Guid? EndsSessionsOf { get; init; }
    public Invitation? Invitation { get; init; }
    public IReadOnlyList<SecurityEvent> Logged { get; init; } = [];

    public void Execute(IDocumentSession session)
    {
        // Earlier invitations go before the new one is stored: the same transaction, in this order.
        if (RemovesSignInOf is { } removed)
        {
            session.Delete<SignInCredentials>(removed);
            session.DeleteWhere<Invitation>(i => i.PersonId == removed);
        }
        if (EndsSessionsOf is { } ended)
            PeopleStore.EndSessionsOf(session, ended);
        if (Invitation is not null)
            session.Store(Invitation);
        foreach (var entry in Logged)
            session.Store(entry);
    }
}
