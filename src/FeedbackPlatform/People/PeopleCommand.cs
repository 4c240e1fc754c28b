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
    /// <summary>A decided change of a person; when it changed anything it is logged, and, where it changes what a session grants, ends their sessions.</summary>
    public static async Task<CommandOutcome> ChangePerson(IDocumentSession session, PeopleCommand c, Guid personId, Func<Person?, IReadOnlyList<object>> decide,
        SecurityEventKind logged, bool endsSessions, TimeProvider clock, CancellationToken ct)
    {
        var changed = false;
        var outcome = await StreamDecisions.Decide<Person>(session, personId, person =>
        {
            var events = decide(person);
            changed = events.Count > 0;
            return events;
        }, ct);
        if (outcome.IsAccepted && changed)
        {
            // What a session grants was the person's access when it began: a change ends them all.
            if (endsSessions)
                PeopleStore.EndSessionsOf(session, personId);
            session.Store(SecurityEvent.Of(logged, clock.GetUtcNow(), c.ClientAddress, personId, by: c.By));
        }
        return outcome;
    }

    /// <summary>Stores the invitation by its token's hash, and logs it.</summary>
    public static void Invite(IDocumentSession session, Guid personId, string invitationHash, DateTimeOffset now, SignInSettings settings, string by, string? clientAddress)
    {
        if (invitationHash.Length != 64)
            throw new InvalidOperationException("An invitation needs the hash of its token.");
        session.Store(new Invitation { Id = invitationHash, PersonId = personId, CreatedAt = now, ExpiresAt = now + settings.InvitationLifetime });
        session.Store(SecurityEvent.Of(SecurityEventKind.InvitationSent, now, clientAddress, personId, by: by));
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
