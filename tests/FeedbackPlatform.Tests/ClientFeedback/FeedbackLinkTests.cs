using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using FeedbackPlatform.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace FeedbackPlatform.Tests.ClientFeedback;

/// <summary>A host with a clock the tests move, an SMTP receiver, every log line captured (ASP.NET Core's too), and low link limits.</summary>
public sealed class FeedbackLinkFixture : PlatformFixture
{
    public TestClock Clock { get; } = new(DateTimeOffset.UtcNow);
    public SmtpListener Smtp { get; } = new();
    public CapturingLoggerProvider Logs { get; } = new();

    protected override IEnumerable<(string Key, string Value)> Settings() =>
    [
        ("Logging:LogLevel:Default", "Debug"),
        // ASP.NET Core's hosting and routing logs name the request path: the page's path must reach them redacted.
        ("Logging:LogLevel:Microsoft.AspNetCore", "Debug"),
        ("FEEDBACK_SMTP_HOST", "127.0.0.1"),
        ("FEEDBACK_SMTP_PORT", Smtp.Port.ToString()),
        ("FEEDBACK_CLIENT_LINK_PER_TOKEN_PER_MINUTE", "8"),
        ("FEEDBACK_CLIENT_LINK_PER_ADDRESS_PER_MINUTE", "30"),
    ];

    protected override void Configure(IServiceCollection services)
    {
        services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Clock));
        services.AddSingleton<ILoggerProvider>(Logs);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Smtp.DisposeAsync();
    }

    public sealed record Answer(int Status, string Text, IReadOnlyDictionary<string, string> Headers)
    {
        public JsonNode? Body => Text.Length == 0 ? null : JsonNode.Parse(Text);
        public string? Code => Body?["code"]?.GetValue<string>();
    }

    private int _address;

    /// <summary>A new client address (so the per-address limit of one test does not meet another's).</summary>
    public string NewAddress() => $"10.1.{Interlocked.Increment(ref _address) / 250}.{_address % 250 + 1}";

    /// <summary>An anonymous request to the client's endpoints, as the page's script sends it.</summary>
    public async Task<Answer> Client(string url, object body, string address, string? acceptLanguage = null, string method = "POST",
        string contentType = "application/json", string? origin = null)
    {
        var result = await Host.Scenario(s =>
        {
            if (method == "GET")
                s.Get.Url(url);
            else
                s.Post.Text(body as string ?? JsonSerializer.Serialize(body)).ToUrl(url);
            s.WithRequestHeader("Content-Type", contentType);
            if (origin is not null)
                s.WithRequestHeader("Origin", origin);
            s.ConfigureHttpContext(c =>
            {
                c.Connection.RemoteIpAddress = IPAddress.Parse(address);
                c.Request.Headers.Remove("Authorization");
                if (acceptLanguage is not null)
                    c.Request.Headers.AcceptLanguage = acceptLanguage;
            });
            s.IgnoreStatusCode();
        });
        var headers = result.Context.Response.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        return new Answer(result.Context.Response.StatusCode, await result.ReadAsTextAsync(), headers);
    }

    /// <summary>Every table of the fixture's schema as text, to search for what must never be stored.</summary>
    public async Task<string> EverythingStored()
    {
        await using var connection = new Npgsql.NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new Npgsql.NpgsqlCommand("select table_name from information_schema.tables where table_schema = @s and table_type = 'BASE TABLE'", connection))
        {
            list.Parameters.AddWithValue("s", Schema);
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync())
                tables.Add(reader.GetString(0));
        }
        var all = new System.Text.StringBuilder();
        foreach (var table in tables)
        {
            await using var dump = new Npgsql.NpgsqlCommand($"select coalesce(string_agg(t::text, '\n'), '') from \"{Schema}\".\"{table}\" t", connection);
            all.AppendLine((string)(await dump.ExecuteScalarAsync())!);
        }
        return all.ToString();
    }
}

/// <summary>
/// The client's link: what it grants (one session's instruments, once each, until it expires or is revoked, and
/// nothing else), the one answer for every link that cannot be used, the limits, and that neither its token nor
/// an e-mail address typed for it reaches a log line or the store.
/// </summary>
public sealed class FeedbackLinkTests(FeedbackLinkFixture platform) : IClassFixture<FeedbackLinkFixture>
{
    private const string Request = "mutation($i: RequestFeedbackInput!) { requestFeedback(input: $i) { link url request { id status instruments pending expiresAt hasLink sentByEmailAt } } }";
    private const string Requests = "query($id: ID!) { episode(id: $id) { feedbackRequests(all: true) { id status automatic hasLink instruments pending revokedAs } } }";

