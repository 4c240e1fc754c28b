namespace FeedbackPlatform.Clinical.Scoring;

/// <summary>Sums and item means of the WAI-SR subscales (Hatcher &amp; Gillaspy 2006).</summary>
public sealed record AllianceInventoryScores(int Task, int Goal, int Bond, int Total, decimal TaskMean, decimal GoalMean, decimal BondMean, decimal Mean);

/// <summary>Working Alliance Inventory, short revised: 12 items from 1 (seldom) to 5 (always), none reverse-keyed.</summary>
public static class WorkingAllianceInventory
{
    public const int ItemCount = 12;

    // 1-based item numbers of each subscale, as published.
    private static readonly int[] TaskItems = [1, 2, 10, 12];
    private static readonly int[] GoalItems = [4, 6, 8, 11];
    private static readonly int[] BondItems = [3, 5, 7, 9];

    public static IReadOnlyList<int> ReadItems(IReadOnlyList<int>? items)
    {
        if (items is null)
            throw ClinicalRejection.Invalid("items", "items is required: 12 answers from 1 to 5.");
        if (items.Count != ItemCount)
            throw ClinicalRejection.Invalid("items", $"The WAI-SR has exactly 12 items (got {items.Count}).");
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is < 1 or > 5)
                throw ClinicalRejection.Invalid($"items[{i}]", $"Item {i + 1} must be from 1 to 5 (was {items[i]}).");
        }
        return items.ToArray();
    }

    public static AllianceInventoryScores Score(IReadOnlyList<int> items)
    {
        var valid = ReadItems(items);
        int Sum(int[] numbers) => numbers.Sum(n => valid[n - 1]);
        var task = Sum(TaskItems);
        var goal = Sum(GoalItems);
        var bond = Sum(BondItems);
        var total = task + goal + bond;
        static decimal Mean(int sum, int count) => Math.Round((decimal)sum / count, 2, MidpointRounding.AwayFromZero);
        return new AllianceInventoryScores(task, goal, bond, total, Mean(task, 4), Mean(goal, 4), Mean(bond, 4), Mean(total, ItemCount));
    }
}
