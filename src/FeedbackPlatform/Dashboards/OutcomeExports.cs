using System.Globalization;
using System.Text;
using FeedbackPlatform.Access;
using FeedbackPlatform.Clinical;
using FeedbackPlatform.Clinical.Access;
using FeedbackPlatform.Clinical.Directory;
using FeedbackPlatform.Clinical.Outcomes;
using FeedbackPlatform.Episodes;
using FeedbackPlatform.Hosting;
using Marten;
using Npgsql;

namespace FeedbackPlatform.Dashboards;

/// <summary>
/// CSV exports a director opens in a spreadsheet (RFC 4180: a header row, CRLF, quoted where needed; instants in ISO
/// 8601 UTC; numbers with a point). Same bearer token and the same policy as the API; bad input is a 400 problem with
/// code and field, an object out of reach a 404 as if it did not exist.
/// <list type="bullet">
/// <item>`GET /exports/outcomes.csv?scope=organization|site|therapist&amp;id=&amp;from=&amp;to=`: the outcome figures, a row per
/// site of the organization, per therapist of a site, or the therapist's own; rows the caller may not see are left out.</item>
/// <item>`GET /exports/episodes.csv?siteId=&amp;from=&amp;to=` (admins and integrators): one de-identified row per episode
/// measured or closed in the period, streamed; every row is in the access log before it is sent.</item>
/// </list>
/// </summary>
public static class OutcomeExports
{
    public const string EpisodesOperation = "export episodes";
    public const string MediaType = "text/csv; charset=utf-8; header=present";
    /// <summary>Rows streamed (and recorded in the access log) at a time.</summary>
    public const int Chunk = 500;

    public static void MapOutcomeExports(this WebApplication app)
    {
        app.MapGet("/exports/outcomes.csv", Outcomes).RequireAuthorization();
        app.MapGet("/exports/episodes.csv", Episodes).RequireAuthorization();
    }

    private sealed class BadRequest(int status, string code, string field, string message) : Exception(message)
    {
        public int Status { get; } = status;
        public string Code { get; } = code;
        public string Field { get; } = field;
    }

    private static async Task Outcomes(HttpContext http, OutcomeQueries queries, IDocumentStore store, TimeProvider clock)
    {
        await Answer(http, "exportOutcomes", async caller =>
        {
            var query = http.Request.Query;
            var scope = query["scope"].ToString() switch
            {
                "organization" => OutcomeScope.Organization,
                "site" => OutcomeScope.Site,
                "therapist" => OutcomeScope.Therapist,
                "" => throw new BadRequest(400, ErrorCodes.ValidationFailed, "scope", "scope is required: organization, site or therapist."),
                _ => throw new BadRequest(400, ErrorCodes.ValidationFailed, "scope", "scope must be organization, site or therapist."),
            };
            var id = scope == OutcomeScope.Organization ? PlatformSettings.OrganizationIdOf(caller.Organization) : Uuid(query["id"].ToString(), "id", required: true)!.Value;
            var period = Period(http, clock);

            await using var session = store.QuerySession(caller.Organization);
            var settings = await StreamDecisions.RulesInForce(session, http.RequestAborted);
            // Each row is a site's or a therapist's figures, under the summaries' rules.
            List<(string Kind, Guid Id, string Name, OutcomeScope Scope)> rows;
            IReadOnlyDictionary<Guid, OutcomeTallies> tallies;
            switch (scope)
            {
                case OutcomeScope.Organization:
                    rows = [.. (await session.Query<Site>().ToListAsync(http.RequestAborted))
                        .Where(s => AccessPolicy.MaySeeSiteSummary(caller, s.Id))
                        .OrderBy(s => s.Name, StringComparer.Ordinal).ThenBy(s => s.Id)
                        .Select(s => ("site", s.Id, s.Name, OutcomeScope.Site))];
                    tallies = await queries.Tallies(caller.Organization, new(OutcomeScope.Organization, id), OutcomeQueries.Split.BySite, period, settings, http.RequestAborted);
                    break;
                case OutcomeScope.Site:
                    var site = await session.LoadAsync<Site>(id, http.RequestAborted);
                    if (site is null || !AccessPolicy.MaySeeSite(caller, site.Id))
                        throw new BadRequest(404, ErrorCodes.NotFound, "id", "No such site.");
                    rows = [.. (await session.Query<Therapist>().Where(t => t.SiteId == site.Id).ToListAsync(http.RequestAborted))
                        .Where(t => AccessPolicy.MaySeeTherapistSummary(caller, t.SiteId, t.Id))
                        .OrderBy(t => t.DisplayName, StringComparer.Ordinal).ThenBy(t => t.Id)
                        .Select(t => ("therapist", t.Id, t.DisplayName, OutcomeScope.Therapist))];
                    tallies = await queries.Tallies(caller.Organization, new(OutcomeScope.Site, id), OutcomeQueries.Split.ByTherapist, period, settings, http.RequestAborted);
                    break;
                default:
                    var therapist = await session.LoadAsync<Therapist>(id, http.RequestAborted);
                    if (therapist is null || !AccessPolicy.MaySeeTherapistSummary(caller, therapist.SiteId, therapist.Id))
                        throw new BadRequest(404, ErrorCodes.NotFound, "id", "No such therapist.");
                    rows = [("therapist", therapist.Id, therapist.DisplayName, OutcomeScope.Therapist)];
                    tallies = new Dictionary<Guid, OutcomeTallies>
                    {
                        [therapist.Id] = await queries.Tallies(caller.Organization, new(OutcomeScope.Therapist, id), period, settings, http.RequestAborted),
                    };
                    break;
            }

            var kind = scope == OutcomeScope.Organization ? "site" : "therapist";
            await using var csv = Start(http, $"outcomes-{query["scope"]}-{Day(period.From)}-{Day(period.To)}.csv");
            await csv.WriteAsync(Line([$"{kind}Id", kind, "from", "to", "withheld", "measuredEpisodes", "reliableImprovementRate", "reliableDeteriorationRate",
                "recoveryRate", "startedInClinicalRange", "meanChange", "effectSize", "closedEpisodes", "dropoutRate", "meanSessionsPerClosedEpisode",
                "sessionsHeld", "feedbackCompletion", "srsCount", "meanSrs", "srsBelowCutoffRate"]));
            foreach (var (_, rowId, name, rowScope) in rows)
            {
                var f = OutcomeFigures.Finish(tallies.GetValueOrDefault(rowId) ?? OutcomeTallies.None, settings, period, rowScope);
                await csv.WriteAsync(Line([rowId.ToString(), Text(name), Instant(f.From), Instant(f.To), f.Withheld ? "true" : "false", Number(f.MeasuredEpisodes),
                    Number(f.ReliableImprovementRate), Number(f.ReliableDeteriorationRate), Number(f.RecoveryRate), Number(f.StartedInClinicalRange),
                    Number(f.MeanChange), Number(f.EffectSize), Number(f.ClosedEpisodes), Number(f.DropoutRate), Number(f.MeanSessionsPerClosedEpisode),
                    Number(f.SessionsHeld), Number(f.FeedbackCompletion), Number(f.SrsCount), Number(f.MeanSrs), Number(f.SrsBelowCutoffRate)]));
            }
        });
    }

