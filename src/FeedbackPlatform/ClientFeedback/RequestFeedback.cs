using FeedbackPlatform.Clinical;
using FeedbackPlatform.Clinical.Episodes;
using FeedbackPlatform.Clinical.FeedbackRequests;
using FeedbackPlatform.Clinical.People;
using FeedbackPlatform.GraphQL;
using FeedbackPlatform.Hosting;
using FeedbackPlatform.Notifications;
using FeedbackPlatform.People;
using GraphQL;
using GraphQL.Types;
using Marten;

namespace FeedbackPlatform.ClientFeedback;

/// <summary>
/// A clinician (or an admin) asks the client for one or both instruments of a session through a link. The resolver
/// makes the token and the request id; the command carries only the token's hash, and the link itself (and an
/// e-mail address typed for this one message) only in memory, for the e-mail. Each request supersedes the open
/// ones of the same session and instrument, so "request again" is also how a lost link is replaced.
/// </summary>
public sealed record RequestFeedback : ApiCommand, Access.IEpisodeCommand
{
    public const string OperationName = "requestFeedback";
    public override string Operation => OperationName;

    public Guid EpisodeId { get; init; }
    public Guid SessionId { get; init; }
    public IReadOnlyList<FeedbackInstrument>? Instruments { get; init; }
    public int? ExpiresInHours { get; init; }
    /// <summary>Where to send the link, once; never stored.</summary>
    public string? Email { get; init; }
    public Guid RequestId { get; init; }
    public string TokenHash { get; init; } = "";
    public string LinkUrl { get; init; } = "";
    public string RequestedBy { get; init; } = "";
}

public static class RequestFeedbackHandler
{
    public const string EmailNotSent = "EMAIL_NOT_SENT";

    public static async Task<CommandOutcome> Handle(RequestFeedback command, IDocumentSession session, EmailChannel email, TimeProvider clock, CancellationToken ct)
    {
        if (command.EpisodeId == Guid.Empty)
            return CommandOutcome.Rejected(ClinicalRejection.Invalid("episodeId", "episodeId is required (a UUID)."));
        if (command.TokenHash.Length != 64 || command.RequestId == Guid.Empty)
            throw new InvalidOperationException("A feedback request needs its id and the hash of its token.");
        string? address;
        try
        {
            address = command.Email is null ? null : PeopleDecisions.ValidEmail(command.Email);
        }
        catch (ClinicalRejection rejection)
        {
            return CommandOutcome.Rejected(rejection);
        }

        var now = clock.GetUtcNow();
        var episode = await session.LoadAsync<EpisodeOfCare>(command.EpisodeId, ct);
        if (episode is not null && Access.EpisodeScopeCheck.Refusal(command.Caller, episode.SiteId, episode.TherapistId) is { } refusal)
            return CommandOutcome.Rejected(refusal);
        var open = await session.Query<FeedbackRequest>()
            .Where(r => r.EpisodeId == command.EpisodeId && r.SessionId == command.SessionId && r.RevokedAt == null)
            .ToListAsync(ct);
        IReadOnlyList<object> events;
        try
        {
            events = FeedbackRequestDecisions.Request(episode, open, command.RequestId, command.SessionId, command.Instruments, command.ExpiresInHours,
                command.TokenHash, command.RequestedBy, automatic: false, now);
        }
        catch (ClinicalRejection rejection)
        {
            return CommandOutcome.Rejected(rejection);
        }

        if (address is not null)
        {
            // Sent before the commit, so a message that could not be sent leaves no request behind; the address
            // goes to the SMTP server and nowhere else.
            try
            {
                var expires = events.OfType<FeedbackRequested>().Single().ExpiresAt;
                await email.Send(address, "Your feedback for your session",
                    $"Your clinician asks how your session went. Open this link to answer (it works once, until {expires:yyyy-MM-dd HH:mm} UTC):\n\n" +
                    $"{command.LinkUrl}\n\nIf the link does not work, ask your clinician for a new one.",
                    $"feedback-request.{command.RequestId:N}@feedback-platform", ct);
            }
            catch (Exception e) when (e is NotificationDeliveryFailed or MimeKit.ParseException)
            {
                return new CommandOutcome(EmailNotSent, "email", "The e-mail could not be sent; nothing was requested. Try again, or show the link instead.");
            }
            events = [.. events, ..FeedbackRequestDecisions.SentByEmail(FeedbackRequest.From(events.OfType<FeedbackRequested>().Single()), now)];
        }

        foreach (var e in events)
        {
            switch (e)
            {
                case FeedbackRequested requested:
                    session.Events.StartStream<FeedbackRequest>(requested.RequestId, requested);
                    break;
                case FeedbackRequestRevoked revoked:
                    session.Events.Append(revoked.RequestId, revoked);
                    break;
                case FeedbackRequestSentByEmail sent:
                    session.Events.Append(sent.RequestId, sent);
                    break;
            }
        }
        return CommandOutcome.Accepted;
    }

