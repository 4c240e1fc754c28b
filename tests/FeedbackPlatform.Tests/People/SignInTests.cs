using System.Net;
using System.Text.Json.Nodes;
using FeedbackPlatform.Tests.Support;

namespace FeedbackPlatform.Tests.People;

/// <summary>
/// People and sign-in end to end over HTTP on the real host and PostgreSQL: invitation, password and second factor,
/// recovery codes, lockout and its end, no account enumeration, sessions ended by an admin, CSRF refusals, API keys.
/// </summary>
public sealed class SignInTests(PeopleFixture platform) : IClassFixture<PeopleFixture>
{
    private const string Password = "correct horse battery staple";

    private static string Email() => $"p{Guid.NewGuid():N}"[..12] + "@Clinic.example";

    [Fact]
    public async Task An_invitation_leads_to_a_first_sign_in_with_a_second_factor()
    {
        var email = Email();
        var (id, token) = await platform.Invite(email);
        await using (var session = platform.QuerySession())
            Assert.NotNull(await session.LoadAsync<FeedbackPlatform.People.Invitation>(FeedbackPlatform.People.Secrets.Hash(token), TestContext.Current.CancellationToken));

        // A new organization requires a second factor: the first answer offers one to enrol.
        var offered = await platform.Post("/auth/invitations/accept", new { token, password = Password });
        Assert.Equal(HttpStatusCode.OK, offered.Status);
        Assert.False(offered.Body["activated"]!.GetValue<bool>());
        var secret = offered.Body["enrolment"]!["secret"]!.GetValue<string>();
        Assert.StartsWith("otpauth://totp/", offered.Body["enrolment"]!["otpauthUri"]!.GetValue<string>());
        Assert.StartsWith("data:image/png;base64,", offered.Body["enrolment"]!["qrCode"]!.GetValue<string>());

        var wrong = await platform.Post("/auth/invitations/accept", new { token, password = Password, code = "000000" == platform.Code(secret) ? "111111" : "000000" });
        Assert.Equal(HttpStatusCode.BadRequest, wrong.Status);
        Assert.Equal("code", wrong.Body["field"]!.GetValue<string>());

        var accepted = await platform.Post("/auth/invitations/accept", new { token, password = Password, code = platform.Code(secret) });
        Assert.Equal(HttpStatusCode.OK, accepted.Status);
        Assert.True(accepted.Body["activated"]!.GetValue<bool>());
        var recovery = accepted.Body["recoveryCodes"]!.AsArray().Select(c => c!.GetValue<string>()).ToArray();
        Assert.Equal(10, recovery.Distinct().Count());

        // Used once.
        var again = await platform.Post("/auth/invitations/accept", new { token, password = Password, code = platform.Code(secret) });
        Assert.Equal(HttpStatusCode.Gone, again.Status);
        Assert.Equal("INVITATION_USED", again.Code);

        // Without the code: SECOND_FACTOR_REQUIRED; with it: a session cookie as the issue describes.
        var noCode = await platform.Post("/auth/sign-in", new { organization = platform.Organization, email, password = Password });
        Assert.Equal(HttpStatusCode.Unauthorized, noCode.Status);
        Assert.Equal("SECOND_FACTOR_REQUIRED", noCode.Code);
        Assert.Null(noCode.Cookie);
        platform.Clock.Advance(TimeSpan.FromSeconds(31));
        var signedIn = await platform.Post("/auth/sign-in", new { organization = platform.Organization, email = email.ToUpperInvariant(), password = Password, code = platform.Code(secret) });
        Assert.Equal(HttpStatusCode.OK, signedIn.Status);
        Assert.NotNull(signedIn.Cookie);
        var attributes = signedIn.SetCookie!.ToLowerInvariant();
        Assert.Contains("httponly", attributes);
        Assert.Contains("samesite=strict", attributes);
        Assert.Contains("path=/", attributes);
        Assert.DoesNotContain("domain=", attributes);
        Assert.DoesNotContain("secure", attributes); // plain HTTP here; Secure whenever the request is HTTPS

        var me = await platform.Get("/auth/me", signedIn.Cookie);
        Assert.Equal(HttpStatusCode.OK, me.Status);
        Assert.Equal(id.ToString(), me.Body["id"]!.GetValue<string>());
        Assert.Equal("ADMIN", me.Body["role"]!.GetValue<string>());
        Assert.Equal(platform.Organization, me.Body["organization"]!.GetValue<string>());

        // The same code twice is refused (replay); a recovery code works once.
        var replay = await platform.Post("/auth/sign-in", new { organization = platform.Organization, email, password = Password, code = platform.Code(secret) });
        Assert.Equal(HttpStatusCode.Unauthorized, replay.Status);
        var byRecovery = await platform.Post("/auth/sign-in", new { organization = platform.Organization, email, password = Password, code = recovery[3] });
        Assert.Equal(HttpStatusCode.OK, byRecovery.Status);
        var recoveryAgain = await platform.Post("/auth/sign-in", new { organization = platform.Organization, email, password = Password, code = recovery[3] });
        Assert.Equal(HttpStatusCode.Unauthorized, recoveryAgain.Status);
        Assert.Equal("UNAUTHENTICATED", recoveryAgain.Code);

        // The session works for GraphQL as a token would, under the same policy.
        var query = await platform.GraphQLWithCookie(signedIn.Cookie!, "{ person(id: \"" + id + "\") { email secondFactor status } }");
        Assert.Equal(HttpStatusCode.OK, query.Status);
        Assert.True(query.Body["data"]!["person"]!["secondFactor"]!.GetValue<bool>());
        Assert.Equal("ACTIVE", query.Body["data"]!["person"]!["status"]!.GetValue<string>());

        // Signing out ends the session on the server.
        Assert.Equal(HttpStatusCode.OK, (await platform.Post("/auth/sign-out", new { }, signedIn.Cookie)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await platform.Get("/auth/me", signedIn.Cookie)).Status);
    }

