using Marten;

namespace FeedbackPlatform.Privacy;

/// <summary>What privacy registers with the platform.</summary>
public static class PrivacyConfiguration
{
    /// <summary>A client's erasure overwrites free text in the events themselves (Privacy/EraseClientData).</summary>
    public static StoreOptions ConfigurePrivacy(this StoreOptions opts)
    {
        opts.AddErasureRules();
        return opts;
    }
}
