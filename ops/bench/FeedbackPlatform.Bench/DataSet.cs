using System.Diagnostics;
using System.Text;
using Npgsql;

namespace FeedbackPlatform.Bench;

/// <summary>
/// The benchmark's organization, loaded through the real command path in bulk: each episode's history (its
/// opening, an agreed goal and ten sessions with SRS and ORS) is one `importEpisodeHistory` mutation, decided by
/// the same clinical rules as the single mutations (alerts included) and stored in one transaction; many such
/// requests are in flight at once. The document is the same for every episode, so it is parsed once.
/// </summary>
public sealed class DataSet(Client client, int scaleDivisor)
{
    public const int SessionsPerEpisode = 10;
    public int Sites => Math.Max(1, 20 / scaleDivisor);
    public int Therapists => 400 / scaleDivisor;
    public int Episodes => 40_000 / scaleDivisor;

    public List<Guid> SiteIds { get; } = [];
    public List<(Guid Id, Guid Site)> TherapistIds { get; } = [];
    public List<(Guid Id, Guid Site)> EpisodeIds { get; } = [];

    /// <summary>
    /// The data set a run left behind in a schema (its sites, therapists and first open episodes by id), read from the
    /// database, so a later measurement of another build runs on the same data.
    /// </summary>
    public static async Task<DataSet> LeftBehind(Client client, string connectionString, string schema, int openEpisodes)
    {
        var data = new DataSet(client, 1);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        async Task Read(string sql, Action<NpgsqlDataReader> row)
        {
            await using var command = new NpgsqlCommand(sql, connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
                row(reader);
        }
        await Read($"select id from \"{schema}\".mt_doc_site order by id", r => data.SiteIds.Add(r.GetGuid(0)));
        await Read($"select id, (data->>'siteId')::uuid from \"{schema}\".mt_doc_therapist order by id", r => data.TherapistIds.Add((r.GetGuid(0), r.GetGuid(1))));
        await Read($"select id, site_id from \"{schema}\".mt_doc_episodealliancehealth where episode_status = 'Open' order by id limit {openEpisodes}",
            r => data.EpisodeIds.Add((r.GetGuid(0), r.GetGuid(1))));
        return data;
    }

    private const string EpisodeDocument = "mutation LoadEpisode($i: ImportEpisodeHistoryInput!) { importEpisodeHistory(input: $i) { id } }";

    public async Task<(int Commands, double Seconds)> Load(int concurrency, Action<string> say)
    {
        var started = Stopwatch.StartNew();
        for (var s = 0; s < Sites; s++)
        {
            var site = Guid.NewGuid();
            SiteIds.Add(site);
            await client.Send("mutation($i: RegisterSiteInput!) { registerSite(input: $i) { id } }", new { i = new { siteId = site, name = $"Bench site {s + 1}", timeZone = "Europe/London" } });
        }
        for (var t = 0; t < Therapists; t++)
        {
            var therapist = Guid.NewGuid();
            var site = SiteIds[t % SiteIds.Count];
            TherapistIds.Add((therapist, site));
            await client.Send("mutation($i: RegisterTherapistInput!) { registerTherapist(input: $i) { id } }", new { i = new { therapistId = therapist, siteId = site, displayName = $"Therapist {t + 1}" } });
        }
        var now = DateTimeOffset.UtcNow;
        var next = -1;
        var done = 0;
        async Task Worker()
        {
            while (Interlocked.Increment(ref next) is var e && e < Episodes)
            {
                var random = new Random(e);
                var (therapist, site) = TherapistIds[e % TherapistIds.Count];
                var episode = Guid.NewGuid();
                lock (EpisodeIds)
                    EpisodeIds.Add((episode, site));
                await client.Send(EpisodeDocument, Variables(episode, site, therapist, now.AddDays(-75 - random.Next(0, 5)), random));
                if (Interlocked.Increment(ref done) % 1000 == 0)
                    say($"  {done} of {Episodes} episodes ({done / started.Elapsed.TotalSeconds:F0} episodes/s)");
            }
        }
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Worker()));
        var commands = Sites + Therapists + Episodes;
        return (commands, started.Elapsed.TotalSeconds);
    }

    /// <summary>Most clients improve with a good alliance; one in ten has a weak alliance, one in ten deteriorates.</summary>
    private static object Variables(Guid episode, Guid site, Guid therapist, DateTimeOffset opened, Random random)
    {
        var course = random.Next(10);
        var sessions = new List<object>();
        for (var i = 1; i <= SessionsPerEpisode; i++)
        {
            double Item(double centre) => Math.Round(Math.Clamp(centre + random.NextDouble() * 0.6 - 0.3, 0, 10), 1);
            var srs = course == 0 ? 8.2 : 9.4;
            var ors = course == 1 ? 6.0 - i * 0.3 : 5.0 + i * 0.35;
            sessions.Add(new
            {
                sessionId = Guid.NewGuid(), heldAt = opened.AddDays(7 * i - 6),
                sessionRating = new { relationship = Item(srs), goalsAndTopics = Item(srs), approachOrMethod = Item(srs), overall = Item(srs) },
                outcomeRating = new { individual = Item(ors), interpersonal = Item(ors), social = Item(ors), overall = Item(ors) },
            });
        }
        return new
        {
            i = new
            {
                episodeId = episode, siteId = site, therapistId = therapist, clientId = "bench-" + episode.ToString("N")[..12], population = "ADULT", openedAt = opened,
                goals = new[] { new { goalId = Guid.NewGuid(), description = "Feel able to go back to work", agreedByClient = true, agreedByTherapist = true } },
                sessions,
            },
        };
    }

    /// <summary>Sessions recorded without ratings yet, for the ingestion runs to rate: (episode, session).</summary>
    public async Task<List<(Guid Episode, Guid Session)>> PrepareSessions(int count, int concurrency)
    {
        const int perDocument = 25;
        var declarations = string.Join(", ", Enumerable.Range(1, perDocument).Select(i => $"$s{i}: RecordSessionInput!"));
        var body = string.Join("\n", Enumerable.Range(1, perDocument).Select(i => $"s{i}: recordSession(input: $s{i}) {{ id }}"));
        var document = $"mutation PrepareSessions({declarations}) {{\n{body}\n}}";
        var prepared = new List<(Guid, Guid)>();
        var next = -1;
        var heldAt = DateTimeOffset.UtcNow.AddDays(-2);
        async Task Worker()
        {
            while (Interlocked.Increment(ref next) is var batch && batch * perDocument < count)
            {
                var (episode, _) = EpisodeIds[batch % EpisodeIds.Count];
                var variables = new Dictionary<string, object>();
                var sessions = new List<(Guid, Guid)>();
                for (var i = 1; i <= perDocument; i++)
                {
                    var session = Guid.NewGuid();
                    sessions.Add((episode, session));
                    variables[$"s{i}"] = new { episodeId = episode, sessionId = session, heldAt = heldAt.AddMinutes(batch / EpisodeIds.Count * perDocument + i) };
                }
                await client.Send(document, variables);
                lock (prepared)
                    prepared.AddRange(sessions);
            }
        }
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Worker()));
        return prepared;
    }
}