    private static object Srs(string token, double a, double b, double c, double d, string instrument = "SRS") =>
        new { token, instrument, items = new { relationship = a, goalsAndTopics = b, approachOrMethod = c, overall = d } };

    private static object Item(string label, string? low = null, string? high = null) => new { label, low, high };

    private static object Ors(string token, double a, double b, double c, double d) =>
        new { token, instrument = "ORS", items = new { individual = a, interpersonal = b, social = c, overall = d } };

    private async Task<(Clinic Clinic, Guid Episode, Guid Session, string Clinician)> Session(string population = "ADULT")
    {
        var clinic = await new Clinic(platform).Register();
        var episode = await clinic.OpenEpisode(population);
        var session = await clinic.RecordSession(episode);
        return (clinic, episode, session, Tokens.For("clinician", platform.Organization, [clinic.SiteId], clinic.TherapistId));
    }

    private async Task<(string Token, Guid RequestId, JsonNode Answer)> Link(Guid episode, Guid session, string[] instruments, string? token = null, int? hours = null, string? email = null)
    {
        var answer = (await platform.GraphQL(Request, new { i = new { episodeId = episode, sessionId = session, instruments, expiresInHours = hours, email } }, token: token)).At("requestFeedback")!;
        var link = answer["link"]!.GetValue<string>();
        Assert.StartsWith("/f/", link);
        Assert.EndsWith(link, answer["url"]!.GetValue<string>());
        return (link[3..], Guid.Parse(answer["request"]!["id"]!.GetValue<string>()), answer);
    }

