namespace FeedbackPlatform.Hosting;

/// <summary>
/// `FeedbackPlatform healthcheck`: asks the running platform's /health/ready and exits 0 or 1.
/// For container health checks, where the runtime image has no curl.
/// </summary>
public static class HealthProbe
{
    public static async Task<int> Run()
    {
        var urls = PlatformSettings.ListeningUrlsFrom(new ConfigurationBuilder().AddEnvironmentVariables().Build()) ?? "http://127.0.0.1:5080";
        var first = urls.Split(';', StringSplitOptions.RemoveEmptyEntries)[0]
            .Replace("0.0.0.0", "127.0.0.1").Replace("[::]", "127.0.0.1").Replace("+", "127.0.0.1").Replace("*", "127.0.0.1");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
        try
        {
            using var response = await http.GetAsync(first.TrimEnd('/') + "/health/ready");
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return 1;
        }
    }
}
