namespace FeedbackPlatform.Clinical.Scoring;

/// <summary>Session Rating Scale (alliance), filled in by the client at the end of a session.</summary>
public sealed record SessionRating(decimal Relationship, decimal GoalsAndTopics, decimal ApproachOrMethod, decimal Overall)
{
    public decimal Total => RatingScale.Round(Relationship + GoalsAndTopics + ApproachOrMethod + Overall);

    /// <summary>Items under the flag threshold, to be talked through with the client (a flag, not an alert).</summary>
    public IReadOnlyList<string> FlaggedItems(decimal flagBelow)
    {
        var flagged = new List<string>(4);
        if (Relationship < flagBelow) flagged.Add("relationship");
        if (GoalsAndTopics < flagBelow) flagged.Add("goalsAndTopics");
        if (ApproachOrMethod < flagBelow) flagged.Add("approachOrMethod");
        if (Overall < flagBelow) flagged.Add("overall");
        return flagged;
    }

    public static SessionRating Read(double? relationship, double? goalsAndTopics, double? approachOrMethod, double? overall) =>
        new(RatingScale.ReadItem("relationship", relationship),
            RatingScale.ReadItem("goalsAndTopics", goalsAndTopics),
            RatingScale.ReadItem("approachOrMethod", approachOrMethod),
            RatingScale.ReadItem("overall", overall));
}
