using System.Net;

namespace FeedbackPlatform.Tests.People;

public sealed class CookieExportFixture : PeopleFixture;

/// <summary>A director's spreadsheet download from the browser: the exports take the session cookie like the API, under the same CSRF rules.</summary>
public sealed class CookieExportTests(CookieExportFixture platform) : IClassFixture<CookieExportFixture>
{
    private async Task<(HttpStatusCode Status, string? MediaType, string Body)> Download(string cookie, string? origin = null)
    {
        using var client = platform.Host.Server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/exports/outcomes.csv?scope=organization");
        request.Headers.Add("Cookie", $"fp_session={cookie}");
        if (origin is not null)
            request.Headers.Add("Origin", origin);
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_signed_in_admin_downloads_the_outcomes_export_with_the_session_cookie_and_another_sites_page_cannot()
    {
        await platform.SecondFactor(required: false);
        var (_, cookie) = await platform.ActivePerson("exporting.admin@clinic.example", "a long enough export phrase 7", role: "ADMIN");

        var download = await Download(cookie);
        Assert.Equal((HttpStatusCode.OK, "text/csv"), (download.Status, download.MediaType));
        Assert.StartsWith("siteId,site,from,to,withheld,measuredEpisodes", download.Body);

        var foreign = await Download(cookie, origin: "https://elsewhere.example");
        Assert.Equal(HttpStatusCode.Forbidden, foreign.Status);
        Assert.Contains("CSRF_REFUSED", foreign.Body);

        Assert.Equal(HttpStatusCode.Unauthorized, (await Download("not-a-session")).Status);
    }
}
