namespace FeedbackPlatform.Hosting;

/// <summary>
/// A background message that names an alert, episode, delivery or subscription this deployment does not hold (in its
/// schema and the message's organization). It cannot be handled here and must not vanish: Wolverine moves it to this
/// deployment's dead letters with this reason (PlatformSetup), and `feedback.messages.unplaceable` counts it.
/// The reason names the message type and ids only: never a person, a score or free text.
/// </summary>
public sealed class UnplaceableMessage : Exception
{
    private UnplaceableMessage(string reason) : base(reason) { }

    public static UnplaceableMessage Of(object message, string missing, object id, string? organization)
    {
        var type = message.GetType().Name;
        Telemetry.UnplaceableMessages.Add(1, new KeyValuePair<string, object?>("message_type", type));
        return new UnplaceableMessage($"{type}: no {missing} {id} in organization '{organization}' of this deployment");
    }
}
