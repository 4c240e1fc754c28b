using System.Collections.Concurrent;
using GraphQLParser.AST;

namespace FeedbackPlatform.GraphQL;

/// <summary>
/// Parsed documents by query text, so that the operations a dashboard or an integrator repeats are parsed once.
/// Bounded: when full it starts again, which keeps the hot operations and costs one parse each.
/// </summary>
public sealed class DocumentCache
{
    public const int Capacity = 2000;
    private readonly ConcurrentDictionary<string, GraphQLDocument> _documents = new();

    public int Count => _documents.Count;

    public bool TryGet(string query, out GraphQLDocument document) => _documents.TryGetValue(query, out document!);

    public void Remember(string query, GraphQLDocument document)
    {
        if (_documents.Count >= Capacity)
            _documents.Clear();
        _documents.TryAdd(query, document);
    }
}
