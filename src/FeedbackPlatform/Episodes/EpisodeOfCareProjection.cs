using FeedbackPlatform.Clinical.Episodes;
using JasperFx.Events;
using Marten.Events.Aggregation;

namespace FeedbackPlatform.Episodes;

/// <summary>Keeps the clinical core's episode state as an inline snapshot; the core owns every rule of how it evolves.</summary>
public partial class EpisodeOfCareProjection : SingleStreamProjection<EpisodeOfCare, Guid>
{
    public override EpisodeOfCare? Evolve(EpisodeOfCare? snapshot, Guid id, IEvent e) => EpisodeOfCare.Evolve(snapshot, e.Data);
}
