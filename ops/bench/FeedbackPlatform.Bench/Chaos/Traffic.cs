using System.Collections.Concurrent;

namespace FeedbackPlatform.Bench.Chaos;

/// <summary>A fact the platform acknowledged (200 with the mutation's result): it must be in the event store.</summary>
public sealed record AckedFact(string Organization, Guid Episode, Guid Session, bool Rating);

/// <summary>What the clients were told, across every scenario.</summary>
public sealed class Ledger
{
    public ConcurrentBag<AckedFact> Acked { get; } = [];
    public ConcurrentQueue<Answer> Answers { get; } = new();

    public DateTimeOffset? FirstAckAfter(DateTimeOffset moment) =>
        Answers.Where(a => a.Acknowledged && a.At > moment).Select(a => (DateTimeOffset?)a.At).Min();
}

/// <summary>
/// A clinic's sustained ingestion as the chaos runs see it: workers that each own some episodes, record a session
/// and rate it, in order, again and again until told to stop. A call that fails (refused, 503, no answer) is sent
/// again with the same input after a short wait, as a real client does, until acknowledged; every acknowledged
/// fact goes into the ledger. Ratings are low for about one session in three, so alerts are raised and resolved.
/// </summary>
public sealed class Traffic(Client client, string organization, IReadOnlyList<Guid> episodes, Ledger ledger)
{
    private const string RecordSession = "mutation($i: RecordSessionInput!) { recordSession(input: $i) { id } }";
    private const string RateSession = "mutation($i: SubmitSessionRatingInput!) { submitSessionRating(input: $i) { id } }";
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(15);

    /// <summary>Runs until stop is cancelled; the pair in progress is finished (acknowledged) first, within a deadline.</summary>
    public Task Run(int workers, CancellationToken stop, int seed) =>
        Task.WhenAll(Enumerable.Range(0, workers).Select(w => Worker(w, workers, stop, new Random(seed * 100 + w))));

    private async Task Worker(int index, int workers, CancellationToken stop, Random random)
    {
        var mine = episodes.Where((_, i) => i % workers == index).ToList();
        for (var turn = 0; !stop.IsCancellationRequested && mine.Count > 0; turn++)
        {
            var episode = mine[turn % mine.Count];
            var session = Guid.NewGuid();
            if (!await UntilAcknowledged(RecordSession, new { episodeId = episode, sessionId = session, heldAt = DateTimeOffset.UtcNow.AddMinutes(-1) }))
                return;
            ledger.Acked.Add(new AckedFact(organization, episode, session, false));
            var centre = random.Next(3) == 0 ? 7.6 : 9.4;
            double Item() => Math.Round(centre + random.NextDouble() * 0.6 - 0.3, 1);
            if (!await UntilAcknowledged(RateSession, new { episodeId = episode, sessionId = session, relationship = Item(), goalsAndTopics = Item(), approachOrMethod = Item(), overall = Item() }))
                return;
            ledger.Acked.Add(new AckedFact(organization, episode, session, true));
        }
    }

    private async Task<bool> UntilAcknowledged(string query, object input)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        while (DateTime.UtcNow < deadline)
        {
            var answer = await client.Attempt(query, new { i = input }, CallTimeout);
            ledger.Answers.Enqueue(answer);
            if (answer.Acknowledged)
                return true;
            await Task.Delay(answer.Status == 503 ? 500 : 200);
        }
        return false;
    }
}
