using System.Text;
using FeedbackPlatform.Clinical;
using GraphQL;
using GraphQL.Types;

namespace FeedbackPlatform.GraphQL;

/// <summary>One page of a Relay connection: newest first, cursors that stay put as new items arrive.</summary>
public sealed record Page<T>(IReadOnlyList<(string Cursor, T Node)> Edges, bool HasNextPage, bool HasPreviousPage);

public sealed record PageInfo(bool HasNextPage, bool HasPreviousPage, string? StartCursor, string? EndCursor);

public sealed class PageInfoGraphType : ObjectGraphType<PageInfo>
{
    public PageInfoGraphType()
    {
        Name = "PageInfo";
        Field<NonNullGraphType<BooleanGraphType>>("hasNextPage").Resolve(c => c.Source.HasNextPage);
        Field<NonNullGraphType<BooleanGraphType>>("hasPreviousPage").Resolve(c => c.Source.HasPreviousPage);
        Field<StringGraphType>("startCursor").Resolve(c => c.Source.StartCursor);
        Field<StringGraphType>("endCursor").Resolve(c => c.Source.EndCursor);
    }
}

public class EdgeGraphType<TNodeGraph, T> : ObjectGraphType<(string Cursor, T Node)> where TNodeGraph : IGraphType
{
    public EdgeGraphType(string name)
    {
        Name = name;
        Field<NonNullGraphType<StringGraphType>>("cursor").Resolve(c => c.Source.Cursor);
        Field<NonNullGraphType<TNodeGraph>>("node").Resolve(c => c.Source.Node);
    }
}

public class ConnectionGraphType<TNodeGraph, TEdgeGraph, T> : ObjectGraphType<Page<T>>
    where TNodeGraph : IGraphType where TEdgeGraph : IGraphType
{
    public ConnectionGraphType(string name)
    {
        Name = name;
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<TEdgeGraph>>>>("edges").Resolve(c => c.Source.Edges);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<TNodeGraph>>>>("nodes").Resolve(c => c.Source.Edges.Select(e => e.Node));
        Field<NonNullGraphType<PageInfoGraphType>>("pageInfo").Resolve(c => new PageInfo(
            c.Source.HasNextPage, c.Source.HasPreviousPage, c.Source.Edges.FirstOrDefault().Cursor, c.Source.Edges.LastOrDefault().Cursor));
    }
}

/// <summary>Keyset paging on (time, id): what the client holds is where the next page starts, whatever arrives meanwhile.</summary>
public static class Paging
{
    public const int MaxPageSize = 200;

    public static void CheckFirst(int first)
    {
        if (first is < 1 or > MaxPageSize)
            throw new ExecutionError($"first must be from 1 to {MaxPageSize}.") { Code = ErrorCodes.ValidationFailed, Data = { ["field"] = "first" } };
    }

    public static string Cursor(DateTimeOffset at, Guid id) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{at.UtcTicks}:{id:N}"));

    public static (DateTimeOffset At, Guid Id)? Decode(string? cursor)
    {
        if (cursor is null)
            return null;
        try
        {
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(cursor)).Split(':');
            return (new DateTimeOffset(long.Parse(parts[0]), TimeSpan.Zero), Guid.ParseExact(parts[1], "N"));
        }
        catch (Exception e) when (e is FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException or OverflowException)
        {
            throw new ExecutionError("after is not a cursor of this list.") { Code = ErrorCodes.ValidationFailed, Data = { ["field"] = "after" } };
        }
    }

    /// <summary>
    /// Orders rows fetched newest first (a few more than a page, since rows of one instant tie) by (time, id),
    /// drops those at or before the cursor, and cuts the page.
    /// </summary>
    public static Page<T> Cut<T>(IEnumerable<T> rows, Func<T, DateTimeOffset> at, Func<T, Guid> id, (DateTimeOffset At, Guid Id)? after, int first)
    {
        var ordered = rows.OrderByDescending(at).ThenByDescending(id)
            .Where(r => after is not { } c || at(r) < c.At || (at(r) == c.At && id(r).CompareTo(c.Id) < 0))
            .ToList();
        var page = ordered.Take(first).Select(r => (Cursor(at(r), id(r)), r)).ToList();
        return new Page<T>(page, ordered.Count > first, after is not null);
    }
}
