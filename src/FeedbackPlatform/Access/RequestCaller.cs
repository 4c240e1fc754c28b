using FeedbackPlatform.Clinical.Access;

namespace FeedbackPlatform.Access;

/// <summary>The caller of the current request, set once by the endpoint that authenticated it.</summary>
public sealed class RequestCaller
{
    private Caller? _caller;

    public Caller Current
    {
        get => _caller ?? throw new InvalidOperationException("No caller was set for this request.");
        set => _caller = value;
    }
}