    [Fact]
    public async Task A_clinician_s_link_serves_the_form_and_takes_each_instrument_once_through_the_same_rules()
    {
        var (clinic, episode, session, clinician) = await Session();
        var address = platform.NewAddress();
        var (token, requestId, issued) = await Link(episode, session, ["SRS", "ORS"], clinician);
        Assert.Equal(["ORS", "SRS"], issued["request"]!["instruments"]!.AsArray().Select(i => i!.GetValue<string>()));
        Assert.True(token.Length >= 43 + 2, token);
        Assert.DoesNotContain('.', token);
        // The token is stored nowhere, only its hash.
        var stored = await platform.EverythingStored();
        Assert.DoesNotContain(token, stored);
        Assert.Contains(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token))), stored);

        var form = await platform.Client("/client-feedback/form", new { token }, address);
        Assert.Equal(200, form.Status);
        Assert.Equal("no-referrer", form.Headers["Referrer-Policy"]);
        Assert.Equal("no-store", form.Headers["Cache-Control"]);
        var instruments = form.Body!["instruments"]!.AsArray();
        Assert.Equal(["ORS", "SRS"], instruments.Select(i => i!["instrument"]!.GetValue<string>()));
        Assert.Equal(["Relationship", "Goals and topics", "Approach or method", "Overall"], instruments[1]!["items"]!.AsArray().Select(i => i!["label"]!.GetValue<string>()));
        Assert.Equal(["Individually", "Interpersonally", "Socially", "Overall"], instruments[0]!["items"]!.AsArray().Select(i => i!["label"]!.GetValue<string>()));
        Assert.Null(form.Body["trajectory"]);
        // Nothing of the episode but its form: no client id, no episode or session id.
        Assert.DoesNotContain("client-", form.Text);
        Assert.DoesNotContain(episode.ToString(), form.Text);
        Assert.DoesNotContain(session.ToString(), form.Text);

        // A total of 30: the same rules as a clinician's entry raise LOW_ALLIANCE, and the director's inbox has it.
        var submitted = await platform.Client("/client-feedback/submit", Srs(token, 7.5, 7.4, 7.6, 7.5), address);
        Assert.Equal(200, submitted.Status);
        Assert.Equal(["ORS"], submitted.Body!["pending"]!.AsArray().Select(i => i!.GetValue<string>()));
        var stored2 = (await platform.GraphQL("query($id: ID!) { episode(id: $id) { sessions { id sessionRating { relationship goalsAndTopics approachOrMethod overall total } } alerts { kind status } } }", new { id = episode })).At("episode")!;
        var rating = stored2["sessions"]![0]!["sessionRating"]!;
        Assert.Equal((7.5, 7.4, 7.6, 7.5, 30.0), (rating["relationship"]!.GetValue<double>(), rating["goalsAndTopics"]!.GetValue<double>(),
            rating["approachOrMethod"]!.GetValue<double>(), rating["overall"]!.GetValue<double>(), rating["total"]!.GetValue<double>()));
        Assert.Contains(stored2["alerts"]!.AsArray(), a => a!["kind"]!.GetValue<string>() == "LOW_ALLIANCE" && a["status"]!.GetValue<string>() == "OPEN");
        var director = Tokens.For("director", platform.Organization, [clinic.SiteId]);
        var inbox = (await platform.GraphQL("{ alerts(first: 50) { edges { node { kind episode { id } } } } }", token: director)).At("alerts.edges")!.AsArray();
        Assert.Contains(inbox, e => e!["node"]!["kind"]!.GetValue<string>() == "LOW_ALLIANCE" && e["node"]!["episode"]!["id"]!.GetValue<string>() == episode.ToString());

        // The SRS again: the link has been used for it. The form now offers the ORS only.
        var again = await platform.Client("/client-feedback/submit", Srs(token, 9, 9, 9, 9), address);
        Assert.Equal((404, "LINK_UNUSABLE"), (again.Status, again.Code));
        var rest = await platform.Client("/client-feedback/form", new { token }, address);
        Assert.Equal(["ORS"], rest.Body!["instruments"]!.AsArray().Select(i => i!["instrument"]!.GetValue<string>()));

        var ors = await platform.Client("/client-feedback/submit", Ors(token, 5.1, 6.2, 7.3, 8.4), address);
        Assert.Equal(200, ors.Status);
        Assert.Empty(ors.Body!["pending"]!.AsArray());
        Assert.Equal((404, "LINK_UNUSABLE"), ((await platform.Client("/client-feedback/form", new { token }, address)) is var used ? (used.Status, used.Code) : default));

        var status = (await platform.GraphQL(Requests, new { id = episode }, token: clinician)).At("episode.feedbackRequests.0")!;
        Assert.Equal(("USED", 0), (status["status"]!.GetValue<string>(), status["pending"]!.AsArray().Count));

        // The access log names the request, as a client link: never the token.
        var log = (await platform.GraphQL("query($e: ID) { accessLog(episodeId: $e, first: 50) { subject role operation } }", new { e = episode })).At("accessLog")!.AsArray();
        var entries = log.Where(r => r!["role"]!.GetValue<string>() == "CLIENT").ToList();
        Assert.Equal(2, entries.Count); // the SRS and the ORS, each submitted in a request of its own
        Assert.All(entries, e => Assert.Equal(($"feedback-request:{requestId}", "client link"), (e!["subject"]!.GetValue<string>(), e["operation"]!.GetValue<string>())));
        Assert.DoesNotContain(token, log.ToJsonString());
    }

    [Fact]
    public async Task A_link_reaches_its_own_session_and_instruments_only()
    {
        var (clinic, episode, session, clinician) = await Session();
        var otherEpisode = await clinic.OpenEpisode();
        var otherSession = await clinic.RecordSession(otherEpisode);
        var address = platform.NewAddress();
        var (token, _, _) = await Link(episode, session, ["SRS"], clinician);

        // Another instrument: refused by its field, nothing stored.
        var events = await platform.EventCount();
        var ors = await platform.Client("/client-feedback/submit", Ors(token, 5, 5, 5, 5), address);
        Assert.Equal((400, "VALIDATION_FAILED"), (ors.Status, ors.Code));
        Assert.Equal("instrument", ors.Body!["field"]!.GetValue<string>());
        Assert.Equal(events, await platform.EventCount());

        // Ids in the body name nothing: the rating lands on the link's session, never on another episode's.
        var aimed = await platform.Client("/client-feedback/submit",
            new { token, instrument = "SRS", episodeId = otherEpisode, sessionId = otherSession, items = new { relationship = 9.0, goalsAndTopics = 9.0, approachOrMethod = 9.0, overall = 9.0 } }, address);
        Assert.Equal(200, aimed.Status);
        var other = (await platform.GraphQL("query($id: ID!) { episode(id: $id) { sessions { hasSessionRating } } }", new { id = otherEpisode })).At("episode.sessions.0.hasSessionRating")!;
        Assert.False(other.GetValue<bool>());
        var own = (await platform.GraphQL("query($id: ID!) { episode(id: $id) { sessions { sessionRating { total } } } }", new { id = episode })).At("episode.sessions.0.sessionRating.total")!;
        Assert.Equal(36.0, own.GetValue<double>());

        // The link is no key to the API: GraphQL and REST refuse it as they refuse any unknown bearer.
        var graphql = await platform.GraphQL("{ organization { key } }", expectedStatus: -1, token: token);
        Assert.True(graphql.HasErrors);
        Assert.Null(graphql.Data?["organization"]);
    }

    [Fact]
    public async Task Expired_used_revoked_and_altered_links_get_one_and_the_same_answer()
    {
        var (clinic, episode, session, clinician) = await Session();
        var address = platform.NewAddress();
        var (expiring, _, _) = await Link(episode, session, ["ORS"], clinician, hours: 1);
        var (revoked, revokedId, _) = await Link(episode, await clinic.RecordSession(episode, 1), ["SRS"], clinician, hours: 48);
        var (used, _, _) = await Link(episode, await clinic.RecordSession(episode, 2), ["SRS"], clinician, hours: 48);
        var (valid, _, _) = await Link(episode, await clinic.RecordSession(episode, 3), ["SRS"], clinician, hours: 48);

        Assert.Equal(200, (await platform.Client("/client-feedback/submit", Srs(used, 9, 9, 9, 9), address)).Status);
        (await platform.GraphQL("mutation($i: RevokeFeedbackRequestInput!) { revokeFeedbackRequest(input: $i) { status revokedAs } }", new { i = new { requestId = revokedId } }, token: null))
            .At("revokeFeedbackRequest.status");
        var altered = valid[..^1] + (valid[^1] == 'A' ? 'B' : 'A');
        platform.Clock.Advance(TimeSpan.FromMinutes(61));
        try
        {
            var answers = new List<FeedbackLinkFixture.Answer>();
            foreach (var token in new[] { expiring, used, revoked, altered, valid[..20], "not-a-link" })
            {
                answers.Add(await platform.Client("/client-feedback/form", new { token }, address));
                answers.Add(await platform.Client("/client-feedback/submit", Srs(token, 5, 5, 5, 5), address));
            }
            Assert.All(answers, a => Assert.Equal((404, "LINK_UNUSABLE"), (a.Status, a.Code)));
            // Byte for byte: nobody can tell which of the four it was.
            Assert.Single(answers.Select(a => a.Text).Distinct());
            Assert.Contains("ask your clinician", answers[0].Text);
            // The valid link still works: its 48 hours have not passed.
            Assert.Equal(200, (await platform.Client("/client-feedback/form", new { token = valid }, address)).Status);

            // The clinician sees which it is.
            var statuses = (await platform.GraphQL(Requests, new { id = episode }, token: clinician)).At("episode.feedbackRequests")!.AsArray()
                .Select(r => r!["status"]!.GetValue<string>()).Order().ToArray();
            Assert.Equal(["EXPIRED", "OPEN", "REVOKED", "USED"], statuses);
        }
        finally
        {
            platform.Clock.Advance(TimeSpan.FromMinutes(-61));
        }
    }

    [Fact]
    public async Task A_link_whose_session_was_cancelled_rated_or_whose_episode_closed_since_it_was_issued_gets_the_same_answer()
    {
        var (clinic, episode, cancelled, clinician) = await Session();
        var rated = await clinic.RecordSession(episode, 1);
        var last = await clinic.RecordSession(episode, 2);
        var address = platform.NewAddress();
        var (ofCancelled, ofCancelledId, _) = await Link(episode, cancelled, ["SRS"], clinician);
        var (ofRated, _, _) = await Link(episode, rated, ["SRS", "ORS"], clinician);
        var (ofLast, _, _) = await Link(episode, last, ["SRS"], clinician);
        var unknown = ofLast[..^1] + (ofLast[^1] == 'A' ? 'B' : 'A');
        var refusal = await platform.Client("/client-feedback/form", new { token = unknown }, address);
        Assert.Equal((404, "LINK_UNUSABLE"), (refusal.Status, refusal.Code));

        // The clinician typed the SRS in meanwhile: the link offers the ORS only and refuses the SRS like any unusable link.
        (await clinic.SubmitSrs(episode, rated, 9, 9, 9, 9)).At("submitSessionRating");
        var form = await platform.Client("/client-feedback/form", new { token = ofRated }, address);
        Assert.Equal(["ORS"], form.Body!["instruments"]!.AsArray().Select(i => i!["instrument"]!.GetValue<string>()));
        var events = await platform.EventCount();
        var srs = await platform.Client("/client-feedback/submit", Srs(ofRated, 2, 2, 2, 2), address);
        Assert.Equal((404, refusal.Text), (srs.Status, srs.Text));
        Assert.Equal(events, await platform.EventCount());
        var ors = await platform.Client("/client-feedback/submit", Ors(ofRated, 5, 5, 5, 5), address);
        Assert.Equal(200, ors.Status);
        // Nothing left to answer: the SRS the link never took is not offered as pending.
        Assert.Empty(ors.Body!["pending"]!.AsArray());

        (await platform.GraphQL("mutation($i: CancelSessionInput!) { cancelSession(input: $i) { id } }", new { i = new { episodeId = episode, sessionId = cancelled } }, token: clinician))
            .At("cancelSession");
        events = await platform.EventCount();
        foreach (var answer in new[]
                 {
                     await platform.Client("/client-feedback/form", new { token = ofCancelled }, address),
                     await platform.Client("/client-feedback/submit", Srs(ofCancelled, 5, 5, 5, 5), address),
                 })
            Assert.Equal((404, refusal.Text), (answer.Status, answer.Text));
        // The clinician sees why: the links of the cancelled and of the rated session are no longer offered as open.
        const string requests = "query($id: ID!, $all: Boolean) { episode(id: $id) { feedbackRequests(all: $all) { sessionId status } } }";
        var open = (await platform.GraphQL(requests, new { id = episode, all = false }, token: clinician)).At("episode.feedbackRequests")!.AsArray();
        Assert.Equal([last.ToString()], open.Select(r => r!["sessionId"]!.GetValue<string>()));
        var all = (await platform.GraphQL(requests, new { id = episode, all = true }, token: clinician)).At("episode.feedbackRequests")!.AsArray();
        Assert.Equal("SESSION_CLOSED", all.Single(r => r!["sessionId"]!.GetValue<string>() == cancelled.ToString())!["status"]!.GetValue<string>());
        Assert.Equal("USED", all.Single(r => r!["sessionId"]!.GetValue<string>() == rated.ToString())!["status"]!.GetValue<string>());

        // The handler decides the same when the session changes between the link's check and the submission.
        using var scope = platform.Host.Services.CreateScope();
        var outcome = await scope.ServiceProvider.GetRequiredService<Wolverine.IMessageBus>().InvokeForTenantAsync<FeedbackPlatform.Hosting.CommandOutcome>(platform.Organization,
            new FeedbackPlatform.ClientFeedback.SubmitFeedbackThroughLink
            {
                RequestId = ofCancelledId, Instrument = FeedbackPlatform.Clinical.FeedbackRequests.FeedbackInstrument.Srs,
                SessionRating = new FeedbackPlatform.Feedback.SubmitSessionRating { EpisodeId = episode, SessionId = cancelled, Relationship = 5, GoalsAndTopics = 5, ApproachOrMethod = 5, Overall = 5 },
            }, TestContext.Current.CancellationToken);
        Assert.Equal("LINK_UNUSABLE", outcome.Code);
        Assert.Equal(events, await platform.EventCount());

        Assert.Equal(200, (await platform.Client("/client-feedback/form", new { token = ofLast }, address)).Status);
        (await platform.GraphQL("mutation($i: CloseEpisodeInput!) { closeEpisode(input: $i) { status } }", new { i = new { episodeId = episode, reason = "PLANNED" } }, token: clinician))
            .At("closeEpisode");
        events = await platform.EventCount();
        foreach (var answer in new[]
                 {
                     await platform.Client("/client-feedback/form", new { token = ofLast }, address),
                     await platform.Client("/client-feedback/submit", Srs(ofLast, 5, 5, 5, 5), address),
                 })
            Assert.Equal((404, refusal.Text), (answer.Status, answer.Text));
        Assert.Equal(events, await platform.EventCount());
    }

    [Fact]
    public async Task Hostile_inputs_on_the_link_endpoints_get_a_4xx_with_a_code_and_store_nothing()
    {
        var (_, episode, session, clinician) = await Session();
        var (token, _, _) = await Link(episode, session, ["SRS"], clinician);
        var events = await platform.EventCount();
        async Task<(int, string?, string?)> Sent(string url, object body, string contentType = "application/json", string? origin = null)
        {
            var answer = await platform.Client(url, body, platform.NewAddress(), contentType: contentType, origin: origin);
            Assert.InRange(answer.Status, 400, 499);
            return (answer.Status, answer.Code, answer.Body?["field"]?.GetValue<string>());
        }
        Assert.Equal((415, "UNSUPPORTED_MEDIA_TYPE", null), await Sent("/client-feedback/form", JsonSerializer.Serialize(new { token }), "text/plain"));
        Assert.Equal((403, "CSRF_REFUSED", null), await Sent("/client-feedback/submit", Srs(token, 1, 1, 1, 1), origin: "https://elsewhere.example"));
        Assert.Equal((413, "PAYLOAD_TOO_LARGE", null), await Sent("/client-feedback/form", JsonSerializer.Serialize(new { token, pad = new string('x', 5000) })));
        Assert.Equal((400, "VALIDATION_FAILED", null), await Sent("/client-feedback/form", "{\"token\": "));
        Assert.Equal((400, "VALIDATION_FAILED", null), await Sent("/client-feedback/form", "[\"" + token + "\"]"));
        Assert.Equal((400, "VALIDATION_FAILED", null), await Sent("/client-feedback/form", string.Concat(Enumerable.Repeat("{\"a\":", 12)) + "1" + new string('}', 12)));
        Assert.Equal((400, "VALIDATION_FAILED", "token"), await Sent("/client-feedback/form", new { token = 12345 }));
        Assert.Equal((400, "VALIDATION_FAILED", "token"), await Sent("/client-feedback/form", new { }));
        foreach (var forged in new[] { "", new string('A', 3000), token + "/../x", token.Replace(token[^5], '\u00e9'), token + "\u0000", "../../etc/passwd", "' or 1=1 --" })
            Assert.Equal((404, "LINK_UNUSABLE", null), await Sent("/client-feedback/form", new { token = forged }));

        // Through the real token: what the body says beyond it is checked by its field.
        Assert.Equal((400, "VALIDATION_FAILED", "instrument"), await Sent("/client-feedback/submit", new { token, instrument = "WAI", items = new { } }));
        Assert.Equal((400, "VALIDATION_FAILED", "items"), await Sent("/client-feedback/submit", new { token, instrument = "SRS", items = new[] { 1, 2, 3, 4 } }));
        Assert.Equal((400, "VALIDATION_FAILED", "items.__proto__"), await Sent("/client-feedback/submit",
            "{\"token\":\"" + token + "\",\"instrument\":\"SRS\",\"items\":{\"__proto__\":1,\"relationship\":1,\"goalsAndTopics\":1,\"approachOrMethod\":1,\"overall\":1}}"));
        Assert.Equal((400, "VALIDATION_FAILED", "items.overall"), await Sent("/client-feedback/submit",
            "{\"token\":\"" + token + "\",\"instrument\":\"SRS\",\"items\":{\"relationship\":1,\"goalsAndTopics\":1,\"approachOrMethod\":1,\"overall\":1e400}}"));
        Assert.Equal((400, "VALIDATION_FAILED", "items.relationship"), await Sent("/client-feedback/submit", Srs(token, 10.5, 1, 1, 1)));
        Assert.Equal((400, "VALIDATION_FAILED", "items.goalsAndTopics"), await Sent("/client-feedback/submit", Srs(token, 1, -0.1, 1, 1)));
        Assert.Equal(events, await platform.EventCount());
        // None of it used the link up.
        Assert.Equal(200, (await platform.Client("/client-feedback/form", new { token }, platform.NewAddress())).Status);
    }

    [Fact]
    public async Task Requesting_again_supersedes_the_open_link_of_the_same_instrument()
    {
        var (_, episode, session, clinician) = await Session();
        var address = platform.NewAddress();
        var (first, firstId, _) = await Link(episode, session, ["SRS", "ORS"], clinician);
        var (second, _, _) = await Link(episode, session, ["SRS"], clinician);
        Assert.Equal((404, "LINK_UNUSABLE"), (await platform.Client("/client-feedback/form", new { token = first }, address)) is var a ? (a.Status, a.Code) : default);
        Assert.Equal(200, (await platform.Client("/client-feedback/form", new { token = second }, address)).Status);
        var requests = (await platform.GraphQL(Requests, new { id = episode }, token: clinician)).At("episode.feedbackRequests")!.AsArray();
        Assert.Equal("SUPERSEDED", requests.Single(r => r!["id"]!.GetValue<string>() == firstId.ToString())!["revokedAs"]!.GetValue<string>());
        // Open requests only, by default.
        Assert.Single((await platform.GraphQL("query($id: ID!) { episode(id: $id) { feedbackRequests { id } } }", new { id = episode }, token: clinician)).At("episode.feedbackRequests")!.AsArray());
    }

    [Fact]
    public async Task Requests_are_refused_by_their_field_and_only_for_the_clinician_s_own_episodes()
    {
        var (clinic, episode, session, clinician) = await Session();
        var events = await platform.EventCount();
        async Task<(string?, string?)> Refusal(object input, string? token = null)
        {
            var response = await platform.GraphQL(Request, new { i = input }, token: token ?? clinician);
            return (response.FirstCode, response.FirstField);
        }
        Assert.Equal(("VALIDATION_FAILED", "expiresInHours"), await Refusal(new { episodeId = episode, sessionId = session, instruments = new[] { "SRS" }, expiresInHours = 169 }));
        Assert.Equal(("VALIDATION_FAILED", "expiresInHours"), await Refusal(new { episodeId = episode, sessionId = session, instruments = new[] { "SRS" }, expiresInHours = 0 }));
        Assert.Equal(("VALIDATION_FAILED", "instruments"), await Refusal(new { episodeId = episode, sessionId = session, instruments = Array.Empty<string>() }));
        Assert.Equal(("NOT_FOUND", "sessionId"), await Refusal(new { episodeId = episode, sessionId = Guid.NewGuid(), instruments = new[] { "SRS" } }));
        Assert.Equal(("VALIDATION_FAILED", "email"), await Refusal(new { episodeId = episode, sessionId = session, instruments = new[] { "SRS" }, email = "not an address" }));
        // Another clinician's episode is answered as one that does not exist.
        var colleague = Tokens.For("clinician", platform.Organization, [clinic.SiteId], Guid.NewGuid());
        Assert.Equal(("NOT_FOUND", "episodeId"), await Refusal(new { episodeId = episode, sessionId = session, instruments = new[] { "SRS" } }, colleague));
        var director = Tokens.For("director", platform.Organization, [clinic.SiteId]);
        Assert.Equal("FORBIDDEN", (await Refusal(new { episodeId = episode, sessionId = session, instruments = new[] { "SRS" } }, director)).Item1);
        Assert.Equal(events, await platform.EventCount());
    }

    [Fact]
    public async Task A_link_by_e_mail_goes_to_the_address_typed_and_the_address_is_kept_nowhere()
    {
        var (_, episode, session, clinician) = await Session();
        var email = $"client.{Guid.NewGuid():N}@mail.example";
        var (token, _, issued) = await Link(episode, session, ["SRS"], clinician, email: email);
        Assert.Single(issued["request"]!["sentByEmailAt"]!.AsArray());
        var mail = await Eventually.Get(() => Task.FromResult(platform.Smtp.Messages.FirstOrDefault(m => m.To.Any(t => t.Contains(email)))), m => m is not null);
        Assert.NotNull(mail);
        Assert.Contains("/f/" + token, mail!.Data);
        Assert.DoesNotContain(email, await platform.EverythingStored(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(platform.Logs.Lines, l => l.Contains(email, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Per_link_and_per_address_limits_answer_429_with_a_retry_time()
    {
        var (_, episode, session, clinician) = await Session();
        var (token, _, _) = await Link(episode, session, ["SRS"], clinician);
        var answers = new List<FeedbackLinkFixture.Answer>();
        for (var i = 0; i < 9; i++)
            answers.Add(await platform.Client("/client-feedback/form", new { token }, platform.NewAddress())); // a new address each time: the link's own limit
        Assert.All(answers.Take(8), a => Assert.Equal(200, a.Status));
        Assert.Equal((429, "RATE_LIMITED"), (answers[8].Status, answers[8].Code));
        Assert.Equal("60", answers[8].Headers["Retry-After"]);

        var address = platform.NewAddress();
        var guesses = new List<FeedbackLinkFixture.Answer>();
        for (var i = 0; i < 31; i++)
            guesses.Add(await platform.Client("/client-feedback/form", new { token = token[..^4] + i.ToString("D4") }, address));
        Assert.All(guesses.Take(30), a => Assert.Equal(404, a.Status));
        Assert.Equal((429, "RATE_LIMITED"), (guesses[30].Status, guesses[30].Code));
    }

    [Fact]
    public async Task The_organization_s_wording_follows_the_browser_s_language_and_the_automatic_SRS_request_waits_for_its_link()
    {
        var settings = await platform.GraphQL("""
            mutation($i: UpdateClientFeedbackSettingsInput!) { updateClientFeedbackSettings(input: $i) { requestSrsWhenSessionRecorded showClientTrajectory wordings { language population } } }
            """, new
        {
            i = new
            {
                requestSrsWhenSessionRecorded = true,
                showClientTrajectory = true,
                wordings = new object[]
                {
                    new { instrument = "SRS", population = "ADULT", language = "en", items = new[] { Item("Relationship", "I did not feel heard", "I felt heard"), Item("Goals and topics"), Item("Approach or method"), Item("Overall") } },
                    new { instrument = "SRS", population = "ADULT", language = "de", items = new[] { Item("Beziehung", "Nicht gehört", "Gehört"), Item("Ziele und Themen"), Item("Vorgehen"), Item("Insgesamt") } },
                    new { instrument = "SRS", population = "CHILD", language = "en", items = new[] { Item("Listening"), Item("How important"), Item("What we did"), Item("Overall") } },
                },
            },
        });
        try
        {
            Assert.True(settings.At("updateClientFeedbackSettings.requestSrsWhenSessionRecorded")!.GetValue<bool>());
            var bad = await platform.GraphQL("mutation { updateClientFeedbackSettings(input: { wordings: [{ instrument: ORS, population: ADULT, language: \"klingon!\", items: [{ label: \"a\" }] }] }) { changedAt } }");
            Assert.Equal(("VALIDATION_FAILED", "wordings[0].language"), (bad.FirstCode, bad.FirstField));

            var (clinic, episode, session, clinician) = await Session();
            (await clinic.SubmitOrs(episode, session, 4, 5, 6, 7)).At("submitOutcomeRating");
            var automatic = Assert.Single((await platform.GraphQL(Requests, new { id = episode }, token: clinician)).At("episode.feedbackRequests")!.AsArray());
            Assert.Equal((true, false, "OPEN"), (automatic!["automatic"]!.GetValue<bool>(), automatic["hasLink"]!.GetValue<bool>(), automatic["status"]!.GetValue<string>()));

            // The clinician issues the link: it supersedes the automatic request.
            var (token, _, _) = await Link(episode, session, ["SRS"], clinician);
            var requests = (await platform.GraphQL(Requests, new { id = episode }, token: clinician)).At("episode.feedbackRequests")!.AsArray();
            Assert.Equal("SUPERSEDED", requests.Single(r => r!["automatic"]!.GetValue<bool>())!["revokedAs"]!.GetValue<string>());

            var address = platform.NewAddress();
            var german = await platform.Client("/client-feedback/form", new { token }, address, "de-CH, de;q=0.9, en;q=0.5");
            var srs = german.Body!["instruments"]![0]!;
            Assert.Equal(("de", "Beziehung", "Nicht gehört", "Gehört"), (srs["language"]!.GetValue<string>(), srs["items"]![0]!["label"]!.GetValue<string>(),
                srs["items"]![0]!["low"]!.GetValue<string>(), srs["items"]![0]!["high"]!.GetValue<string>()));
            var english = await platform.Client("/client-feedback/form", new { token }, address, "fr-FR, en;q=0.3");
            Assert.Equal("I felt heard", english.Body!["instruments"]![0]!["items"]![0]!["high"]!.GetValue<string>());
            // The client's own ORS totals, as the organization allows.
            Assert.Equal(22.0, Assert.Single(german.Body["trajectory"]!.AsArray())!["total"]!.GetValue<double>());

            var (_, childEpisode, childSession, childClinician) = await Session("CHILD");
            var (childToken, _, _) = await Link(childEpisode, childSession, ["SRS"], childClinician);
            var child = await platform.Client("/client-feedback/form", new { token = childToken }, address, "de");
            Assert.Equal(("en", "Listening"), (child.Body!["instruments"]![0]!["language"]!.GetValue<string>(), child.Body["instruments"]![0]!["items"]![0]!["label"]!.GetValue<string>()));
        }
        finally
        {
            (await platform.GraphQL("mutation { updateClientFeedbackSettings(input: { requestSrsWhenSessionRecorded: false, showClientTrajectory: false, wordings: [] }) { changedAt } }"))
                .At("updateClientFeedbackSettings");
        }
    }

    [Fact]
    public async Task A_full_flow_logs_no_token_and_no_e_mail_address_and_the_page_path_is_redacted()
    {
        var (_, episode, session, clinician) = await Session();
        var address = platform.NewAddress();
        var email = $"logged.{Guid.NewGuid():N}@mail.example";
        var (token, requestId, _) = await Link(episode, session, ["SRS", "ORS"], clinician, email: email);
        var (other, _, _) = await Link(episode, session, ["ORS"], clinician); // supersedes the first's ORS: the first link goes
        var page = await platform.Client("/f/" + other, "", address, method: "GET");
        Assert.Equal("no-referrer", page.Headers["Referrer-Policy"]);
        await platform.Client("/client-feedback/form", new { token = other }, address);
        await platform.Client("/client-feedback/submit", Ors(other, 10.5, 1, 1, 1), address);            // out of range
        await platform.Client("/client-feedback/submit", new { token = other, instrument = "ORS", items = new { individual = "x" } }, address);
        await platform.Client("/client-feedback/submit", Ors(other, 3.3, 4.4, 5.5, 6.6), address);
        await platform.Client("/client-feedback/submit", Ors(other, 3.3, 4.4, 5.5, 6.6), address);         // used
        await platform.Client("/client-feedback/submit", Srs(token, 3, 3, 3, 3), address);                 // superseded
        await platform.Client("/client-feedback/form", new { token = token[..^1] + "Q" }, address);       // altered
        await platform.Client("/f/" + token + "?x=1", "", address, method: "GET");
        (await platform.GraphQL("mutation($i: RevokeFeedbackRequestInput!) { revokeFeedbackRequest(input: $i) { status } }", new { i = new { requestId } }, token: clinician)).At("revokeFeedbackRequest");
        await Task.Delay(500, TestContext.Current.CancellationToken);

        var lines = platform.Logs.Lines.ToList();
        Assert.NotEmpty(lines);
        // ASP.NET Core logged the page's requests, with the path redacted.
        Assert.Contains(lines, l => l.Contains("/f/[redacted]", StringComparison.Ordinal));
        foreach (var secret in new[] { token, other, token[^43..], other[^43..], token[..^1] + "Q", email, email.Split('@')[0] })
            Assert.DoesNotContain(lines, l => l.Contains(secret, StringComparison.OrdinalIgnoreCase));
    }
}