    private static async Task Episodes(HttpContext http, PlatformSettings platform, IDocumentStore store, TimeProvider clock, AccessLog log)
    {
        await Answer(http, "exportEpisodes", async caller =>
        {
            var siteId = Uuid(http.Request.Query["siteId"].ToString(), "siteId", required: false);
            var period = Period(http, clock);
            if (siteId is { } wanted)
            {
                await using var session = store.QuerySession(caller.Organization);
                if (await session.LoadAsync<Site>(wanted, http.RequestAborted) is not { } site || !AccessPolicy.MaySeeSite(caller, site.Id))
                    throw new BadRequest(404, ErrorCodes.NotFound, "siteId", "No such site.");
            }

            var table = OutcomeTables.QualifiedName(platform.Schema, OutcomeTables.Episodes);
            await using var connection = new NpgsqlConnection(platform.ConnectionString);
            await connection.OpenAsync(http.RequestAborted);
            await using var command = new NpgsqlCommand($"""
                select episode_id, site_id, therapist_id, population, intake_total,
                       case when ors_count >= 2 then final_total end, case when ors_count >= 2 then final_total - intake_total end,
                       sessions_held, srs_count, closed_as, closed_at
                from {table}
                where tenant_id = @org{(siteId is null ? "" : " and site_id = @site")}
                  and ((ors_count >= 2 and latest_ors_at >= @from and latest_ors_at < @to) or (closed_at >= @from and closed_at < @to))
                order by site_id, therapist_id, episode_id
                """, connection);
            command.Parameters.AddWithValue("org", caller.Organization);
            command.Parameters.AddWithValue("site", siteId ?? Guid.Empty);
            command.Parameters.AddWithValue("from", period.From.ToUniversalTime());
            command.Parameters.AddWithValue("to", period.To.ToUniversalTime());
            await using var reader = await command.ExecuteReaderAsync(http.RequestAborted);

            await using var csv = Start(http, $"episodes-{Day(period.From)}-{Day(period.To)}.csv");
            await csv.WriteAsync(Line(["episodeId", "siteId", "therapistId", "population", "intakeOrs", "finalOrs", "change", "sessionsHeld", "srsCount", "closedAs", "closedAt"]));
            var pending = new StringBuilder();
            var rows = 0;
            async Task Send()
            {
                // What was not recorded is not sent: the chunk's episodes are in the access log first.
                await log.Flush(http.RequestAborted);
                await csv.WriteAsync(pending, http.RequestAborted);
                await csv.FlushAsync(http.RequestAborted);
                pending.Clear();
                rows = 0;
            }
            while (await reader.ReadAsync(http.RequestAborted))
            {
                var episodeId = reader.GetGuid(0);
                log.Record(caller, episodeId, EpisodesOperation);
                pending.Append(Line([
                    episodeId.ToString(), reader.GetGuid(1).ToString(), reader.GetGuid(2).ToString(), Spelled(reader.GetString(3)),
                    Number(reader.IsDBNull(4) ? null : reader.GetDecimal(4)), Number(reader.IsDBNull(5) ? null : reader.GetDecimal(5)),
                    Number(reader.IsDBNull(6) ? null : reader.GetDecimal(6)), Number(reader.GetInt32(7)), Number(reader.GetInt32(8)),
                    reader.IsDBNull(9) ? "" : Spelled(reader.GetString(9)), reader.IsDBNull(10) ? "" : Instant(reader.GetFieldValue<DateTimeOffset>(10))]));
                if (++rows == Chunk)
                    await Send();
            }
            if (rows > 0)
                await Send();
        });
    }

