using System.Text;
using System.Text.Json;
using FeedbackPlatform.Access;
using FeedbackPlatform.Clinical;
using FeedbackPlatform.Clinical.Episodes;
using FeedbackPlatform.Clinical.FeedbackRequests;
using FeedbackPlatform.Dashboards;
using FeedbackPlatform.Feedback;
using FeedbackPlatform.Hosting;
using FeedbackPlatform.People;
using FeedbackPlatform.Episodes;
using Marten;
using Wolverine;

namespace FeedbackPlatform.ClientFeedback;

/// <summary>
/// The client's submission through a link: the link's use and the rating in one transaction, the rating through
/// the very handler a clinician's submitSessionRating / submitOutcomeRating runs (same rules, same alerts, same
/// live notice to the directors). The episode and session come from the request, never from the client.
/// </summary>
public sealed record SubmitFeedbackThroughLink : ClinicCommand
{
    public Guid RequestId { get; init; }
    public FeedbackInstrument Instrument { get; init; }
    public SubmitSessionRating? SessionRating { get; init; }
    public SubmitOutcomeRating? OutcomeRating { get; init; }
}

public static class SubmitFeedbackThroughLinkHandler
{
    public static async Task<(CommandOutcome, EpisodeFacts, AlertStreamFacts, OutgoingMessages)> Handle(SubmitFeedbackThroughLink command, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        // For writing: two submissions of one link at once meet at its stream version; the retry finds it used.
        var request = await session.Events.FetchForWriting<FeedbackRequest>(command.RequestId, ct);
        var episode = request.Aggregate is { } r ? await session.LoadAsync<EpisodeOfCare>(r.EpisodeId, ct) : null;
        IReadOnlyList<object> used;
        try
        {
            used = FeedbackRequestDecisions.Use(request.Aggregate, episode, command.Instrument, clock.GetUtcNow());
        }
        catch (FeedbackLinkUnusable)
        {
            return StreamDecisions.Nothing(ClientFeedbackEndpoints.Unusable);
        }
        catch (ClinicalRejection rejection)
        {
            return StreamDecisions.Nothing(CommandOutcome.Rejected(rejection));
        }
        var (outcome, facts, alerts, messages) = command.Instrument == FeedbackInstrument.Srs
            ? await SubmitSessionRatingHandler.Handle(command.SessionRating!, session, clock, ct)
            : await SubmitOutcomeRatingHandler.Handle(command.OutcomeRating!, session, clock, ct);
        // A conflict of the episode's own rules (the session cancelled, the episode closed or the rating entered
        // since the link's check above) is the link's session no longer taking the answer: the one calm answer.
        if (outcome.Code == ErrorCodes.Conflict)
            return StreamDecisions.Nothing(ClientFeedbackEndpoints.Unusable);
        if (outcome.IsAccepted)
            request.AppendMany(used.ToArray());
        return (outcome, facts, alerts, messages);
    }
}

/// <summary>
/// `POST /client-feedback/form` and `POST /client-feedback/submit`: anonymous, the link's token is the capability,
/// sent in the JSON body (never in a URL, so no access log, request log, trace or referrer can carry it). A link
/// that is expired, used, revoked or not ours gets one answer, the same for all four.
/// </summary>
public static class ClientFeedbackEndpoints
{
    public const string LinkUnusable = "LINK_UNUSABLE";
    public const string UnusableMessage = "This link cannot be used. Please ask your clinician for a new one.";
    public const int MaxBodyChars = 4096;

    internal static readonly CommandOutcome Unusable = new(LinkUnusable, null, UnusableMessage);

    private static readonly string[] SrsItems = ["relationship", "goalsAndTopics", "approachOrMethod", "overall"];
    private static readonly string[] OrsItems = ["individual", "interpersonal", "social", "overall"];

    public static void MapClientFeedback(this WebApplication app)
    {
        var group = app.MapGroup("/client-feedback").AllowAnonymous();
        group.MapPost("/form", (HttpContext http) => Answer(http, Form));
        group.MapPost("/submit", (HttpContext http) => Answer(http, Submit));
    }

    private sealed class Refused(int status, string code, string message, string? field = null) : Exception(message)
    {
        public int Status { get; } = status;
        public string Code { get; } = code;
        public string? Field { get; } = field;
    }

    /// <summary>An open link and what its session still takes from the client (never empty).</summary>
    private sealed record Link(string Organization, string TokenHash, FeedbackRequest Request, EpisodeOfCare Episode, IReadOnlyList<FeedbackInstrument> Answerable);

    private static async Task Answer(HttpContext http, Func<HttpContext, JsonElement, Task<object>> run)
    {
        // No page of ours links anywhere from here, and nothing of this answer may be kept by a cache.
        http.Response.Headers["Referrer-Policy"] = "no-referrer";
        http.Response.Headers.CacheControl = "no-store";
        try
        {
            using var body = await Read(http);
            var answer = await run(http, body.RootElement);
            await http.RequestServices.GetRequiredService<AccessLog>().Flush(http.RequestAborted);
            await http.Response.WriteAsJsonAsync(answer, http.RequestAborted);
        }
        catch (Refused refused)
        {
            await Refusals.Write(http, refused.Status, refused.Code, refused.Message, refused.Field);
        }
    }

