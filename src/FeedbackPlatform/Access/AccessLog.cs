using System.Collections.Concurrent;
using FeedbackPlatform.Clinical.Access;
using FeedbackPlatform.GraphQL;
using GraphQL;
using GraphQL.Types;
using Marten;
using Weasel.Core;

namespace FeedbackPlatform.Access;

/// <summary>
/// One read of an episode's data: who, which episode, through which operation, when. No clinical content.
/// Only ever inserted (bulk COPY); the database refuses to update, delete or truncate them (AccessLogProtection).
/// </summary>
public sealed record AccessRecord
{
    public Guid Id { get; init; }
    public string Subject { get; init; } = "";
    public Role Role { get; init; }
    public Guid EpisodeId { get; init; }
    public string Operation { get; init; } = "";
    public DateTimeOffset At { get; init; }
}

/// <summary>
/// Collects the episode-level reads of one request (each episode and operation once) and appends them to the
/// caller's organization's access log before the answer leaves: what was not recorded is not served.
/// </summary>
public sealed class AccessLog(IDocumentStore store, TimeProvider clock)
{
    private readonly ConcurrentDictionary<(Guid Episode, string Operation), Caller> _reads = new();

    public void Record(Caller caller, Guid episodeId, string operation) => _reads.TryAdd((episodeId, operation), caller);

    public async Task Flush(CancellationToken ct)
    {
        if (_reads.IsEmpty)
            return;
        var reads = _reads.ToArray();
        _reads.Clear();
        var now = clock.GetUtcNow();
        // One COPY per organization: a page of a hundred episodes costs one round trip, not a hundred inserts.
        foreach (var organization in reads.GroupBy(r => r.Value.Organization))
        {
            await store.BulkInsertAsync(organization.Key, organization.Select(r => new AccessRecord
            {
                Id = Guid.CreateVersion7(now),
                Subject = r.Value.Subject,
                Role = r.Value.Role,
                EpisodeId = r.Key.Episode,
                Operation = r.Key.Operation,
                At = now,
            }).ToArray(), BulkInsertMode.InsertsOnly, 1000, ct);
        }
    }
}

public sealed class AccessRecordGraphType : ObjectGraphType<AccessRecord>
{
    public AccessRecordGraphType()
    {
        Name = "AccessRecord";
        Description = "One read of an episode's data.";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id);
        Field<NonNullGraphType<StringGraphType>>("subject").Description("The token subject of who read it.").Resolve(c => c.Source.Subject);
        Field<NonNullGraphType<StringGraphType>>("role").Resolve(c => c.Source.Role.ToString().ToUpperInvariant());
        Field<NonNullGraphType<IdGraphType>>("episodeId").Resolve(c => c.Source.EpisodeId);
        Field<NonNullGraphType<StringGraphType>>("operation").Description("e.g. \"query episode\".").Resolve(c => c.Source.Operation);
        Field<NonNullGraphType<InstantGraphType>>("at").Resolve(c => c.Source.At);
    }
}

public static class AccessLogQueries
{
    public const int MaxRecords = 500;

    /// <summary>`accessLog(episodeId, subject, first)`: admins read who read what, newest first.</summary>
    public static void AddAccessLogQuery(this ObjectGraphType query)
    {
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<AccessRecordGraphType>>>>("accessLog")
            .Description("Who read which episode's data, newest first (admins).")
            .Argument<IdGraphType>("episodeId")
            .Argument<StringGraphType>("subject")
            .Argument<IntGraphType>("first", a => a.DefaultValue = 100)
            .ResolveAsync(async c =>
            {
                var first = c.GetArgument("first", 100);
                if (first is < 1 or > MaxRecords)
                    throw new ExecutionError($"first must be from 1 to {MaxRecords}.") { Code = Clinical.ErrorCodes.ValidationFailed, Data = { ["field"] = "first" } };
                await using var session = c.QuerySession();
                IQueryable<AccessRecord> records = session.Query<AccessRecord>();
                if (c.OptionalIdArgument("episodeId") is { } episodeId)
                    records = records.Where(r => r.EpisodeId == episodeId);
                if (c.GetArgument<string>("subject") is { } subject)
                    records = records.Where(r => r.Subject == subject);
                return await records.OrderByDescending(r => r.At).ThenByDescending(r => r.Id).Take(first).ToListAsync(c.CancellationToken);
            });
    }
}
