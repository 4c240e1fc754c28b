using FeedbackPlatform.Clinical;
using FeedbackPlatform.Clinical.Directory;
using FeedbackPlatform.Clinical.Episodes;
using FeedbackPlatform.Directory;
using FeedbackPlatform.Episodes;
using FeedbackPlatform.Feedback;
using FeedbackPlatform.Goals;
using FeedbackPlatform.Hosting;
using Marten;
using Wolverine;

namespace FeedbackPlatform.Demo;

/// <summary>
/// A realistic organization for demos, made through the real command handlers: 3 sites, 12 therapists and
/// 150 episodes over the last twelve weeks, with the trajectories seen in practice (most improving, some
/// ruptures and repairs, some deteriorating, some missing feedback or contact) so that every alert kind appears.
/// Deterministic: the same seed gives the same clinic.
/// </summary>
public sealed class DemoClinic(IMessageBus bus, IDocumentStore store, DemoClock clock, PlatformSettings platform)
{
    private readonly Random _random = new(20261125);
    private int _commands;

    public enum Trajectory { Improving, RuptureAndRepair, Deteriorating, MissingFeedback, Disengaged, NoGoalConsensus }

    public async Task<int> Seed(DateTimeOffset today, CancellationToken ct)
    {
        await using (var session = store.QuerySession(platform.Organization))
        {
            if (await session.Query<Site>().AnyAsync(ct))
                return 0; // the database already has a clinic: never seed twice
        }

        var sites = new[] { ("Riverside", "Europe/London"), ("Harbour", "Europe/London"), ("Hillside", "Europe/Dublin") };
        var therapistNames = new[] { "A. Okafor", "B. Lindqvist", "C. Moreau", "D. Haddad", "E. Kowalski", "F. Tanaka", "G. Byrne", "H. Castillo", "I. Novak", "J. Mensah", "K. Rossi", "L. Fischer" };
        var start = today.AddDays(-7 * 12);
        clock.Now = start.AddDays(-1);

        var therapists = new List<(Guid Site, Guid Therapist)>();
        foreach (var (name, zone) in sites)
        {
            var siteId = Id("site", name);
            await Send(new RegisterSite { SiteId = siteId, Name = name, TimeZone = zone }, ct);
            await Send(new AssignClinicalDirector { SiteId = siteId, DirectorId = Id("director", name), DisplayName = $"Director of {name}" }, ct);
            for (var t = 0; t < 4; t++)
            {
                var therapistId = Id("therapist", $"{name}{t}");
                await Send(new RegisterTherapist { TherapistId = therapistId, SiteId = siteId, DisplayName = therapistNames[therapists.Count] }, ct);
                therapists.Add((siteId, therapistId));
            }
        }

        // Episodes start on different days of the twelve weeks; each is played in time order.
        var plans = Enumerable.Range(0, 150).Select(i => (Index: i, Opened: start.AddHours(_random.Next(0, 24 * 7 * 8)))).OrderBy(p => p.Opened).ToList();
        foreach (var (index, opened) in plans)
            await PlayEpisode(index, opened, therapists[index % therapists.Count], today, ct);
        clock.Now = today;
        return _commands;
    }

