using System.Text.RegularExpressions;

namespace FeedbackPlatform.Clinical.FeedbackRequests;

/// <summary>One item of an instrument as the client reads it: its label and, when the clinic has them, the words at the line's two ends.</summary>
public sealed record ItemWording(string Label, string? Low = null, string? High = null);

/// <summary>
/// The four items of one instrument for one population and language, in the instrument's order (SRS: relationship,
/// goals and topics, approach or method, overall; ORS: individually, interpersonally, socially, overall). Clinics
/// enter the wording they are licensed to use.
/// </summary>
public sealed record InstrumentWording(FeedbackInstrument Instrument, Population Population, string Language, IReadOnlyList<ItemWording> Items);

public sealed record ClientFeedbackSettingsChanged(
    Guid OrganizationId, bool RequestSrsWhenSessionRecorded, bool ShowClientTrajectory, IReadOnlyList<InstrumentWording> Wordings,
    string ChangedBy, DateTimeOffset ChangedAt);

/// <summary>How the organization asks its clients for feedback; the defaults until an admin changes them.</summary>
public sealed record ClientFeedbackSettings
{
    public const string DefaultLanguage = "en";

    public Guid Id { get; init; }
    /// <summary>Recording a session opens an SRS request for it (without a link: the clinician issues one).</summary>
    public bool RequestSrsWhenSessionRecorded { get; init; }
    /// <summary>The client's page shows the client's own ORS totals of the episode.</summary>
    public bool ShowClientTrajectory { get; init; }
    public IReadOnlyList<InstrumentWording> Wordings { get; init; } = [];
    public DateTimeOffset? ChangedAt { get; init; }

    public static readonly ClientFeedbackSettings Defaults = new();

    /// <summary>The item names, in English: what the client reads until the clinic enters its own wording.</summary>
    public static IReadOnlyList<ItemWording> DefaultItems(FeedbackInstrument instrument) => instrument switch
    {
        FeedbackInstrument.Srs => [new("Relationship"), new("Goals and topics"), new("Approach or method"), new("Overall")],
        _ => [new("Individually"), new("Interpersonally"), new("Socially"), new("Overall")],
    };

    public static ClientFeedbackSettings From(ClientFeedbackSettingsChanged e) => new ClientFeedbackSettings { Id = e.OrganizationId }.When(e);

    public ClientFeedbackSettings When(object fact) => fact switch
    {
        ClientFeedbackSettingsChanged e => this with
        {
            RequestSrsWhenSessionRecorded = e.RequestSrsWhenSessionRecorded, ShowClientTrajectory = e.ShowClientTrajectory,
            Wordings = e.Wordings, ChangedAt = e.ChangedAt,
        },
        _ => this,
    };

    /// <summary>The languages the organization has wording in for an instrument and population (its own population's, else the adults').</summary>
    public IReadOnlyList<string> LanguagesFor(FeedbackInstrument instrument, Population population)
    {
        var own = Wordings.Where(w => w.Instrument == instrument && w.Population == population).Select(w => w.Language).ToList();
        if (own.Count > 0)
            return own;
        var adult = Wordings.Where(w => w.Instrument == instrument && w.Population == Population.Adult).Select(w => w.Language).ToList();
        return adult.Count > 0 ? adult : [DefaultLanguage];
    }

    /// <summary>
    /// The wording the client reads: the language the browser prefers most among those the organization has
    /// (Accept-Language, with its q-values; a tag also matches its primary language), else the organization's first.
    /// </summary>
    public (string Language, IReadOnlyList<ItemWording> Items) WordingFor(FeedbackInstrument instrument, Population population, string? acceptLanguage)
    {
        var languages = LanguagesFor(instrument, population);
        var language = ClientLanguages.Choose(acceptLanguage, languages) ?? languages[0];
        var wording = Wordings.FirstOrDefault(w => w.Instrument == instrument && w.Population == population && w.Language == language)
                      ?? Wordings.FirstOrDefault(w => w.Instrument == instrument && w.Population == Population.Adult && w.Language == language);
        return (language, wording?.Items ?? DefaultItems(instrument));
    }
}

/// <summary>Picks a language from a browser's Accept-Language among the ones on offer.</summary>
public static partial class ClientLanguages
{
    [GeneratedRegex("^[a-z]{2,3}(-[A-Za-z0-9]{2,8}){0,2}$")]
    public static partial Regex TagPattern();

