using System.Text.Json.Serialization.Metadata;
using FeedbackPlatform.Clinical.Episodes;
using JasperFx.Events;
using Marten.Events.Aggregation;

namespace FeedbackPlatform.Episodes;

/// <summary>Keeps the clinical core's episode state as an inline snapshot; the core owns every rule of how it evolves.</summary>
public partial class EpisodeOfCareProjection : SingleStreamProjection<EpisodeOfCare, Guid>
{
    public override EpisodeOfCare? Evolve(EpisodeOfCare? snapshot, Guid id, IEvent e) => EpisodeOfCare.Evolve(snapshot, e.Data);

    private static readonly HashSet<Type> WriteModelTypes = [typeof(EpisodeOfCare), typeof(CareSession), typeof(Goal), typeof(OpenAlert)];

    /// <summary>
    /// The snapshot is stored without the write model's derived properties (IsOpen, HasFeedback, FeedbackClockStart,
    /// AgreedByBoth, LastContact...): they are answers computed from the stored ones, nothing reads them from the
    /// document, and they were over a third of its bytes, loaded and written on every command. An empty value (a
    /// session's missing instrument) is left out too: reading it back gives the same null.
    /// </summary>
    public static void StoreOnlyState(JsonTypeInfo type)
    {
        if (type.Kind != JsonTypeInfoKind.Object || !WriteModelTypes.Contains(type.Type))
            return;
        for (var i = type.Properties.Count - 1; i >= 0; i--)
        {
            var property = type.Properties[i];
            if (property.Set is null)
                type.Properties.RemoveAt(i);
            else if (!property.PropertyType.IsValueType || Nullable.GetUnderlyingType(property.PropertyType) is not null)
                property.ShouldSerialize = static (_, value) => value is not null;
        }
    }
}