    [Fact]
    public async Task An_invitation_that_is_expired_or_altered_gets_a_clear_answer()
    {
        var (_, token) = await platform.Invite(Email());
        var altered = token[..^1] + (token[^1] == 'A' ? 'B' : 'A');
        var answer = await platform.Post("/auth/invitations/accept", new { token = altered, password = Password });
        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal("INVITATION_INVALID", answer.Code);
        Assert.Equal("INVITATION_INVALID", (await platform.Post("/auth/invitations/accept", new { token = "garbage", password = Password })).Code);

        var (_, old) = await platform.Invite(Email());
        platform.Clock.Advance(TimeSpan.FromHours(73));
        try
        {
            var expired = await platform.Post("/auth/invitations/accept", new { token = old, password = Password });
            Assert.Equal(HttpStatusCode.Gone, expired.Status);
            Assert.Equal("INVITATION_EXPIRED", expired.Code);
        }
        finally
        {
            platform.Clock.Advance(TimeSpan.FromHours(-73));
        }
    }

    [Fact]
    public async Task Weak_passwords_are_refused_and_nothing_is_activated()
    {
        var email = Email();
        var (id, token) = await platform.Invite(email);
        foreach (var weak in new[] { "short-pass", email, email.ToUpperInvariant(), "password1234", "QWERTYUIOP123" })
        {
            var answer = await platform.Post("/auth/invitations/accept", new { token, password = weak });
            Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
            Assert.Equal("VALIDATION_FAILED", answer.Code);
            Assert.Equal("password", answer.Body["field"]!.GetValue<string>());
        }
        var person = await platform.GraphQL("query($id: ID!) { person(id: $id) { status } }", new { id });
        Assert.Equal("INVITED", person.At("person.status")!.GetValue<string>());
    }

