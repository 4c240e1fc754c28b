using FeedbackPlatform.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FeedbackPlatform.Tests.Privacy;

public sealed class LogCaptureFixture : PlatformFixture
{
    public CapturingLoggerProvider Logs { get; } = new();

    protected override IEnumerable<(string Key, string Value)> Settings() => [("Logging:LogLevel:Default", "Debug")];

    protected override void Configure(IServiceCollection services) => services.AddSingleton<ILoggerProvider>(Logs);
}

/// <summary>Nothing a client said or is identified by reaches a log, whatever succeeds, fails or races.</summary>
public sealed class NoHealthInformationInLogsTests(LogCaptureFixture platform) : IClassFixture<LogCaptureFixture>
{
    private const string ClientId = "client-Zq81x";
    private const string GoalText = "Reduce panic attacks on the Tuesday night train";
    private const string RuptureText = "Client walked out when mother was mentioned";

    [Fact]
    public async Task A_full_feedback_flow_with_failures_and_races_logs_no_client_id_free_text_or_scores()
    {
        var clinic = await new Clinic(platform).Register();
        var episode = Guid.NewGuid();
        (await platform.GraphQL("mutation($i: OpenEpisodeInput!) { openEpisode(input: $i) { id } }",
            new { i = new { episodeId = episode, siteId = clinic.SiteId, therapistId = clinic.TherapistId, clientId = ClientId, population = "ADULT", openedAt = "2026-01-05T09:00:00Z" } })).At("openEpisode");
        (await platform.GraphQL("mutation($i: RecordGoalAgreementInput!) { recordGoalAgreement(input: $i) { id } }",
            new { i = new { episodeId = episode, goalId = Guid.NewGuid(), description = GoalText, agreedByClient = true, agreedByTherapist = false } })).At("recordGoalAgreement");
        (await platform.GraphQL("mutation($i: NoteRuptureInput!) { noteRupture(input: $i) { id } }",
            new { i = new { episodeId = episode, note = RuptureText } })).At("noteRupture");

        // Ratings that succeed, race each other (optimistic concurrency retries), and are refused.
        var sessions = new List<Guid>();
        for (var day = 0; day < 6; day++)
            sessions.Add(await clinic.RecordSession(episode, day));
        await Task.WhenAll(sessions.Select(s => clinic.SubmitSrs(episode, s, 7.3, 6.1, 8.7, 5.9)));
        await clinic.SubmitSrs(episode, sessions[0], 7.3, 6.1, 8.7, 5.8);                     // conflict
        await clinic.SubmitSrs(episode, Guid.NewGuid(), 7.3, 6.1, 8.7, 5.9);                  // unknown session
        await clinic.SubmitSrs(episode, sessions[1], 10.7, 6.1, 8.7, 5.9);                    // out of range
        await platform.GraphQL("mutation($i: RecordGoalAgreementInput!) { recordGoalAgreement(input: $i) { id } }",
            new { i = new { episodeId = Guid.NewGuid(), goalId = Guid.NewGuid(), description = GoalText, agreedByClient = true, agreedByTherapist = true } });
        await Task.Delay(1000, TestContext.Current.CancellationToken); // let background notices run and log

        var lines = platform.Logs.Lines.ToList();
        Assert.NotEmpty(lines);
        // The exact free texts and the client id, and any shape a rating takes when an object is printed:
        // an event or document as JSON, or a record's ToString().
        foreach (var secret in new[] { ClientId, GoalText, RuptureText, "Tuesday night", "mother",
                     "\"relationship\"", "\"goalsAndTopics\"", "\"description\"", "\"note\"", "\"clientId\"",
                     "\"rating\"", "\"total\"", "\"evidence\"", "\"items\"", "\"sessions\"", "SRS total",
                     "Relationship =", "GoalsAndTopics =", "Description =", "Note =", "ClientId =" })
            Assert.DoesNotContain(lines, l => l.Contains(secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Sign_in_flows_log_no_e_mail_password_code_token_or_cookie()
    {
        const string email = "Logged.Person.Zx7@clinic.example";
        const string password = "a long secret phrase Qv93";
        var invited = await platform.GraphQL("mutation($i: InvitePersonInput!) { invitePerson(input: $i) { invitationLink } }",
            new { i = new { email, displayName = "Logged person", role = "INTEGRATOR" } });
        var link = invited.At("invitePerson.invitationLink")!.GetValue<string>();
        var token = link[(link.IndexOf('#') + 1)..];
        await platform.GraphQL("mutation { updateSecurityPolicy(input: { requireSecondFactor: false }) { requireSecondFactor } }");
        using var client = platform.Host.Server.CreateClient();
        async Task<HttpResponseMessage> Post(string url, object body) =>
            await client.PostAsync(url, System.Net.Http.Json.JsonContent.Create(body), TestContext.Current.CancellationToken);
        await Post("/auth/invitations/accept", new { token = token + "x", password });
        await Post("/auth/invitations/accept", new { token, password = "short" });
        await Post("/auth/invitations/accept", new { token, password });
        await Post("/auth/sign-in", new { organization = platform.Organization, email, password = password + "wrong" });
        await Post("/auth/sign-in", new { organization = platform.Organization, email = "unknown." + email, password });
        var signedIn = await Post("/auth/sign-in", new { organization = platform.Organization, email, password, code = "123456" });
        var cookie = signedIn.Headers.GetValues("Set-Cookie").First().Split(';')[0]["fp_session=".Length..];
        var key = (await platform.GraphQL("mutation { createApiKey(input: { name: \"Logged key\", role: INTEGRATOR }) { key } }")).At("createApiKey.key")!.GetValue<string>();
        await platform.GraphQL("{ organization { key } }", token: key);
        await platform.GraphQL("{ organization { key } }", expectedStatus: 401, token: key + "x");
        await Task.Delay(500, TestContext.Current.CancellationToken);

        var lines = platform.Logs.Lines.ToList();
        Assert.NotEmpty(lines);
        foreach (var secret in new[] { email, email.ToLowerInvariant(), "Logged.Person", password, token, token[^43..], cookie, cookie[^43..], key, key[^43..] })
            Assert.DoesNotContain(lines, l => l.Contains(secret, StringComparison.OrdinalIgnoreCase));
    }
}
