using System.Text.Json;
using System.Text.Json.Nodes;
using FeedbackPlatform.Tests.Support;

namespace FeedbackPlatform.Tests.Privacy;

/// <summary>A clinic with one episode and one session, for bad input to aim at.</summary>
public sealed class HostileInputFixture : PlatformFixture
{
    public Clinic Clinic { get; private set; } = null!;
    public Guid Episode { get; private set; }
    public Guid Session { get; private set; }

    /// <summary>Another organization's site, therapist, episode, session and alert: facts aimed at them must find nothing.</summary>
    public string ForeignOrganization { get; } = "foreign-" + Guid.NewGuid().ToString("N")[..8];
    public Dictionary<string, string> Foreign { get; } = [];

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        Clinic = await new Clinic(this).Register();
        Episode = await Clinic.OpenEpisode();
        Session = await Clinic.RecordSession(Episode);

        var token = Tokens.For("admin", ForeignOrganization);
        var (site, therapist, episode, session) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        (await GraphQL("mutation($i: RegisterSiteInput!) { registerSite(input: $i) { id } }", new { i = new { siteId = site, name = "Theirs" } }, token: token)).At("registerSite.id");
        (await GraphQL("mutation($i: RegisterTherapistInput!) { registerTherapist(input: $i) { id } }", new { i = new { therapistId = therapist, siteId = site, displayName = "Theirs" } }, token: token)).At("registerTherapist.id");
        (await GraphQL("mutation($i: OpenEpisodeInput!) { openEpisode(input: $i) { id } }", new { i = new { episodeId = episode, siteId = site, therapistId = therapist, clientId = "their-client", population = "ADULT", openedAt = DateTimeOffset.UtcNow.AddDays(-7) } }, token: token)).At("openEpisode.id");
        (await GraphQL("mutation($i: RecordSessionInput!) { recordSession(input: $i) { id } }", new { i = new { episodeId = episode, sessionId = session, heldAt = DateTimeOffset.UtcNow.AddHours(-1) } }, token: token)).At("recordSession.id");
        var alert = (await GraphQL("mutation($i: SubmitSessionRatingInput!) { submitSessionRating(input: $i) { alerts { id } } }",
            new { i = new { episodeId = episode, sessionId = session, relationship = 5.0, goalsAndTopics = 5.0, approachOrMethod = 5.0, overall = 5.0 } }, token: token)).At("submitSessionRating.alerts.0.id")!.GetValue<string>();
        Foreign["{FOREIGN_SITE}"] = site.ToString();
        Foreign["{FOREIGN_THERAPIST}"] = therapist.ToString();
        Foreign["{FOREIGN_EPISODE}"] = episode.ToString();
        Foreign["{FOREIGN_SESSION}"] = session.ToString();
        Foreign["{FOREIGN_ALERT}"] = alert;

        // A client's SRS link to this clinic's session, and another organization's (altered), for the link endpoints' bad input.
        Foreign["{LINK}"] = await LinkTo(AdminToken, Episode, Session);
        var theirs = await LinkTo(token, episode, session, "ORS");
        Foreign["{FOREIGN_LINK_ALTERED}"] = theirs[..^2] + (theirs[^2] == 'x' ? "yy" : "xx");
    }

    private async Task<string> LinkTo(string token, Guid episode, Guid session, string instrument = "SRS") =>
        (await GraphQL("mutation($i: RequestFeedbackInput!) { requestFeedback(input: $i) { link } }",
            new { i = new { episodeId = episode, sessionId = session, instruments = new[] { instrument }, expiresInHours = 48 } }, token: token)).At("requestFeedback.link")!.GetValue<string>()[3..];
}

/// <summary>
/// Generated hostile input across GraphQL and REST: broken JSON, wrong types, out-of-range and huge numbers,
/// oversized strings, malformed and unknown ids, unknown enum values, deep nesting. Every one is answered with a
/// 4xx or a GraphQL error carrying a code, never a 5xx, and stores nothing.
/// </summary>
public sealed class HostileInputTests(HostileInputFixture platform) : IClassFixture<HostileInputFixture>
{
    private const string Episode = "{EPISODE}";
    private const string Session = "{SESSION}";
    private const string Site = "{SITE}";
    private const string Therapist = "{THERAPIST}";