    private async Task PlayEpisode(int index, DateTimeOffset opened, (Guid Site, Guid Therapist) at, DateTimeOffset today, CancellationToken ct)
    {
        var trajectory = (index % 20) switch
        {
            < 11 => Trajectory.Improving,
            < 14 => Trajectory.RuptureAndRepair,
            < 16 => Trajectory.Deteriorating,
            < 18 => Trajectory.MissingFeedback,
            < 19 => Trajectory.Disengaged,
            _ => Trajectory.NoGoalConsensus,
        };
        var population = (index % 10) switch { < 7 => Population.Adult, < 9 => Population.Adolescent, _ => Population.Child };
        var episodeId = Id("episode", index.ToString());
        clock.Now = opened;
        await Send(new OpenEpisode { EpisodeId = episodeId, SiteId = at.Site, TherapistId = at.Therapist, ClientId = $"demo-{index:D4}", Population = population, OpenedAt = opened }, ct);

        var weeksLeft = (int)((today - opened).TotalDays / 7);
        var sessions = Math.Clamp(weeksLeft - (trajectory == Trajectory.Disengaged ? 4 : 0), 2, 12);
        var intake = population switch { Population.Child => 24m, Population.Adolescent => 20m, _ => 17m } + _random.Next(-3, 4);
        var srs = 37.5m + _random.Next(-1, 3) * 0.5m;
        var ruptureAt = 2 + _random.Next(0, 3);

        for (var n = 1; n <= sessions; n++)
        {
            var heldAt = opened.AddDays(7 * (n - 1) + 2).AddHours(_random.Next(8, 17) - opened.Hour);
            if (heldAt > today.AddHours(-2))
                break;
            clock.Now = heldAt;
            var sessionId = Id("session", $"{index}:{n}");
            await Send(new RecordSession { EpisodeId = episodeId, SessionId = sessionId, HeldAt = heldAt }, ct);

            // ORS at the start of the session, SRS at its end.
            var ors = trajectory switch
            {
                Trajectory.Deteriorating => intake - 1.4m * (n - 1),
                Trajectory.NoGoalConsensus => intake + 0.3m * (n - 1),
                _ => intake + 1.6m * (n - 1),
            };
            await Send(Ors(episodeId, sessionId, ors), ct);

            if (n <= 2 && trajectory != Trajectory.NoGoalConsensus)
            {
                var goalId = Id("goal", $"{index}:{n}");
                await Send(new RecordGoalAgreement
                {
                    EpisodeId = episodeId, GoalId = goalId, Description = n == 1 ? "Sleep through most nights" : "Return to work part time",
                    AgreedByClient = true, AgreedByTherapist = n == 1 || _random.Next(2) == 0,
                }, ct);
            }

            var total = trajectory switch
            {
                Trajectory.RuptureAndRepair when n == ruptureAt => srs - 3.5m,
                Trajectory.RuptureAndRepair when n == ruptureAt + 1 => srs - 1.5m,
                Trajectory.Deteriorating => Math.Max(28m, srs - 0.6m * n),
                _ => srs + _random.Next(-1, 2) * 0.4m,
            };
            var lastSession = n == sessions || heldAt.AddDays(7) > today.AddHours(-2);
            var skip = trajectory == Trajectory.MissingFeedback && (lastSession || _random.Next(4) == 0);
            clock.Now = heldAt.AddMinutes(50);
            if (!skip)
                await Send(Srs(episodeId, sessionId, total), ct);
            if (n == 3 && index % 3 == 0)
                await Send(new SubmitAllianceInventory { EpisodeId = episodeId, SessionId = sessionId, Items = [.. Enumerable.Range(0, 12).Select(_ => _random.Next(3, 6))] }, ct);
        }

        if (trajectory == Trajectory.Improving && index % 4 == 0 && sessions >= 8)
        {
            clock.Now = clock.Now.AddDays(1);
            await Send(new CloseEpisode { EpisodeId = episodeId, Reason = EpisodeClosure.Planned }, ct);
        }
    }

    private static SubmitSessionRating Srs(Guid episodeId, Guid sessionId, decimal total)
    {
        var items = Split(Math.Clamp(total, 0m, 40m));
        return new SubmitSessionRating { EpisodeId = episodeId, SessionId = sessionId, Relationship = items[0], GoalsAndTopics = items[1], ApproachOrMethod = items[2], Overall = items[3] };
    }

    private static SubmitOutcomeRating Ors(Guid episodeId, Guid sessionId, decimal total)
    {
        var items = Split(Math.Clamp(total, 0m, 40m));
        return new SubmitOutcomeRating { EpisodeId = episodeId, SessionId = sessionId, Individual = items[0], Interpersonal = items[1], Social = items[2], Overall = items[3] };
    }

    /// <summary>Four items on the 0–10 line, one decimal each, adding up to the total.</summary>
    private static double[] Split(decimal total)
    {
        var items = new double[4];
        var left = Math.Round(total, 1);
        for (var i = 0; i < 4; i++)
        {
            var share = i == 3 ? left : Math.Min(10m, Math.Round(left / (4 - i), 1, MidpointRounding.ToZero));
            items[i] = (double)share;
            left -= share;
        }
        return items;
    }

    private async Task Send(ClinicCommand command, CancellationToken ct)
    {
        var outcome = await bus.InvokeForTenantAsync<CommandOutcome>(platform.Organization, command, ct);
        if (!outcome.IsAccepted)
            throw new InvalidOperationException($"Demo data refused by the rules: {command} {outcome.Code} {outcome.Field} {outcome.Message}");
        _commands++;
    }

    /// <summary>Stable ids, so that seeding twice could never make two clinics.</summary>
    internal static Guid Id(string kind, string name) =>
        new(System.Security.Cryptography.MD5.HashData(System.Text.Encoding.UTF8.GetBytes($"demo:{kind}:{name}")));
}
