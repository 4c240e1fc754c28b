namespace FeedbackPlatform.Clinical;

/// <summary>Who the episode is for: decides the ORS clinical cutoff (adult ORS, adolescent ORS, child CORS).</summary>
public enum Population
{
    Adult,
    Adolescent,
    Child,
}