    public static TheoryData<string, string, string> Inputs()
    {
        var data = new TheoryData<string, string, string>();
        void Gql(string query, object? variables = null, string caller = "admin") =>
            data.Add("/graphql", JsonSerializer.Serialize(new { query, variables }), caller);
        void Raw(string url, string body, string caller = "admin") => data.Add(url, body, caller);

        // Broken JSON, to both transports.
        foreach (var body in new[] { "{", "}", "[", "{\"query\": }", "{\"query\": \"{ alertRules { srsClinicalCutoff } }\"", "null", "\"query\"", "42", "{\"query\": [1]}", "{'query': 'x'}", "{\"query\": \"\\u0000\"}", "\u00ff\u00fe" })
        {
            Raw("/graphql", body);
            Raw("/api/session-ratings", body);
        }
        foreach (var body in new[] { "", "   ", "[]", "{\"episodeId\": }", "{\"overall\": 9,}", "{\"overall\": 9} {}", "{\"overall\": 09}", "{\"overall\": .9}", "{\"overall\": +9}" })
        {
            Raw("/api/session-ratings", body);
            Raw("/api/outcome-ratings", body);
        }

        const string srs = "mutation($i: SubmitSessionRatingInput!) { submitSessionRating(input: $i) { id } }";
        var items = new[] { "relationship", "goalsAndTopics", "approachOrMethod", "overall" };
        object Rating(string field, object? value)
        {
            var i = new Dictionary<string, object?> { ["episodeId"] = Episode, ["sessionId"] = Session, ["relationship"] = 9.0, ["goalsAndTopics"] = 9.0, ["approachOrMethod"] = 9.0, ["overall"] = 9.0 };
            i[field] = value;
            return i;
        }
        // 1e-300 and 5e-324 are in range but no millimetre of the line (a decimal cannot hold them: they would be 0.0);
        // 0.30000000000000004 is not 0.3; "9" is a string, refused by REST as by GraphQL.
        var wrongValues = new object?[] { -0.1, 10.1, 11, 1e308, -1e308, 9.25, 0.05, 100000, "nine", "9", true, new[] { 9 }, new { value = 9 }, null, "",
            1e-300, 5e-324, 0.30000000000000004, 9.000000000000002 };
        foreach (var item in items)
            foreach (var value in wrongValues)
            {
                Gql(srs, new { i = Rating(item, value) });
                Raw("/api/session-ratings", JsonSerializer.Serialize(Rating(item, value)));
            }

        // Number literals that under- or overflow (JSON readers turn them into 0.0 or refuse them with messages of their
        // own), or have more digits than the double carrying them holds (4.50000000000000001 arrives as 4.5), or a
        // second decimal: each is refused as written, never rounded into an item, by every transport.
        var rated = $"\"episodeId\": \"{Episode}\", \"sessionId\": \"{Session}\", \"relationship\": 9, \"goalsAndTopics\": 9, \"approachOrMethod\": 9";
        var outcome = $"\"episodeId\": \"{Episode}\", \"sessionId\": \"{Session}\", \"individual\": 5, \"interpersonal\": 5, \"social\": 5";
        const string ors = "mutation($i: SubmitOutcomeRatingInput!) { submitOutcomeRating(input: $i) { id } }";
        var literals = new[] { "-1e-400", "1e-400", "1e-300", "5e-324", "1e400", "-0.0000000000000000000000000000001", "9e-29", "4.55", "4.50000000000000001", "9.0000000000000001",
            "0.1000000000000000055511151231257827", "0.30000000000000004", "45e-1e1", "0x9", "NaN", "Infinity" };
        foreach (var literal in literals)
        {
            Raw("/api/session-ratings", $"{{{rated}, \"overall\": {literal}}}");
            Raw("/graphql", $"{{\"query\": {JsonSerializer.Serialize(srs)}, \"variables\": {{\"i\": {{{rated}, \"overall\": {literal}}}}}}}");
            Gql($"mutation {{ submitSessionRating(input: {{episodeId: \"{Episode}\", sessionId: \"{Session}\", relationship: 9, goalsAndTopics: 9, approachOrMethod: 9, overall: {literal}}}) {{ id }} }}");
            Raw("/api/outcome-ratings", $"{{{outcome}, \"overall\": {literal}}}");
            Raw("/graphql", $"{{\"query\": {JsonSerializer.Serialize(ors)}, \"variables\": {{\"i\": {{{outcome}, \"overall\": {literal}}}}}}}");
            Gql($"mutation {{ submitOutcomeRating(input: {{episodeId: \"{Episode}\", sessionId: \"{Session}\", individual: 5, interpersonal: 5, social: 5, overall: {literal}}}) {{ id }} }}");
            // The client's link, the alert rules' thresholds and durations, a link's expiry, an imported history.
            Raw("/client-feedback/submit", $"{{\"token\": \"{{LINK}}\", \"instrument\": \"SRS\", \"items\": {{\"relationship\": 9, \"goalsAndTopics\": 9, \"approachOrMethod\": 9, \"overall\": {literal}}}}}", "none");
            // 4.55 hours or days is a duration a TimeSpan holds exactly: only thresholds refuse it.
            foreach (var setting in literal == "4.55" ? ["srsItemFlagBelow", "srsDropPoints"] : new[] { "srsItemFlagBelow", "srsDropPoints", "orsReliableChange", "missingFeedbackAfterHours", "disengagementAfterDays" })
            {
                Gql($"mutation {{ updateAlertRules(input: {{ {setting}: {literal} }}) {{ srsClinicalCutoff }} }}");
                Raw("/graphql", $"{{\"query\": \"mutation($i: AlertRuleSettingsInput!) {{ updateAlertRules(input: $i) {{ srsClinicalCutoff }} }}\", \"variables\": {{\"i\": {{\"{setting}\": {literal}}}}}}}");
            }
            Raw("/graphql", $"{{\"query\": \"mutation($i: RequestFeedbackInput!) {{ requestFeedback(input: $i) {{ link }} }}\", \"variables\": {{\"i\": {{\"episodeId\": \"{Episode}\", \"sessionId\": \"{Session}\", \"instruments\": [\"ORS\"], \"expiresInHours\": {literal}}}}}}}");
            Raw("/graphql", $"{{\"query\": {JsonSerializer.Serialize("mutation($i: ImportEpisodeHistoryInput!) { importEpisodeHistory(input: $i) { id } }")}, \"variables\": {{\"i\": {{\"episodeId\": \"{Guid.NewGuid()}\", \"siteId\": \"{Site}\", \"therapistId\": \"{Therapist}\", \"clientId\": \"c-literal\", \"population\": \"ADULT\", \"openedAt\": \"2026-01-05T09:00:00Z\", \"sessions\": [{{\"sessionId\": \"{Guid.NewGuid()}\", \"heldAt\": \"2026-01-12T10:00:00Z\", \"outcomeRating\": {{\"individual\": 5, \"interpersonal\": 5, \"social\": 5, \"overall\": {literal}}}}}]}}}}}}");
        }
        // Thresholds with a digit a double or the scale does not hold, and durations a TimeSpan does not hold to the tick.
        foreach (var setting in new[] { "srsClinicalCutoff: 36.05", "orsCutoffAdult: 25.000000000000001", "srsDropPoints: 4.55", "missingFeedbackAfterHours: 24.00000000001",
                     "disengagementAfterDays: 21.0000000000001", "escalateUnacknowledgedAfterHours: 1e-20", "disengagementAfterDays: 1e6", "missingFeedbackAfterHours: 0.0" })
            Gql($"mutation {{ updateAlertRules(input: {{ {setting} }}) {{ srsClinicalCutoff }} }}");
        // A link's expiry is a whole number of hours, a JSON number in range, as GraphQL's Int reads it.
        foreach (var hours in new object[] { 24.5, "24", 0, -1, 169, 1e10, true })
            Gql("mutation($i: RequestFeedbackInput!) { requestFeedback(input: $i) { link } }", new { i = new { episodeId = Episode, sessionId = Session, instruments = new[] { "ORS" }, expiresInHours = hours } });
        // REST takes a number only as a JSON number, as GraphQL does.
        foreach (var value in new object[] { "5", "5.0", "" })
        {
            Raw("/api/outcome-ratings", JsonSerializer.Serialize(new { episodeId = Episode, sessionId = Session, individual = value, interpersonal = 5.0, social = 5.0, overall = 5.0 }));
            Gql(ors, new { i = new { episodeId = Episode, sessionId = Session, individual = value, interpersonal = 5.0, social = 5.0, overall = 5.0 } });
            var items12 = Enumerable.Repeat<object>(4, 11).Append(value is "" ? "4" : value).ToArray();
            Raw("/api/alliance-inventories", JsonSerializer.Serialize(new { episodeId = Episode, sessionId = Session, items = items12 }));
            Gql("mutation($i: SubmitAllianceInventoryInput!) { submitAllianceInventory(input: $i) { id } }", new { i = new { episodeId = Episode, sessionId = Session, items = items12 } });
        }

        // Ids: malformed, unknown.
        foreach (var id in new[] { "not-a-uuid", "", "00000000-0000-0000-0000", "123", "' or 1=1 --", Guid.NewGuid().ToString() })
        {
            Gql(srs, new { i = Rating("episodeId", id) });
            Gql(srs, new { i = Rating("sessionId", id) });
            Raw("/api/session-ratings", JsonSerializer.Serialize(Rating("episodeId", id)));
            if (!Guid.TryParse(id, out _))
                Gql("query($id: ID!) { episode(id: $id) { id } }", new { id }); // an unknown but well-formed id is a plain null
            Gql("mutation($i: RecordSessionInput!) { recordSession(input: $i) { id } }", new { i = new { episodeId = id, sessionId = Guid.NewGuid(), heldAt = "2026-02-01T10:00:00Z" } });
            Gql("mutation($i: OpenEpisodeInput!) { openEpisode(input: $i) { id } }", new { i = new { episodeId = Guid.NewGuid(), siteId = id, therapistId = Therapist, clientId = "c-1", population = "ADULT" } });
        }

        // Oversized and hostile strings.
        var huge = new string('x', 3000);
        Gql("mutation($i: RecordGoalAgreementInput!) { recordGoalAgreement(input: $i) { id } }", new { i = new { episodeId = Episode, goalId = Guid.NewGuid(), description = huge, agreedByClient = true, agreedByTherapist = true } });
        Gql("mutation($i: RecordGoalAgreementInput!) { recordGoalAgreement(input: $i) { id } }", new { i = new { episodeId = Episode, goalId = Guid.NewGuid(), description = "   ", agreedByClient = true, agreedByTherapist = true } });
        Gql("mutation($i: NoteRuptureInput!) { noteRupture(input: $i) { id } }", new { i = new { episodeId = Episode, note = huge } });
        foreach (var clientId in new[] { new string('c', 65), "Jane Doe", "<script>alert(1)</script>", "a/b", "" })
        {
            Gql("mutation($i: OpenEpisodeInput!) { openEpisode(input: $i) { id } }", new { i = new { episodeId = Guid.NewGuid(), siteId = Site, therapistId = Therapist, clientId, population = "ADULT" } });
            Raw("/api/episodes", JsonSerializer.Serialize(new { episodeId = Guid.NewGuid(), siteId = Site, therapistId = Therapist, clientId, population = "ADULT" }));
        }
        foreach (var name in new[] { new string('n', 201), "", "  " })
            Gql("mutation($i: RegisterSiteInput!) { registerSite(input: $i) { id } }", new { i = new { siteId = Guid.NewGuid(), name } });
        Gql("mutation($i: RegisterSiteInput!) { registerSite(input: $i) { id } }", new { i = new { siteId = Site, name = "Another name for an existing site" } });

        // Unknown enum values, bad times.
        foreach (var population in new[] { "ELDERLY", "adult", "0", "" })
        {
            Gql("mutation($i: OpenEpisodeInput!) { openEpisode(input: $i) { id } }", new { i = new { episodeId = Guid.NewGuid(), siteId = Site, therapistId = Therapist, clientId = "c-2", population } });
            if (population != "adult") // REST reads enum names case-insensitively, as JSON clients expect
                Raw("/api/episodes", JsonSerializer.Serialize(new { episodeId = Guid.NewGuid(), siteId = Site, therapistId = Therapist, clientId = "c-2", population }));
        }
        Raw("/api/episodes", JsonSerializer.Serialize(new { siteId = Site, therapistId = Therapist, clientId = "c-3", population = "ADULT" }));
        Raw("/api/sessions", JsonSerializer.Serialize(new { episodeId = Episode, heldAt = "2026-02-01T10:00:00Z" }));
        Raw("/api/goal-agreements", JsonSerializer.Serialize(new { episodeId = Episode, description = "A goal", agreedByClient = true, agreedByTherapist = true }));
        Raw("/api/sites", JsonSerializer.Serialize(new { name = "No id" }));
        foreach (var heldAt in new[] { "yesterday", "2026-02-30T10:00:00Z", "2026-02-01T10:00:00", "3026-01-01T00:00:00Z", "1999-01-01T00:00:00Z" })
        {
            Gql("mutation($i: RecordSessionInput!) { recordSession(input: $i) { id } }", new { i = new { episodeId = Episode, sessionId = Guid.NewGuid(), heldAt } });
            Raw("/api/sessions", JsonSerializer.Serialize(new { episodeId = Episode, sessionId = Guid.NewGuid(), heldAt }));
        }

        // Imported histories: a bad item anywhere refuses the whole history.
        const string import = "mutation($i: ImportEpisodeHistoryInput!) { importEpisodeHistory(input: $i) { id } }";
        object History(object? sessions = null, object? goals = null, string site = Site, string therapist = Therapist, string clientId = "c-imported") => new
        {
            i = new { episodeId = Guid.NewGuid(), siteId = site, therapistId = therapist, clientId, population = "ADULT", openedAt = "2026-01-05T09:00:00Z", sessions, goals },
        };
        object Held(string heldAt, object? sessionRating = null, object? outcomeRating = null, string? sessionId = null) =>
            new { sessionId = sessionId ?? Guid.NewGuid().ToString(), heldAt, sessionRating, outcomeRating };
        var fine = new { relationship = 9.0, goalsAndTopics = 9.0, approachOrMethod = 9.0, overall = 9.0 };
        Gql(import, History(new[] { Held("2026-01-12T10:00:00Z", fine), Held("2026-01-19T10:00:00Z", new { relationship = 9.0, goalsAndTopics = 9.0, approachOrMethod = 9.0, overall = 10.1 }) }));
        Gql(import, History(new[] { Held("2026-01-12T10:00:00Z", new { relationship = 9.0, goalsAndTopics = 9.0, approachOrMethod = 9.0 }) }));
        Gql(import, History(new[] { Held("2026-01-12T10:00:00Z", outcomeRating: new { individual = -1.0, interpersonal = 5.0, social = 5.0, overall = 5.0 }) }));
        Gql(import, History(new[] { Held("2026-01-19T10:00:00Z", fine), Held("2026-01-12T10:00:00Z", fine) }));
        Gql(import, History(new[] { Held("2025-12-01T10:00:00Z", fine) }));
        Gql(import, History(new[] { Held("3026-01-01T00:00:00Z", fine) }));
        Gql(import, History(new[] { Held("2026-01-12T10:00:00Z", fine, sessionId: "not-a-uuid") }));
        Gql(import, History(new[] { Held("2026-01-12T10:00:00Z", fine, sessionId: "11111111-1111-4111-8111-111111111111"), Held("2026-01-19T10:00:00Z", fine, sessionId: "11111111-1111-4111-8111-111111111111") }));
        Gql(import, History(Enumerable.Range(0, 201).Select(d => Held(new DateTimeOffset(2026, 1, 6, 0, 0, 0, TimeSpan.Zero).AddHours(d).ToString("O"))).ToArray()));
        Gql(import, History(goals: new[] { new { goalId = Guid.NewGuid(), description = huge, agreedByClient = true, agreedByTherapist = true } }));
        Gql(import, History(clientId: "Jane Doe"));
        Gql(import, History(site: "{FOREIGN_SITE}", therapist: "{FOREIGN_THERAPIST}"));
        Gql(import, History(sessions: "all of them"));

        // WAI-SR with the wrong number of items or items off the scale.
        const string wai = "mutation($i: SubmitAllianceInventoryInput!) { submitAllianceInventory(input: $i) { id } }";
        foreach (var items12 in new[] { Array.Empty<int>(), [4], Enumerable.Repeat(4, 11).ToArray(), Enumerable.Repeat(4, 13).ToArray(), Enumerable.Repeat(4, 100).ToArray(),
                     [0, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4], [6, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4], [-1, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4] })
        {
            Gql(wai, new { i = new { episodeId = Episode, sessionId = Session, items = items12 } });
            Raw("/api/alliance-inventories", JsonSerializer.Serialize(new { episodeId = Episode, sessionId = Session, items = items12 }));
        }

        // Paging, depth, settings.
        foreach (var first in new[] { 0, -1, 201, 100000 })
            Gql("query($f: Int) { alerts(first: $f) { nodes { id } } }", new { f = first });
        Gql("query { alerts(after: \"bm90IGEgY3Vyc29y\") { nodes { id } } }");
        var deep = "displayName";
        for (var i = 0; i < 15; i++)
            deep = $"site {{ therapists {{ {deep} }} }} displayName";
        Gql($"{{ organization {{ sites {{ therapists {{ {deep} }} }} }} }}");
        Gql("{ organization { " + string.Concat(Enumerable.Repeat("key ", 30000)) + "} }");
        foreach (var setting in new[] { "srsClinicalCutoff: -1", "srsClinicalCutoff: 41", "orsReliableChange: 0", "srsDropPoints: -2", "notOnTrackFromOrs: 1", "missingFeedbackAfterHours: 0", "disengagementAfterDays: -5", "srsItemFlagBelow: 11",
                     "srsClinicalCutoff: 1e-300", "srsClinicalCutoff: 0.30000000000000004", "orsReliableChange: 1e-300", "srsItemFlagBelow: -1e-400",
                     "escalateUnacknowledgedAfterHours: 1e-300", "orsCutoffAdult: 1e400", "srsDropPoints: 5e-324" })
            Gql($"mutation {{ updateAlertRules(input: {{ {setting} }}) {{ srsClinicalCutoff }} }}");
        Gql("mutation { deleteEverything }");

        // Facts for another organization's episode, session, alert, site and therapist: none of them exist here.
        const string foreignEpisode = "{FOREIGN_EPISODE}", foreignSession = "{FOREIGN_SESSION}";
        var theirs = new Dictionary<string, object?> { ["episodeId"] = foreignEpisode, ["sessionId"] = foreignSession, ["relationship"] = 1.0, ["goalsAndTopics"] = 1.0, ["approachOrMethod"] = 1.0, ["overall"] = 1.0 };
        Gql(srs, new { i = theirs });
        Raw("/api/session-ratings", JsonSerializer.Serialize(theirs));
        Gql("mutation($i: SubmitOutcomeRatingInput!) { submitOutcomeRating(input: $i) { id } }", new { i = new { episodeId = foreignEpisode, sessionId = foreignSession, individual = 1.0, interpersonal = 1.0, social = 1.0, overall = 1.0 } });
        Gql("mutation($i: RecordSessionInput!) { recordSession(input: $i) { id } }", new { i = new { episodeId = foreignEpisode, sessionId = Guid.NewGuid(), heldAt = "2026-02-01T10:00:00Z" } });
        Raw("/api/sessions", JsonSerializer.Serialize(new { episodeId = foreignEpisode, sessionId = Guid.NewGuid(), heldAt = "2026-02-01T10:00:00Z" }));
        Gql("mutation($i: NoteRuptureInput!) { noteRupture(input: $i) { id } }", new { i = new { episodeId = foreignEpisode, note = "not yours" } });
        Gql("mutation($i: RecordGoalAgreementInput!) { recordGoalAgreement(input: $i) { id } }", new { i = new { episodeId = foreignEpisode, goalId = Guid.NewGuid(), description = "not yours", agreedByClient = true, agreedByTherapist = true } });
        Gql("mutation($i: CloseEpisodeInput!) { closeEpisode(input: $i) { id } }", new { i = new { episodeId = foreignEpisode, reason = "DROPOUT" } });
        Gql("mutation($i: ReassignTherapistInput!) { reassignTherapist(input: $i) { id } }", new { i = new { episodeId = foreignEpisode, therapistId = "{FOREIGN_THERAPIST}" } });
        Gql("mutation($i: OpenEpisodeInput!) { openEpisode(input: $i) { id } }", new { i = new { episodeId = Guid.NewGuid(), siteId = "{FOREIGN_SITE}", therapistId = "{FOREIGN_THERAPIST}", clientId = "c-9", population = "ADULT" } });
        Raw("/api/episodes", JsonSerializer.Serialize(new { episodeId = Guid.NewGuid(), siteId = "{FOREIGN_SITE}", therapistId = "{FOREIGN_THERAPIST}", clientId = "c-9", population = "ADULT" }));
        Gql("mutation($i: AcknowledgeAlertInput!) { acknowledgeAlert(input: $i) { id } }", new { i = new { alertId = "{FOREIGN_ALERT}", note = "not yours" } });
        Gql("mutation($i: ResolveAlertInput!) { resolveAlert(input: $i) { id } }", new { i = new { alertId = "{FOREIGN_ALERT}", note = "not yours" } });
        Gql("mutation($i: RenameSiteInput!) { renameSite(input: $i) { id } }", new { i = new { siteId = "{FOREIGN_SITE}", name = "Mine now" } });
        Gql("mutation($i: DeactivateTherapistInput!) { deactivateTherapist(input: $i) { id } }", new { i = new { therapistId = "{FOREIGN_THERAPIST}" } });

        // Callers who are not allowed to change anything, or are nobody: refused before any handler runs.
        foreach (var caller in new[] { "none", "forged", "expired", "integrator", "director" })
        {
            Gql(srs, new { i = Rating("overall", 1.0) }, caller);
            Raw("/api/session-ratings", JsonSerializer.Serialize(Rating("overall", 1.0)), caller);
            Gql("mutation($i: RegisterSiteInput!) { registerSite(input: $i) { id } }", new { i = new { siteId = Guid.NewGuid(), name = "Sneaky" } }, caller);
            Raw("/api/sites", JsonSerializer.Serialize(new { siteId = Guid.NewGuid(), name = "Sneaky" }), caller);
        }
        Gql("subscription { alertRaised { id } }");

        // The client's link endpoints: anonymous, the token in the body is the only capability.
        const string link = "{LINK}";
        foreach (var url in new[] { "/client-feedback/form", "/client-feedback/submit" })
        {
            foreach (var body in new[] { "", "{", "[]", "null", "\"token\"", "{\"token\": 5}", "{\"token\": null}", "{\"token\": [\"a\"]}", "{\"token\": {\"$ne\": 1}}",
                         "{\"token\": \"\\u0000\"}", "{\"token\": \"{LINK}\", \"token\": \"x\"}", new string('[', 100) + new string(']', 100) })
                Raw(url, body, "none");
            foreach (var token in new[] { "", "../../etc/passwd", "' OR 1=1 --", "%2e%2e%2f", link + "x", "x" + link, link.ToLowerInvariant(), "{FOREIGN_LINK_ALTERED}", new string('A', 4000), "AAAA" + new string('A', 43) })
                Raw(url, JsonSerializer.Serialize(new { token }), "none");
        }
        object Marks(object marks, string instrument = "SRS") => new { token = link, instrument, items = marks };
        foreach (var marks in new object[]
                 {
                     new { relationship = 10.1, goalsAndTopics = 5.0, approachOrMethod = 5.0, overall = 5.0 },
                     new { relationship = -0.1, goalsAndTopics = 5.0, approachOrMethod = 5.0, overall = 5.0 },
                     new { relationship = 7.25, goalsAndTopics = 5.0, approachOrMethod = 5.0, overall = 5.0 },
                     new { relationship = "7", goalsAndTopics = 5.0, approachOrMethod = 5.0, overall = 5.0 },
                     new { relationship = (double?)null, goalsAndTopics = 5.0, approachOrMethod = 5.0, overall = 5.0 },
                     new { goalsAndTopics = 5.0, approachOrMethod = 5.0, overall = 5.0 },
                     new { relationship = 5.0, goalsAndTopics = 5.0, approachOrMethod = 5.0, overall = 5.0, episodeId = "{FOREIGN_EPISODE}" },
                     new[] { 5.0, 5.0, 5.0, 5.0 },
                     "5,5,5,5",
                 })
            Raw("/client-feedback/submit", JsonSerializer.Serialize(Marks(marks)), "none");
        Raw("/client-feedback/submit", "{\"token\": \"{LINK}\", \"instrument\": \"SRS\", \"items\": {\"relationship\": 1e400, \"goalsAndTopics\": 5, \"approachOrMethod\": 5, \"overall\": 5}}", "none");
        Raw("/client-feedback/submit", "{\"token\": \"{LINK}\", \"instrument\": \"SRS\", \"items\": {\"relationship\": NaN, \"goalsAndTopics\": 5, \"approachOrMethod\": 5, \"overall\": 5}}", "none");
        foreach (var instrument in new[] { "ORS", "srs", "WAI-SR", "", "SRS\u0000" })
            Raw("/client-feedback/submit", JsonSerializer.Serialize(Marks(new { relationship = 5.0, goalsAndTopics = 5.0, approachOrMethod = 5.0, overall = 5.0 }, instrument)), "none");
        Raw("/client-feedback/submit", JsonSerializer.Serialize(new { token = link, instrument = "ORS", items = new { individual = 5.0, interpersonal = 5.0, social = 5.0, overall = 5.0 } }), "none");
        Raw("/client-feedback/submit", JsonSerializer.Serialize(new { token = "{FOREIGN_LINK_ALTERED}", instrument = "SRS", items = new { relationship = 5.0, goalsAndTopics = 5.0, approachOrMethod = 5.0, overall = 5.0 } }), "none");
        return data;
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public async Task Hostile_input_gets_a_clear_refusal_never_a_server_error_and_stores_nothing(string url, string template, string caller)
    {
        var body = template.Replace(Episode, platform.Episode.ToString()).Replace(Session, platform.Session.ToString())
            .Replace(Site, platform.Clinic.SiteId.ToString()).Replace(Therapist, platform.Clinic.TherapistId.ToString());
        foreach (var (placeholder, id) in platform.Foreign)
            body = body.Replace(placeholder, id);
        var authorization = caller switch
        {
            "admin" => "Bearer " + platform.AdminToken,
            "none" => "",
            "forged" => "Bearer " + platform.AdminToken[..^4] + "AAAA",
            "expired" => "Bearer " + Tokens.Expired("admin", platform.Organization),
            _ => "Bearer " + Tokens.For(caller, platform.Organization, [platform.Clinic.SiteId]),
        };
        var before = await platform.EventCount();
        var result = await platform.Host.Scenario(s =>
        {
            s.Post.Text(body).ToUrl(url);
            s.WithRequestHeader("Content-Type", "application/json");
            s.WithRequestHeader("Accept", "application/json");
            s.WithRequestHeader("Authorization", authorization);
            s.IgnoreStatusCode();
        });
        var status = result.Context.Response.StatusCode;
        var text = await result.ReadAsTextAsync();

        Assert.True(status < 500, $"{status} for {body[..Math.Min(body.Length, 200)]}: {text[..Math.Min(text.Length, 300)]}");
        if (status == 200)
        {
            var errors = JsonNode.Parse(text)?["errors"]?.AsArray();
            Assert.True(errors is { Count: > 0 }, "accepted: " + body[..Math.Min(body.Length, 200)]);
            Assert.All(errors!, e => Assert.False(string.IsNullOrEmpty(e!["extensions"]?["code"]?.GetValue<string>())));
        }
        else
        {
            Assert.InRange(status, 400, 499);
            // A refused REST body names our code, as GraphQL does (not a framework's problem document of its own).
            if (status == 400 && url.StartsWith("/api"))
                Assert.False(string.IsNullOrEmpty(JsonNode.Parse(text)?["code"]?.GetValue<string>()), $"no code for {body[..Math.Min(body.Length, 200)]}: {text}");
        }
        Assert.Equal(before, await platform.EventCount());
    }

    [Fact]
    public void There_are_at_least_two_hundred_hostile_inputs() => Assert.True(Inputs().Count >= 200, $"{Inputs().Count} inputs");
}
