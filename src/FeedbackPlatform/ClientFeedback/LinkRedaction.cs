using System.Collections;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace FeedbackPlatform.ClientFeedback;

/// <summary>
/// The client's page is `/f/{token}`: the browser asks for that path, so ASP.NET Core's hosting logs ("Request
/// starting ... /f/..."), its log scopes (RequestPath) and its request spans would carry the token. The API calls
/// send the token in the body instead; for the page path, every log line, value and scope is redacted here, the
/// page's requests are left out of traces (Hosting/Telemetry), and the page answers with no referrer.
/// </summary>
public static partial class LinkRedaction
{
    public const string Redacted = "/f/[redacted]";

    [GeneratedRegex("/f/[^\\s/?#\"'<>]+")]
    private static partial Regex PagePath();

    public static bool Holds(string? text) => text is not null && text.Contains("/f/", StringComparison.Ordinal) && PagePath().IsMatch(text);

    public static string Redact(string text) => Holds(text) ? PagePath().Replace(text, Redacted) : text;

    public static bool IsPage(PathString path) => path.StartsWithSegments(FeedbackLinks.PagePath);

    /// <summary>Every logger of the process writes through the redaction, whichever provider receives the line.</summary>
    public static IServiceCollection AddClientLinkRedaction(this IServiceCollection services)
    {
        services.Replace(ServiceDescriptor.Singleton<ILoggerFactory>(sp => new RedactingLoggerFactory(new LoggerFactory(
            sp.GetServices<ILoggerProvider>(), sp.GetRequiredService<IOptionsMonitor<LoggerFilterOptions>>(),
            sp.GetService<IOptions<LoggerFactoryOptions>>(), sp.GetService<IExternalScopeProvider>()))));
        return services;
    }

    /// <summary>The page and what it loads: no referrer (the address holds the token), never cached.</summary>
    public static IApplicationBuilder UseClientLinkPage(this IApplicationBuilder app) => app.Use((http, next) =>
    {
        if (IsPage(http.Request.Path))
        {
            http.Response.Headers["Referrer-Policy"] = "no-referrer";
            http.Response.Headers.CacheControl = "no-store";
        }
        return next(http);
    });

    private sealed class RedactingLoggerFactory(ILoggerFactory inner) : ILoggerFactory
    {
        public ILogger CreateLogger(string categoryName) => new RedactingLogger(inner.CreateLogger(categoryName));
        public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);
        public void Dispose() => inner.Dispose();
    }

    private sealed class RedactingLogger(ILogger inner) : ILogger
    {
        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull =>
            state is IEnumerable<KeyValuePair<string, object?>> pairs && pairs.Any(p => HoldsValue(p.Value))
                ? inner.BeginScope(new Values(pairs.Select(Clean).ToList(), Redact(state.ToString() ?? "")))
                : inner.BeginScope(state);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!inner.IsEnabled(logLevel))
                return;
            var message = formatter(state, exception);
            var pairs = state as IEnumerable<KeyValuePair<string, object?>>;
            var exceptionHolds = exception is not null && Holds(exception.ToString());
            if (!Holds(message) && (pairs is null || !pairs.Any(p => HoldsValue(p.Value))) && !exceptionHolds)
            {
                inner.Log(logLevel, eventId, state, exception, formatter);
                return;
            }
            // An exception whose text names the page path is left out: its message is kept, redacted, in the line.
            var redacted = new Values(pairs?.Select(Clean).ToList() ?? [], Redact(message) + (exceptionHolds ? " " + Redact(exception!.GetType().Name + ": " + exception.Message) : ""));
            inner.Log(logLevel, eventId, redacted, exceptionHolds ? null : exception, (s, _) => s.Message);
        }

        private static bool HoldsValue(object? value) => value is string or PathString or Uri && Holds(value.ToString());

        private static KeyValuePair<string, object?> Clean(KeyValuePair<string, object?> pair) =>
            HoldsValue(pair.Value) ? new(pair.Key, Redact(pair.Value!.ToString()!)) : pair;
    }

    /// <summary>A log state with its values and message already redacted.</summary>
    private sealed class Values(IReadOnlyList<KeyValuePair<string, object?>> pairs, string message) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public string Message { get; } = message;
        public KeyValuePair<string, object?> this[int index] => pairs[index];
        public int Count => pairs.Count;
        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => pairs.GetEnumerator();
        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
        public override string ToString() => Message;
    }
}