    /// <summary>
    /// When the organization asks for it, recording a session opens an SRS request for it in the same transaction:
    /// without a link (nobody could be shown its token later), so the clinician's episode shows the SRS as asked for,
    /// and `requestFeedback` issues the link (in the room or by e-mail), superseding it.
    /// </summary>
    public static async Task RequestAutomatically(IDocumentSession session, EpisodeOfCare episodeBefore, SessionRecorded recorded, DateTimeOffset now, CancellationToken ct)
    {
        var settings = await FeedbackLinks.SettingsInForce(session, ct);
        if (!settings.RequestSrsWhenSessionRecorded)
            return;
        var episode = episodeBefore.When(recorded);
        foreach (var e in FeedbackRequestDecisions.RequestAutomatically(episode, Guid.CreateVersion7(now), recorded.SessionId, now))
            if (e is FeedbackRequested requested)
                session.Events.StartStream<FeedbackRequest>(requested.RequestId, requested);
    }
}

public sealed class FeedbackInstrumentGraphType : EnumerationGraphType<FeedbackInstrument>
{
    public FeedbackInstrumentGraphType()
    {
        Name = "FeedbackInstrument";
        Description = "The client's own instruments: ORS (outcome) and SRS (session).";
    }
}

public sealed class FeedbackRequestStatusGraphType : EnumerationGraphType<FeedbackRequestStatus>
{
    public FeedbackRequestStatusGraphType() => Name = "FeedbackRequestStatus";
}

public sealed class FeedbackRequestRevocationGraphType : EnumerationGraphType<FeedbackRequestRevocation>
{
    public FeedbackRequestRevocationGraphType() => Name = "FeedbackRequestRevocation";
}

/// <summary>A feedback request as the clinician sees it: never its token, never an address.</summary>
public sealed class FeedbackRequestGraphType : ObjectGraphType<FeedbackRequest>
{
    public FeedbackRequestGraphType()
    {
        Name = "FeedbackRequest";
        Description = "A request for the client's own SRS and/or ORS of one session. Its link is shown once, when it is requested.";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id);
        Field<NonNullGraphType<IdGraphType>>("episodeId").Resolve(c => c.Source.EpisodeId);
        Field<NonNullGraphType<IdGraphType>>("sessionId").Resolve(c => c.Source.SessionId);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<FeedbackInstrumentGraphType>>>>("instruments").Resolve(c => c.Source.Instruments);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<FeedbackInstrumentGraphType>>>>("pending").Description("Instruments the client has not submitted yet.").Resolve(c => c.Source.Pending);
        Field<NonNullGraphType<FeedbackRequestStatusGraphType>>("status")
            .ResolveAsync(async c => FeedbackRequestDecisions.StatusOf(c.Source, await c.Load<EpisodeOfCare>(c.Source.EpisodeId),
                c.RequestServices!.GetRequiredService<TimeProvider>().GetUtcNow()));
        Field<NonNullGraphType<BooleanGraphType>>("hasLink")
            .Description("False for the request opened by itself when the session was recorded: requestFeedback issues its link.").Resolve(c => c.Source.HasLink);
        Field<NonNullGraphType<BooleanGraphType>>("automatic").Resolve(c => c.Source.Automatic);
        Field<NonNullGraphType<InstantGraphType>>("requestedAt").Resolve(c => c.Source.RequestedAt);
        Field<NonNullGraphType<InstantGraphType>>("expiresAt").Resolve(c => c.Source.ExpiresAt);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<InstantGraphType>>>>("sentByEmailAt").Description("When the link was e-mailed (the address is not kept).").Resolve(c => c.Source.SentByEmailAt);
        Field<InstantGraphType>("revokedAt").Resolve(c => c.Source.RevokedAt);
        Field<FeedbackRequestRevocationGraphType>("revokedAs").Resolve(c => c.Source.RevokedAs);
    }
}