    /// <summary>Runs an export for an authenticated caller whose role may call it; refusals are problem details.</summary>
    private static async Task Answer(HttpContext http, string operation, Func<Caller, Task> export)
    {
        var caller = http.Caller();
        if (!AccessPolicy.MayCall(caller, operation))
        {
            await Refusals.Write(http, StatusCodes.Status403Forbidden, CommandGate.Forbidden, $"A {caller.Role.ToString().ToLowerInvariant()} may not call {operation}.");
            return;
        }
        try
        {
            await export(caller);
        }
        catch (BadRequest refusal)
        {
            await Refusals.Write(http, refusal.Status, refusal.Code, refusal.Message, refusal.Field);
        }
        catch (ClinicalRejection rejection)
        {
            await Refusals.Write(http, StatusCodes.Status400BadRequest, rejection.Code, rejection.Message, rejection.Field);
        }
    }

    private static StreamWriter Start(HttpContext http, string fileName)
    {
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = MediaType;
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"{fileName}\"";
        http.Response.Headers.CacheControl = "no-store";
        return new StreamWriter(http.Response.Body, new UTF8Encoding(false), 16 * 1024, leaveOpen: true);
    }

    private static Guid? Uuid(string value, string field, bool required)
    {
        if (value.Length == 0)
            return required ? throw new BadRequest(400, ErrorCodes.ValidationFailed, field, $"{field} is required (a UUID).") : null;
        return Guid.TryParse(value, out var id) ? id : throw new BadRequest(400, ErrorCodes.ValidationFailed, field, $"{field} must be a UUID.");
    }

    /// <summary>`from` and `to`: ISO 8601 instants with an offset, or dates (midnight UTC); `to` defaults to now, `from` to 365 days before it.</summary>
    private static OutcomePeriod Period(HttpContext http, TimeProvider clock) =>
        OutcomePeriod.Of(InstantOf(http.Request.Query["from"].ToString(), "from"), InstantOf(http.Request.Query["to"].ToString(), "to"), clock.GetUtcNow());

    private static DateTimeOffset? InstantOf(string value, string field)
    {
        if (value.Length == 0)
            return null;
        if (value.Length == 10 && DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            return new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        return GraphQL.InstantGraphType.TryRead(value, out var instant)
            ? instant
            : throw new BadRequest(400, ErrorCodes.ValidationFailed, field, $"{field} must be an ISO 8601 date (2026-01-31) or instant with an offset (2026-01-31T09:00:00Z).");
    }

    private static string Day(DateTimeOffset at) => at.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    private static string Instant(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

    private static string Number(decimal? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "";

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Enum values as GraphQL spells them (ADULT, DROPOUT).</summary>
    private static string Spelled(string name) => System.Text.Json.JsonNamingPolicy.SnakeCaseUpper.ConvertName(name);

    /// <summary>A name a person typed: a leading =, +, - or @ would be a formula to a spreadsheet, so it is prefixed with an apostrophe.</summary>
    private static string Text(string value) => value.Length > 0 && value[0] is '=' or '+' or '-' or '@' ? "'" + value : value;

    /// <summary>One RFC 4180 record: fields with a comma, a quote or a line break are quoted, quotes doubled; CRLF at the end.</summary>
    public static string Line(IEnumerable<string> fields) =>
        string.Join(',', fields.Select(f => f.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + f.Replace("\"", "\"\"") + "\"" : f)) + "\r\n";
}