    public static string? Choose(string? acceptLanguage, IReadOnlyList<string> offered)
    {
        if (string.IsNullOrWhiteSpace(acceptLanguage) || acceptLanguage.Length > 500)
            return null;
        var wanted = new List<(string Tag, double Q, int Order)>();
        var order = 0;
        foreach (var part in acceptLanguage.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Take(20))
        {
            var pieces = part.Split(';', StringSplitOptions.TrimEntries);
            var q = 1.0;
            foreach (var parameter in pieces.Skip(1))
                if (parameter.StartsWith("q=", StringComparison.OrdinalIgnoreCase)
                    && !double.TryParse(parameter[2..], System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out q))
                    q = 0;
            if (q > 0 && pieces[0].Length is > 0 and <= 35)
                wanted.Add((pieces[0], q, order++));
        }
        foreach (var (tag, _, _) in wanted.OrderByDescending(w => w.Q).ThenBy(w => w.Order))
        {
            if (offered.FirstOrDefault(o => string.Equals(o, tag, StringComparison.OrdinalIgnoreCase)) is { } exact)
                return exact;
            var primary = tag.Split('-')[0];
            if (offered.FirstOrDefault(o => string.Equals(o.Split('-')[0], primary, StringComparison.OrdinalIgnoreCase)) is { } near)
                return near;
        }
        return null;
    }
}

public static class ClientFeedbackSettingsDecisions
{
    public const int MaxWordings = 60;
    public const int MaxLabelLength = 200;

    /// <summary>New settings; nulls keep what is in force. Wording is checked item by item and refused by its path.</summary>
    public static IReadOnlyList<object> Change(ClientFeedbackSettings current, Guid organizationId, bool? requestSrsWhenSessionRecorded, bool? showClientTrajectory,
        IReadOnlyList<InstrumentWording>? wordings, string by, DateTimeOffset now)
    {
        var request = requestSrsWhenSessionRecorded ?? current.RequestSrsWhenSessionRecorded;
        var trajectory = showClientTrajectory ?? current.ShowClientTrajectory;
        var checkedWordings = wordings is null ? current.Wordings : ValidatedWordings(wordings);
        if (current.ChangedAt is not null && request == current.RequestSrsWhenSessionRecorded && trajectory == current.ShowClientTrajectory
            && checkedWordings.SequenceEqual(current.Wordings, WordingComparer.Instance))
            return [];
        return [new ClientFeedbackSettingsChanged(organizationId, request, trajectory, checkedWordings, by, now)];
    }

    private static IReadOnlyList<InstrumentWording> ValidatedWordings(IReadOnlyList<InstrumentWording> wordings)
    {
        if (wordings.Count > MaxWordings)
            throw ClinicalRejection.Invalid("wordings", $"At most {MaxWordings} wordings.");
        var seen = new HashSet<(FeedbackInstrument, Population, string)>();
        var result = new List<InstrumentWording>(wordings.Count);
        for (var i = 0; i < wordings.Count; i++)
        {
            var w = wordings[i];
            var path = $"wordings[{i}]";
            var language = w.Language?.Trim() ?? "";
            if (!ClientLanguages.TagPattern().IsMatch(language))
                throw ClinicalRejection.Invalid($"{path}.language", "language must be a language tag such as en, de or pt-BR.");
            if (!seen.Add((w.Instrument, w.Population, language.ToLowerInvariant())))
                throw ClinicalRejection.Invalid($"{path}.language", "Each instrument, population and language has one wording.");
            if (w.Items is not { Count: 4 })
                throw ClinicalRejection.Invalid($"{path}.items", "items must be the instrument's four items, in order.");
            var items = new List<ItemWording>(4);
            for (var j = 0; j < 4; j++)
            {
                var item = w.Items[j];
                items.Add(new ItemWording(
                    Text($"{path}.items[{j}].label", item.Label, required: true)!,
                    Text($"{path}.items[{j}].low", item.Low, required: false),
                    Text($"{path}.items[{j}].high", item.High, required: false)));
            }
            result.Add(new InstrumentWording(w.Instrument, w.Population, language, items));
        }
        return result;
    }

    private static string? Text(string field, string? value, bool required)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text))
            return required ? throw ClinicalRejection.Invalid(field, $"{field} is required.") : null;
        if (text.Length > MaxLabelLength)
            throw ClinicalRejection.Invalid(field, $"{field} may have {MaxLabelLength} characters at most.");
        if (text.Any(char.IsControl))
            throw ClinicalRejection.Invalid(field, $"{field} may not hold control characters.");
        return text;
    }

    private sealed class WordingComparer : IEqualityComparer<InstrumentWording>
    {
        public static readonly WordingComparer Instance = new();

        public bool Equals(InstrumentWording? a, InstrumentWording? b) =>
            a is not null && b is not null && a.Instrument == b.Instrument && a.Population == b.Population && a.Language == b.Language && a.Items.SequenceEqual(b.Items);

        public int GetHashCode(InstrumentWording w) => HashCode.Combine(w.Instrument, w.Population, w.Language);
    }
}