    [Fact]
    public async Task Five_failures_lock_the_account_for_fifteen_minutes_and_locked_unknown_and_wrong_answer_alike()
    {
        await platform.SecondFactor(false);
        try
        {
            var email = Email();
            var (id, _) = await platform.ActivePerson(email, Password);
            var unknown = await platform.Post("/auth/sign-in", new { organization = platform.Organization, email = "nobody-" + email, password = Password });
            var wrong = await platform.Post("/auth/sign-in", new { organization = platform.Organization, email, password = Password + "!" });
            var otherOrganization = await platform.Post("/auth/sign-in", new { organization = "no-such-org", email, password = Password });
            Assert.Equal(HttpStatusCode.Unauthorized, unknown.Status);
            Assert.Equal(unknown.Body.ToJsonString(), wrong.Body.ToJsonString());
            Assert.Equal(unknown.Body.ToJsonString(), otherOrganization.Body.ToJsonString());
            Assert.Equal("UNAUTHENTICATED", wrong.Code);

            for (var i = 0; i < 4; i++)
                await platform.Post("/auth/sign-in", new { organization = platform.Organization, email, password = "wrong password " + i });
            // Locked now: even the right password answers exactly as a wrong one.
            var locked = await platform.Post("/auth/sign-in", new { organization = platform.Organization, email, password = Password });
            Assert.Equal(HttpStatusCode.Unauthorized, locked.Status);
            Assert.Equal(unknown.Body.ToJsonString(), locked.Body.ToJsonString());
            Assert.Null(locked.Cookie);

            platform.Clock.Advance(TimeSpan.FromMinutes(14));
            Assert.Equal(HttpStatusCode.Unauthorized, (await platform.Post("/auth/sign-in", new { organization = platform.Organization, email, password = Password })).Status);
            platform.Clock.Advance(TimeSpan.FromMinutes(2));
            var after = await platform.Post("/auth/sign-in", new { organization = platform.Organization, email, password = Password });
            Assert.Equal(HttpStatusCode.OK, after.Status);

            var log = await platform.GraphQL("{ securityLog(first: 200) { nodes { kind personId by clientAddress } } }");
            var mine = log.At("securityLog.nodes")!.AsArray().Where(n => n!["personId"]?.GetValue<string>() == id.ToString()).Select(n => n!["kind"]!.GetValue<string>()).ToList();
            Assert.Contains("LOCKED_OUT", mine);
            Assert.Contains("SIGN_IN_FAILED", mine);
            Assert.Contains("SIGNED_IN", mine);
            Assert.Contains("INVITATION_SENT", mine);
            Assert.Contains("INVITATION_ACCEPTED", mine);
            Assert.DoesNotContain(email, log.Body.ToJsonString(), StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(Password, log.Body.ToJsonString());
        }
        finally
        {
            await platform.SecondFactor(true);
        }
    }

    [Fact]
    public async Task Disabling_resetting_or_changing_a_person_ends_their_sessions_at_once()
    {
        await platform.SecondFactor(false);
        try
        {
            var site = Guid.NewGuid();
            var (director, cookie) = await platform.ActivePerson(Email(), Password, "DIRECTOR", [site]);
            Assert.Equal(HttpStatusCode.OK, (await platform.Get("/auth/me", cookie)).Status);
            var disabled = await platform.GraphQL("mutation($i: DisablePersonInput!) { disablePerson(input: $i) { status } }", new { i = new { personId = director } });
            Assert.Equal("DISABLED", disabled.At("disablePerson.status")!.GetValue<string>());
            Assert.Equal(HttpStatusCode.Unauthorized, (await platform.Get("/auth/me", cookie)).Status);
            Assert.Equal(HttpStatusCode.Unauthorized, (await platform.GraphQLWithCookie(cookie, "{ organization { key } }")).Status);
            await platform.GraphQL("mutation($i: EnablePersonInput!) { enablePerson(input: $i) { status } }", new { i = new { personId = director } });

            var email = Email();
            var (clinician, clinicianCookie) = await platform.ActivePerson(email, Password, "CLINICIAN", [site], Guid.NewGuid());
            var changed = await platform.GraphQL("mutation($i: ChangePersonAccessInput!) { changePersonAccess(input: $i) { role sites } }",
                new { i = new { personId = clinician, role = "DIRECTOR", sites = new[] { site } } });
            Assert.Equal("DIRECTOR", changed.At("changePersonAccess.role")!.GetValue<string>());
            Assert.Equal(HttpStatusCode.Unauthorized, (await platform.Get("/auth/me", clinicianCookie)).Status);

            var again = await platform.Post("/auth/sign-in", new { organization = platform.Organization, email, password = Password });
            var reset = await platform.GraphQL("mutation($i: ResetPersonSignInInput!) { resetPersonSignIn(input: $i) { person { status } invitationLink } }", new { i = new { personId = clinician } });
            Assert.Equal("INVITED", reset.At("resetPersonSignIn.person.status")!.GetValue<string>());
            Assert.Contains("/invitation#", reset.At("resetPersonSignIn.invitationLink")!.GetValue<string>());
            Assert.Equal(HttpStatusCode.Unauthorized, (await platform.Get("/auth/me", again.Cookie)).Status);
            Assert.Equal(HttpStatusCode.Unauthorized, (await platform.Post("/auth/sign-in", new { organization = platform.Organization, email, password = Password })).Status);
        }
        finally
        {
            await platform.SecondFactor(true);
        }
    }

    [Fact]
    public async Task A_session_expires_after_its_idle_hours()
    {
        await platform.SecondFactor(false);
        try
        {
            var (_, cookie) = await platform.ActivePerson(Email(), Password, "INTEGRATOR");
            platform.Clock.Advance(TimeSpan.FromHours(11));
            Assert.Equal(HttpStatusCode.OK, (await platform.Get("/auth/me", cookie)).Status);
            platform.Clock.Advance(TimeSpan.FromHours(12.5));
            Assert.Equal(HttpStatusCode.Unauthorized, (await platform.Get("/auth/me", cookie)).Status);
        }
        finally
        {
            await platform.SecondFactor(true);
        }
    }

    [Fact]
    public async Task A_cookie_request_that_another_site_could_forge_is_refused()
    {
        await platform.SecondFactor(false);
        try
        {
            var (_, cookie) = await platform.ActivePerson(Email(), Password);
            const string mutation = "mutation { registerSite(input: { siteId: \"6a4f7a3e-64c1-4fd4-9b54-6a5c2a8f3f10\", name: \"Forged\" }) { id } }";
            var events = await platform.EventCount();
            var form = await platform.Post("/graphql", rawBody: "query=" + Uri.EscapeDataString(mutation), cookie: cookie, contentType: "application/x-www-form-urlencoded");
            var plain = await platform.Post("/graphql", rawBody: System.Text.Json.JsonSerializer.Serialize(new { query = mutation }), cookie: cookie, contentType: "text/plain");
            var foreign = await platform.GraphQLWithCookie(cookie, mutation, origin: "https://evil.example");
            foreach (var refused in new[] { form, plain, foreign })
            {
                Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
                Assert.Equal("CSRF_REFUSED", refused.Body["errors"]![0]!["extensions"]!["code"]!.GetValue<string>());
            }
            Assert.Equal(events, await platform.EventCount());
            // The same request from the platform's own page is served.
            var own = await platform.GraphQLWithCookie(cookie, mutation, origin: PeopleFixture.Origin);
            Assert.Equal(HttpStatusCode.OK, own.Status);
            Assert.Null(own.Body["errors"]);
            // Signing in from another site's page is refused as well.
            var signIn = await platform.Post("/auth/sign-in", new { organization = platform.Organization, email = "x@y.example", password = Password }, origin: "https://evil.example");
            Assert.Equal(HttpStatusCode.Forbidden, signIn.Status);
            Assert.Equal("CSRF_REFUSED", signIn.Code);
        }
        finally
        {
            await platform.SecondFactor(true);
        }
    }

    [Fact]
    public async Task The_last_active_admin_cannot_be_disabled_or_demoted()
    {
        await platform.SecondFactor(false);
        try
        {
            // Admins made active here; disable all but one, then the last refuses.
            var (first, _) = await platform.ActivePerson(Email(), Password);
            var admins = await platform.GraphQL("{ people(filter: { role: ADMIN, status: ACTIVE }, first: 200) { nodes { id } } }");
            var others = admins.At("people.nodes")!.AsArray().Select(n => Guid.Parse(n!["id"]!.GetValue<string>())).Where(p => p != first).ToList();
            foreach (var other in others)
                await platform.GraphQL("mutation($i: DisablePersonInput!) { disablePerson(input: $i) { status } }", new { i = new { personId = other } });
            var disable = await platform.GraphQL("mutation($i: DisablePersonInput!) { disablePerson(input: $i) { status } }", new { i = new { personId = first } });
            Assert.Equal("CONFLICT", disable.FirstCode);
            var demote = await platform.GraphQL("mutation($i: ChangePersonAccessInput!) { changePersonAccess(input: $i) { role } }", new { i = new { personId = first, role = "INTEGRATOR" } });
            Assert.Equal("CONFLICT", demote.FirstCode);
            Assert.Equal("role", demote.FirstField);
            foreach (var other in others)
                await platform.GraphQL("mutation($i: EnablePersonInput!) { enablePerson(input: $i) { status } }", new { i = new { personId = other } });
        }
        finally
        {
            await platform.SecondFactor(true);
        }
    }

    [Fact]
    public async Task Single_sign_on_not_set_up_answers_so()
    {
        var answer = await platform.Get("/auth/sso");
        Assert.Equal(HttpStatusCode.NotFound, answer.Status);
        Assert.Equal("SSO_NOT_CONFIGURED", answer.Code);
        // Without the handler there is no callback either: nothing answers there.
        Assert.Equal(HttpStatusCode.NotFound, (await platform.Post("/auth/sso/callback", new { code = "x", state = "y" })).Status);
    }

    [Fact]
    public async Task An_email_is_one_person_whatever_its_case()
    {
        var email = Email();
        await platform.Invite(email);
        var twice = await platform.GraphQL("mutation($i: InvitePersonInput!) { invitePerson(input: $i) { invitationLink } }",
            new { i = new { email = email.ToUpperInvariant(), displayName = "Twice", role = "ADMIN" } });
        Assert.Equal("CONFLICT", twice.FirstCode);
        Assert.Equal("email", twice.FirstField);
    }

    [Fact]
    public async Task An_api_key_works_until_it_is_revoked()
    {
        var created = await platform.GraphQL("mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { key apiKey { id name role lastUsedAt } } }",
            new { i = new { name = "Record system", role = "INTEGRATOR", scope = new[] { "free-text" } } });
        var key = created.At("createApiKey.key")!.GetValue<string>();
        var id = created.At("createApiKey.apiKey.id")!.GetValue<string>();
        Assert.StartsWith("fp_", key);
        Assert.Null(created.At("createApiKey.apiKey.lastUsedAt"));

        var used = await platform.GraphQL("{ organization { key } }", token: key);
        Assert.Equal(platform.Organization, used.At("organization.key")!.GetValue<string>());
        // The key's role decides, as a token's would: an integrator may not change the directory.
        var refused = await platform.GraphQL("mutation { registerSite(input: { siteId: \"" + Guid.NewGuid() + "\", name: \"X\" }) { id } }", token: key);
        Assert.Equal("FORBIDDEN", refused.FirstCode);
        var listed = await platform.GraphQL("{ apiKeys { id name role createdAt lastUsedAt } }");
        var entry = listed.At("apiKeys")!.AsArray().Single(k => k!["id"]!.GetValue<string>() == id)!;
        Assert.NotNull(entry["lastUsedAt"]);
        Assert.DoesNotContain(key, listed.Body.ToJsonString());

        var revoked = await platform.GraphQL("mutation($i: RevokeApiKeyInput!) { revokeApiKey(input: $i) { revokedAt } }", new { i = new { apiKeyId = id } });
        Assert.NotNull(revoked.At("revokeApiKey.revokedAt"));
        await platform.GraphQL("{ organization { key } }", expectedStatus: 401, token: key);
        var rest = await platform.Get("/auth/me", bearer: key);
        Assert.Equal(HttpStatusCode.Unauthorized, rest.Status);

        var log = await platform.GraphQL("{ securityLog(first: 200) { nodes { kind apiKeyId } } }");
        var kinds = log.At("securityLog.nodes")!.AsArray().Where(n => n!["apiKeyId"]?.GetValue<string>() == id).Select(n => n!["kind"]!.GetValue<string>()).ToList();
        Assert.Equal(["API_KEY_CREATED", "API_KEY_FIRST_USED", "API_KEY_REVOKED"], kinds.Order());
    }

    [Fact]
    public async Task The_access_log_names_the_person_or_the_key_that_read_an_episode()
    {
        await platform.SecondFactor(false);
        try
        {
            var clinic = await new Clinic(platform).Register();
            var episode = await clinic.OpenEpisode();
            var (person, cookie) = await platform.ActivePerson(Email(), Password, "DIRECTOR", [clinic.SiteId]);
            var read = await platform.GraphQLWithCookie(cookie, "query($id: ID!) { episode(id: $id) { id } }", new { id = episode });
            Assert.Equal(episode.ToString(), read.Body["data"]!["episode"]!["id"]!.GetValue<string>());
            var key = (await platform.GraphQL("mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { key apiKey { id } } }",
                new { i = new { name = "Reader", role = "INTEGRATOR" } })).At("createApiKey")!;
            (await platform.GraphQL("query($id: ID!) { episode(id: $id) { id } }", new { id = episode }, token: key["key"]!.GetValue<string>())).At("episode.id");

            var log = await platform.GraphQL("query($e: ID) { accessLog(episodeId: $e) { personId apiKeyId role } }", new { e = episode });
            var records = log.At("accessLog")!.AsArray();
            Assert.Contains(records, r => r!["personId"]?.GetValue<string>() == person.ToString() && r["role"]!.GetValue<string>() == "DIRECTOR");
            Assert.Contains(records, r => r!["apiKeyId"]?.GetValue<string>() == key["apiKey"]!["id"]!.GetValue<string>());
        }
        finally
        {
            await platform.SecondFactor(true);
        }
    }

    [Fact]
    public async Task A_person_who_must_enrol_is_asked_at_sign_in()
    {
        await platform.SecondFactor(false);
        var email = Email();
        await platform.ActivePerson(email, Password, "INTEGRATOR");
        await platform.SecondFactor(true);
        var asked = await platform.Post("/auth/sign-in", new { organization = platform.Organization, email, password = Password });
        Assert.Equal(HttpStatusCode.Unauthorized, asked.Status);
        Assert.Equal("SECOND_FACTOR_ENROLMENT_REQUIRED", asked.Code);
        Assert.Null(asked.Cookie);
        var secret = asked.Body["enrolment"]!["secret"]!.GetValue<string>();
        var enrolled = await platform.Post("/auth/sign-in", new { organization = platform.Organization, email, password = Password, code = platform.Code(secret) });
        Assert.Equal(HttpStatusCode.OK, enrolled.Status);
        Assert.Equal(10, enrolled.Body["recoveryCodes"]!.AsArray().Count);
        Assert.NotNull(enrolled.Cookie);
    }

    [Theory]
    [InlineData("/auth/sign-in", "{")]
    [InlineData("/auth/sign-in", "[1,2]")]
    [InlineData("/auth/sign-in", "{\"organization\": 5, \"email\": \"a@b.example\", \"password\": \"x\"}")]
    [InlineData("/auth/sign-in", "{\"organization\": \"org\", \"email\": [\"a@b.example\"], \"password\": \"x\"}")]
    [InlineData("/auth/sign-in", "{\"organization\": \"org\", \"email\": \"a@b.example\"}")]
    [InlineData("/auth/sign-in", "{\"organization\": \"org/../x\", \"email\": \"a@b.example\", \"password\": \"x\"}")]
    [InlineData("/auth/sign-in", "{\"organization\": \"org\", \"email\": \"a@b.example\", \"password\": \"x\", \"code\": 123456}")]
    [InlineData("/auth/sign-in", "HUGE-EMAIL")]
    [InlineData("/auth/sign-in", "HUGE-BODY")]
    [InlineData("/auth/invitations/accept", "{")]
    [InlineData("/auth/invitations/accept", "null")]
    [InlineData("/auth/invitations/accept", "{\"token\": true, \"password\": \"correct horse battery staple\"}")]
    [InlineData("/auth/invitations/accept", "{\"token\": \"org.abc\", \"password\": 12}")]
    [InlineData("/auth/invitations/accept", "{\"password\": \"correct horse battery staple\"}")]
    [InlineData("/auth/invitations/accept", "HUGE-TOKEN")]
    [InlineData("/auth/sign-out", "not json")]
    public async Task Hostile_input_on_the_sign_in_endpoints_is_a_coded_4xx_and_stores_nothing(string url, string body)
    {
        body = body switch
        {
            "HUGE-EMAIL" => System.Text.Json.JsonSerializer.Serialize(new { organization = platform.Organization, email = new string('a', 300) + "@b.example", password = "x" }),
            "HUGE-BODY" => System.Text.Json.JsonSerializer.Serialize(new { organization = platform.Organization, email = "a@b.example", password = new string('p', 20000) }),
            "HUGE-TOKEN" => System.Text.Json.JsonSerializer.Serialize(new { token = new string('t', 5000), password = Password }),
            _ => body,
        };
        var events = await platform.EventCount();
        var answer = await platform.Post(url, rawBody: body);
        Assert.InRange((int)answer.Status, 400, 499);
        if (url != "/auth/sign-out")
            Assert.False(string.IsNullOrEmpty(answer.Code), answer.Body.ToJsonString());
        Assert.Equal(events, await platform.EventCount());
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await platform.Post(url, rawBody: "{}", contentType: "text/plain")).Status);
    }

    [Fact]
    public async Task Hostile_input_on_the_people_mutations_is_a_coded_error_and_stores_nothing()
    {
        var events = await platform.EventCount();
        var huge = new string('x', 5000);
        var cases = new (string Query, object Variables)[]
        {
            ("mutation($i: InvitePersonInput!) { invitePerson(input: $i) { invitationLink } }", new { i = new { email = huge + "@x.example", displayName = "A", role = "ADMIN" } }),
            ("mutation($i: InvitePersonInput!) { invitePerson(input: $i) { invitationLink } }", new { i = new { email = "not-an-address", displayName = "A", role = "ADMIN" } }),
            ("mutation($i: InvitePersonInput!) { invitePerson(input: $i) { invitationLink } }", new { i = new { email = "a@b.example", displayName = huge, role = "ADMIN" } }),
            ("mutation($i: InvitePersonInput!) { invitePerson(input: $i) { invitationLink } }", new { i = new { email = "a@b.example", displayName = "A", role = "OWNER" } }),
            ("mutation($i: InvitePersonInput!) { invitePerson(input: $i) { invitationLink } }", new { i = new { email = "a@b.example", displayName = "A", role = "CLINICIAN", sites = new[] { Guid.NewGuid() } } }),
            ("mutation($i: InvitePersonInput!) { invitePerson(input: $i) { invitationLink } }", new { i = new { email = "a@b.example", displayName = "A", role = "DIRECTOR", sites = new[] { "not-a-uuid" } } }),
            ("mutation($i: InvitePersonInput!) { invitePerson(input: $i) { invitationLink } }", new { i = new { email = 42, displayName = "A", role = "ADMIN" } }),
            ("mutation($i: InvitePersonInput!) { invitePerson(input: $i) { invitationLink } }", new { i = new { email = "a@b.example", displayName = "A", role = "ADMIN", therapistId = Guid.NewGuid() } }),
            ("mutation($i: ChangePersonAccessInput!) { changePersonAccess(input: $i) { id } }", new { i = new { personId = Guid.NewGuid(), role = "ADMIN" } }),
            ("mutation($i: ChangePersonAccessInput!) { changePersonAccess(input: $i) { id } }", new { i = new { personId = "x", role = "ADMIN" } }),
            ("mutation($i: DisablePersonInput!) { disablePerson(input: $i) { id } }", new { i = new { personId = Guid.NewGuid() } }),
            ("mutation($i: ResetPersonSignInInput!) { resetPersonSignIn(input: $i) { invitationLink } }", new { i = new { personId = Guid.NewGuid() } }),
            ("mutation($i: UpdateSecurityPolicyInput!) { updateSecurityPolicy(input: $i) { lockoutAttempts } }", new { i = new { lockoutAttempts = 0 } }),
            ("mutation($i: UpdateSecurityPolicyInput!) { updateSecurityPolicy(input: $i) { lockoutAttempts } }", new { i = new { sessionIdleHours = 100000 } }),
            ("mutation($i: UpdateSecurityPolicyInput!) { updateSecurityPolicy(input: $i) { lockoutAttempts } }", new { i = new { requireSecondFactor = "no" } }),
            ("mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { key } }", new { i = new { name = huge, role = "INTEGRATOR" } }),
            ("mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { key } }", new { i = new { name = "k", role = "CLINICIAN" } }),
            ("mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { key } }", new { i = new { name = "k", role = "INTEGRATOR", scope = new[] { "everything" } } }),
            ("mutation($i: RevokeApiKeyInput!) { revokeApiKey(input: $i) { id } }", new { i = new { apiKeyId = Guid.NewGuid() } }),
            ("query { people(first: 0) { nodes { id } } }", new { }),
            ("query { people(after: \"bm90IGEgY3Vyc29y\") { nodes { id } } }", new { }),
            ("query { securityLog(first: 100000) { nodes { id } } }", new { }),
        };
        var documents = await DocumentCount();
        foreach (var (query, variables) in cases)
        {
            var response = await platform.GraphQL(query, variables, expectedStatus: -1);
            Assert.True(response.HasErrors, query + " " + response.Body.ToJsonString());
            Assert.False(string.IsNullOrEmpty(response.FirstCode), response.Body.ToJsonString());
        }
        Assert.Equal(events, await platform.EventCount());
        Assert.Equal(documents, await DocumentCount());
    }

    private async Task<long> DocumentCount()
    {
        await using var session = platform.QuerySession();
        var ct = TestContext.Current.CancellationToken;
        return await Marten.QueryableExtensions.CountAsync(session.Query<FeedbackPlatform.People.Invitation>(), ct)
               + await Marten.QueryableExtensions.CountAsync(session.Query<FeedbackPlatform.People.ApiKey>(), ct)
               + await Marten.QueryableExtensions.CountAsync(session.Query<FeedbackPlatform.People.SecurityEvent>(), ct);
    }
}
