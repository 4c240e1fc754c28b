using System.Security.Cryptography;
using System.Text;

namespace FeedbackPlatform.Clinical.Alerts;

/// <summary>
/// An alert's id follows from its episode, its kind and how many alerts of that kind the episode raised
/// before it: a retried or replayed fact can only ever name the same alert.
/// </summary>
public static class AlertIds
{
    public static Guid For(Guid episodeId, AlertKind kind, int ordinal)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes($"alert:{episodeId:N}:{kind}:{ordinal}"), hash);
        var bytes = hash[..16].ToArray();
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x80); // version 8 (name-based, custom hash)
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 4122 variant
        return new Guid(bytes);
    }
}
