using System.Collections.Concurrent;
using FeedbackPlatform.Access;
using FeedbackPlatform.Clinical.Alerts;
using FeedbackPlatform.Clinical.Directory;
using FeedbackPlatform.Clinical.Outcomes;
using FeedbackPlatform.Episodes;
using Marten;

namespace FeedbackPlatform.Dashboards;

/// <summary>
/// A GraphQL request's outcome reads, each made once however many fields ask: the rules in force, and a site's tallies
/// by therapist. A site's own figures are the sum of that split (the therapist tallies are kept by site and therapist,
/// the rows carry both), so a director's site page, its figures and its comparison, is one statement, not two. The
/// default period ends at the request's <see cref="Now"/>, one instant for every field: otherwise each field's period
/// would end a few microseconds later than the one before, and be a read of its own.
/// </summary>
public sealed class OutcomeReads(IDocumentStore store, OutcomeQueries queries, RequestCaller caller, TimeProvider clock)
{
    private readonly ConcurrentDictionary<object, Lazy<Task<object>>> _reads = new();

    /// <summary>The instant a period without `to` ends at, the same for every field of the request.</summary>
    public DateTimeOffset Now { get; } = clock.GetUtcNow();

    /// <summary>The alert rules in force in the caller's organization (their cutoffs and RCI define the figures).</summary>
    public Task<AlertRuleSettings> Settings(CancellationToken ct) => Once("settings", async () =>
    {
        await using var session = store.QuerySession(caller.Current.Organization);
        return await StreamDecisions.RulesInForce(session, ct);
    });

    /// <summary>The therapists of a site (whoever asks; the access middleware decides what is shown).</summary>
    public Task<IReadOnlyList<Therapist>> TherapistsOf(Guid siteId, CancellationToken ct) => Once(("therapists", siteId), async () =>
    {
        await using var session = store.QuerySession(caller.Current.Organization);
        return (IReadOnlyList<Therapist>)await session.Query<Therapist>().Where(t => t.SiteId == siteId).ToListAsync(ct);
    });

    /// <summary>A scope's tallies of a period; a site's are added up from its split by therapist.</summary>
    public async Task<OutcomeTallies> Tallies(OutcomeScope scope, Guid id, OutcomePeriod period, CancellationToken ct) =>
        scope == OutcomeScope.Site
            ? (await ByTherapist(id, period, ct)).Values.Aggregate(OutcomeTallies.None, (sum, part) => sum.Plus(part))
            : await Once((scope, id, period), async () =>
                await queries.Tallies(caller.Current.Organization, new OutcomeQueries.Scope(scope, id), period, await Settings(ct), ct));

    /// <summary>A site's tallies of a period by therapist; only therapists with something in the period are present.</summary>
    public Task<IReadOnlyDictionary<Guid, OutcomeTallies>> ByTherapist(Guid siteId, OutcomePeriod period, CancellationToken ct) =>
        Once(("by therapist", siteId, period), async () => await queries.Tallies(caller.Current.Organization,
            new OutcomeQueries.Scope(OutcomeScope.Site, siteId), OutcomeQueries.Split.ByTherapist, period, await Settings(ct), ct));

    private async Task<T> Once<T>(object key, Func<Task<T>> read) =>
        (T)await _reads.GetOrAdd(key, _ => new Lazy<Task<object>>(async () => (await read())!)).Value;
}
