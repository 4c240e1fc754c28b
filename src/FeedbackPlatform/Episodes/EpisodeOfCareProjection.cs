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
    /// document, and they were over a third of its bytes, loaded and written on every command.
    /// </summary>
    public static void StoreOnlyState(JsonTypeInfo type)
    {
        if (type.Kind != JsonTypeInfoKind.Object || !WriteModelTypes.Contains(type.Type))
            return;
        for (var i = type.Properties.Count - 1; i >= 0; i--)
        {
            if (type.Properties[i].Set is null)
                type.Properties.RemoveAt(i);
        }
    }
}
