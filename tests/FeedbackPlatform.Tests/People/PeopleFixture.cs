using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using FeedbackPlatform.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OtpNet;

namespace FeedbackPlatform.Tests.People;

/// <summary>The real host with a clock the tests move, and helpers that speak to /auth over plain HTTP (no bearer token).</summary>
public class PeopleFixture : PlatformFixture
{
    public TestClock Clock { get; } = new(DateTimeOffset.UtcNow);

    protected override void Configure(IServiceCollection services) => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Clock));

    protected override IEnumerable<(string Key, string Value)> Settings() => [("Auth:SignInsPerMinute", "1000")];

    public const string Origin = "http://localhost";

    public sealed record Answer(HttpStatusCode Status, JsonObject Body, string? Cookie, string? SetCookie)
    {
        public string? Code => Body["code"]?.GetValue<string>();
    }

    public async Task<Answer> Post(string url, object? json = null, string? cookie = null, string? rawBody = null, string contentType = "application/json", string? origin = null)
    {
        using var client = Host.Server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(rawBody ?? System.Text.Json.JsonSerializer.Serialize(json), Encoding.UTF8),
        };
        request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
        if (cookie is not null)
            request.Headers.Add("Cookie", $"fp_session={cookie}");
        if (origin is not null)
            request.Headers.Add("Origin", origin);
        return await Send(client, request);
    }

    public async Task<Answer> Get(string url, string? cookie = null, string? bearer = null)
    {
        using var client = Host.Server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (cookie is not null)
            request.Headers.Add("Cookie", $"fp_session={cookie}");
        if (bearer is not null)
            request.Headers.Authorization = new("Bearer", bearer);
        return await Send(client, request);
    }

    private static async Task<Answer> Send(HttpClient client, HttpRequestMessage request)
    {
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var body = text.Length > 0 && JsonNode.Parse(text) is JsonObject o ? o : [];
        var setCookie = response.Headers.TryGetValues("Set-Cookie", out var values) ? values.FirstOrDefault(v => v.StartsWith("fp_session=")) : null;
        var cookie = setCookie?.Split(';')[0]["fp_session=".Length..];
        return new Answer(response.StatusCode, body, cookie is { Length: > 0 } ? cookie : null, setCookie);
    }

    /// <summary>A GraphQL request carried by the session cookie, as the web app sends it.</summary>
    public Task<Answer> GraphQLWithCookie(string cookie, string query, object? variables = null, string contentType = "application/json", string? origin = null) =>
        Post("/graphql", new { query, variables }, cookie, contentType: contentType, origin: origin);

    public string Code(string secret, TimeSpan? later = null) => new Totp(Base32Encoding.ToBytes(secret)).ComputeTotp((Clock.Now + (later ?? TimeSpan.Zero)).UtcDateTime);

    public async Task<(Guid Id, string Token)> Invite(string email, string role = "ADMIN", Guid[]? sites = null, Guid? therapistId = null)
    {
        var invited = await GraphQL("mutation($i: InvitePersonInput!) { invitePerson(input: $i) { person { id status } invitationLink } }",
            new { i = new { email, displayName = "Person " + email.Split('@')[0], role, sites, therapistId } });
        var link = invited.At("invitePerson.invitationLink")!.GetValue<string>();
        return (Guid.Parse(invited.At("invitePerson.person.id")!.GetValue<string>()), link[(link.IndexOf('#') + 1)..]);
    }

    public Task SecondFactor(bool required) =>
        GraphQL("mutation($i: UpdateSecurityPolicyInput!) { updateSecurityPolicy(input: $i) { requireSecondFactor } }", new { i = new { requireSecondFactor = required } })
            .ContinueWith(t => t.Result.At("updateSecurityPolicy"));

    /// <summary>An active person without a second factor: invited, accepted, signed in.</summary>
    public async Task<(Guid Id, string Cookie)> ActivePerson(string email, string password, string role = "ADMIN", Guid[]? sites = null, Guid? therapistId = null)
    {
        var (id, token) = await Invite(email, role, sites, therapistId);
        var accepted = await Post("/auth/invitations/accept", new { token, password });
        if (accepted.Status != HttpStatusCode.OK || accepted.Body["activated"]?.GetValue<bool>() != true)
            throw new InvalidOperationException("Not activated: " + accepted.Body.ToJsonString());
        var signedIn = await Post("/auth/sign-in", new { organization = Organization, email, password });
        return (id, signedIn.Cookie ?? throw new InvalidOperationException("Not signed in: " + signedIn.Body.ToJsonString()));
    }
}