public sealed record IssuedFeedbackRequest(FeedbackRequest Request, string Link, string Url)
{
    /// <summary>The URL as a QR code (PNG data URI), for a session by video: the client scans it from the clinician's screen.</summary>
    public string QrCode => SecondFactors.QrCode(Url);
}

public sealed class IssuedFeedbackRequestGraphType : ObjectGraphType<IssuedFeedbackRequest>
{
    public IssuedFeedbackRequestGraphType()
    {
        Name = "IssuedFeedbackRequest";
        Field<NonNullGraphType<FeedbackRequestGraphType>>("request").Resolve(c => c.Source.Request);
        Field<NonNullGraphType<StringGraphType>>("link").Description("`/f/<token>`, shown this once: the client's page (text or QR code), the link's only copy.").Resolve(c => c.Source.Link);
        Field<NonNullGraphType<StringGraphType>>("url").Description("The link as an absolute URL (FEEDBACK_PUBLIC_URL, else this request's origin).").Resolve(c => c.Source.Url);
        Field<NonNullGraphType<StringGraphType>>("qrCode").Description("The URL as a QR code: a PNG data URI.").Resolve(c => c.Source.QrCode);
    }
}

public sealed class RequestFeedbackInput : InputObjectGraphType<RequestFeedback>
{
    public RequestFeedbackInput()
    {
        Field<NonNullGraphType<IdGraphType>>("episodeId");
        Field<NonNullGraphType<IdGraphType>>("sessionId");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<FeedbackInstrumentGraphType>>>>("instruments");
        Field<IntGraphType>("expiresInHours").Description("1 to 168, counted from now; default 24 h after the session.");
        Field<StringGraphType>("email").Description("Sends the link to this address, once; the address is not kept anywhere.");
    }
}

public sealed class RequestFeedbackMutation : IMutationField
{
    public static void AddTo(ObjectGraphType mutation) =>
        mutation.Field<NonNullGraphType<IssuedFeedbackRequestGraphType>>(RequestFeedback.OperationName)
            .Description("Asks the client for the SRS and/or ORS of a recorded session through a one-time link; answers the link, once. " +
                         "Open requests of the session for the same instruments are superseded.")
            .Argument<NonNullGraphType<RequestFeedbackInput>>("input")
            .ResolveAsync(async c =>
            {
                var caller = c.Caller();
                var token = FeedbackLinks.NewToken(caller.Organization);
                var request = c.RequestServices!.GetRequiredService<IHttpContextAccessor>().HttpContext?.Request;
                var url = FeedbackLinks.Url(token, c.RequestServices!.GetRequiredService<SignInSettings>(), request);
                var command = c.GetArgument<RequestFeedback>("input")! with
                {
                    RequestId = Guid.CreateVersion7(), TokenHash = Secrets.Hash(token), LinkUrl = url, RequestedBy = caller.Subject,
                };
                await c.Send(command);
                return new IssuedFeedbackRequest((await c.Load<FeedbackRequest>(command.RequestId))!, FeedbackLinks.Path(token), url);
            });
}

/// <summary>What a feedback request adds to the episode's graph type.</summary>
public static class FeedbackRequestFields
{
    /// <summary>`Episode.feedbackRequests`: the episode's requests, newest first (open ones only unless asked).</summary>
    public static void AddFeedbackRequests(this ObjectGraphType<Dashboards.EpisodeAllianceHealth> episode)
    {
        episode.Field<NonNullGraphType<ListGraphType<NonNullGraphType<FeedbackRequestGraphType>>>>("feedbackRequests")
            .Description("The episode's feedback requests, newest first: only those the client can still answer unless all is true.")
            .Argument<BooleanGraphType>("all", a => a.DefaultValue = false)
            .ResolveAsync(async c =>
            {
                await using var session = c.QuerySession();
                var requests = await session.Query<FeedbackRequest>().Where(r => r.EpisodeId == c.Source.Id).OrderByDescending(r => r.RequestedAt).Take(200).ToListAsync(c.CancellationToken);
                if (c.GetArgument("all", false))
                    return requests;
                var episode = await session.LoadAsync<EpisodeOfCare>(c.Source.Id, c.CancellationToken);
                var now = c.RequestServices!.GetRequiredService<TimeProvider>().GetUtcNow();
                return requests.Where(r => FeedbackRequestDecisions.Answerable(r, episode, now).Count > 0).ToList();
            });
    }
}