    private static async Task<JsonDocument> Read(HttpContext http)
    {
        if (!AuthRequests.OriginIsOurs(http.Request, http.RequestServices.GetRequiredService<SignInSettings>()))
            throw new Refused(StatusCodes.Status403Forbidden, AuthRequests.CsrfRefused, "Requests from another site's pages are refused.");
        if (!http.RequestServices.GetRequiredService<ClientLinkRateLimiter>().TryAddress(http.ClientAddress()))
            throw RateLimited(http);
        if (!AuthRequests.IsJson(http.Request.ContentType))
            throw new Refused(StatusCodes.Status415UnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE", "The body must be application/json.");
        string text;
        using (var reader = new StreamReader(http.Request.Body, Encoding.UTF8))
        {
            var buffer = new char[MaxBodyChars + 1];
            var read = await reader.ReadBlockAsync(buffer, http.RequestAborted);
            if (read > MaxBodyChars)
                throw new Refused(StatusCodes.Status413PayloadTooLarge, RequestLimits.PayloadTooLarge, $"The body may have {MaxBodyChars} characters at most.");
            text = new string(buffer, 0, read);
        }
        try
        {
            var document = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 8 });
            if (document.RootElement.ValueKind == JsonValueKind.Object)
                return document;
            document.Dispose();
        }
        catch (JsonException)
        {
            throw new Refused(StatusCodes.Status400BadRequest, ErrorCodes.ValidationFailed, "The body is not valid JSON.");
        }
        throw new Refused(StatusCodes.Status400BadRequest, ErrorCodes.ValidationFailed, "The body must be a JSON object.");
    }

    private static Refused RateLimited(HttpContext http)
    {
        http.Response.Headers.RetryAfter = "60";
        return new Refused(StatusCodes.Status429TooManyRequests, CommandGate.RateLimited, "Too many attempts in a short time; try again in a minute.");
    }

    private static Refused UnusableLink() => new(StatusCodes.Status404NotFound, LinkUnusable, UnusableMessage);

    /// <summary>
    /// The open request the body's token names, whose session still takes an answer (not cancelled, its episode not
    /// closed, not all rated meanwhile), or the one refusal for anything else.
    /// </summary>
    private static async Task<Link> Open(HttpContext http, JsonElement body)
    {
        if (!body.TryGetProperty("token", out var value) || value.ValueKind != JsonValueKind.String)
            throw new Refused(StatusCodes.Status400BadRequest, ErrorCodes.ValidationFailed, "token is required (the link's last part).", "token");
        var token = value.GetString()!;
        var organization = FeedbackLinks.OrganizationOf(token);
        var hash = Secrets.Hash(token);
        if (!http.RequestServices.GetRequiredService<ClientLinkRateLimiter>().TryToken(hash))
            throw RateLimited(http);
        if (organization is null)
            throw UnusableLink();
        await using var session = http.RequestServices.GetRequiredService<IDocumentStore>().QuerySession(organization);
        var request = await session.Query<FeedbackRequest>().FirstOrDefaultAsync(r => r.TokenHash == hash, http.RequestAborted);
        var now = http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        if (request?.TokenHash is null || !Secrets.SameHash(token, request.TokenHash) || !request.IsOpenAt(now))
            throw UnusableLink();
        var episode = await session.LoadAsync<EpisodeOfCare>(request.EpisodeId, http.RequestAborted);
        var answerable = FeedbackRequestDecisions.Answerable(request, episode, now);
        if (answerable.Count == 0)
            throw UnusableLink();
        return new Link(organization, hash, request, episode!, answerable);
    }

    private static async Task<object> Form(HttpContext http, JsonElement body)
    {
        var link = await Open(http, body);
        await using var session = http.RequestServices.GetRequiredService<IDocumentStore>().QuerySession(link.Organization);
        var settings = await FeedbackLinks.SettingsInForce(session, http.RequestAborted);
        var acceptLanguage = http.Request.Headers.AcceptLanguage.ToString();
        var instruments = link.Answerable.Select(instrument =>
        {
            var (language, items) = settings.WordingFor(instrument, link.Episode.Population, acceptLanguage);
            var keys = instrument == FeedbackInstrument.Srs ? SrsItems : OrsItems;
            return new
            {
                instrument = Hosting.Telemetry.Label(instrument),
                language,
                items = items.Select((item, i) => new { key = keys[i], label = item.Label, low = item.Low, high = item.High }).ToList(),
            };
        }).ToList();
        object? trajectory = null;
        if (settings.ShowClientTrajectory && await session.LoadAsync<EpisodeAllianceHealth>(link.Request.EpisodeId, http.RequestAborted) is { } episode)
        {
            // The client's own ORS totals: their own answers, read through their link, so recorded like any read of the episode.
            http.RequestServices.GetRequiredService<AccessLog>().RecordClientLink(link.Organization, link.Request.Id, episode.Id);
            var sessions = await session.Query<EpisodeSession>().Where(s => s.EpisodeId == episode.Id).ToListAsync(http.RequestAborted);
            trajectory = EpisodeHistoryRows.OrsSeries(sessions).Select(p => new { sessionNumber = p.SessionNumber, total = p.Total, submittedAt = p.SubmittedAt }).ToList();
        }
        return new { instruments, expiresAt = link.Request.ExpiresAt, trajectory };
    }

    private static async Task<object> Submit(HttpContext http, JsonElement body)
    {
        var link = await Open(http, body);
        if (!body.TryGetProperty("instrument", out var named) || named.ValueKind != JsonValueKind.String
            || named.GetString() is not ("SRS" or "ORS"))
            throw new Refused(StatusCodes.Status400BadRequest, ErrorCodes.ValidationFailed, "instrument must be SRS or ORS.", "instrument");
        var instrument = named.GetString() == "SRS" ? FeedbackInstrument.Srs : FeedbackInstrument.Ors;
        if (!body.TryGetProperty("items", out var items) || items.ValueKind != JsonValueKind.Object)
            throw new Refused(StatusCodes.Status400BadRequest, ErrorCodes.ValidationFailed, "items must be an object of the instrument's four items.", "items");
        var keys = instrument == FeedbackInstrument.Srs ? SrsItems : OrsItems;
        foreach (var property in items.EnumerateObject())
            if (!keys.Contains(property.Name))
                throw new Refused(StatusCodes.Status400BadRequest, ErrorCodes.ValidationFailed, $"{property.Name} is not an item of the {named.GetString()}.", $"items.{property.Name}");
        var values = keys.Select(key => Item(items, key)).ToArray();

        var request = link.Request;
        var command = new SubmitFeedbackThroughLink
        {
            RequestId = request.Id,
            Instrument = instrument,
            SessionRating = instrument == FeedbackInstrument.Srs
                ? new SubmitSessionRating { EpisodeId = request.EpisodeId, SessionId = request.SessionId, Relationship = values[0], GoalsAndTopics = values[1], ApproachOrMethod = values[2], Overall = values[3] }
                : null,
            OutcomeRating = instrument == FeedbackInstrument.Ors
                ? new SubmitOutcomeRating { EpisodeId = request.EpisodeId, SessionId = request.SessionId, Individual = values[0], Interpersonal = values[1], Social = values[2], Overall = values[3] }
                : null,
        };
        CommandOutcome outcome;
        using (await http.RequestServices.GetRequiredService<CommandSlots>().WaitForSlot(http.RequestAborted))
            outcome = await http.RequestServices.GetRequiredService<IMessageBus>().InvokeForTenantAsync<CommandOutcome>(link.Organization, command, http.RequestAborted);
        if (outcome.Code == LinkUnusable)
            throw UnusableLink();
        if (!outcome.IsAccepted)
        {
            // What is left for the rules to refuse is about the client's own marks (an item out of range): the
            // client gets the reason, with the item named. (The session no longer taking the answer came back as LinkUnusable.)
            var field = outcome.Field is { } f && keys.Contains(f) ? $"items.{f}" : outcome.Field;
            throw new Refused(StatusCodes.Status400BadRequest, outcome.Code!, outcome.Message ?? outcome.Code!, field);
        }
        http.RequestServices.GetRequiredService<AccessLog>().RecordClientLink(link.Organization, request.Id, request.EpisodeId);
        await using var session = http.RequestServices.GetRequiredService<IDocumentStore>().QuerySession(link.Organization);
        var after = await session.LoadAsync<FeedbackRequest>(request.Id, http.RequestAborted);
        var episode = await session.LoadAsync<EpisodeOfCare>(request.EpisodeId, http.RequestAborted);
        var now = http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        return new
        {
            submitted = Hosting.Telemetry.Label(instrument),
            pending = (after is null ? [] : FeedbackRequestDecisions.Answerable(after, episode, now)).Select(i => Hosting.Telemetry.Label(i)).ToList(),
        };
    }

    /// <summary>An item's mark as a JSON number; the core then checks its range and its one decimal, as for a clinician's entry.</summary>
    private static double? Item(JsonElement items, string key)
    {
        if (!items.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null)
            throw new Refused(StatusCodes.Status400BadRequest, ErrorCodes.ValidationFailed, $"{key} is required.", $"items.{key}");
        // Taken only as written, as the API's other numbers (TransportNumber.Parse): -1e-400 is not 0.0.
        if (value.ValueKind != JsonValueKind.Number || TransportNumber.Parse(value.GetRawText()) is null || !value.TryGetDouble(out var number))
            throw new Refused(StatusCodes.Status400BadRequest, ErrorCodes.ValidationFailed, $"{key} must be a number from 0.0 to 10.0.", $"items.{key}");
        return number;
    }
}
