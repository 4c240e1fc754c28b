using System.Text.Json;
using FeedbackPlatform.Dashboards;
using FeedbackPlatform.Feedback;
using FeedbackPlatform.Hosting;
using FeedbackPlatform.Tests.Support;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Wolverine;

namespace FeedbackPlatform.Tests.Dashboards;

public sealed class MutationAnswerFixture : PlatformFixture;

/// <summary>
/// A mutation answers with the episode read model its own commit stored (Dashboards/CommittedEpisodes), not a
/// second read: the same document a read finds afterwards, and the same answer a query gives.
/// </summary>
public sealed class MutationAnswerTests(MutationAnswerFixture platform) : IClassFixture<MutationAnswerFixture>
{
    private const string Selection = """
        id status clientId population
        allianceHealth { status latestSrsTotal srsFlaggedItems srsSeries { sessionNumber total } intakeOrsTotal latestOrsTotal
          orsChange orsSeries { sessionNumber total } hasAgreedGoal sessionsHeld sessionsWithSrs lastSessionAt openAlerts }
        sessions { number cancelled hasSessionRating sessionRating { total } }
        alerts { kind status occurrences sessionNumber }
        """;

    [Fact]
    public async Task A_watched_command_hands_over_the_document_its_commit_stored_and_a_command_that_changes_nothing_hands_over_none()
    {
        var clinic = await new Clinic(platform).Register();
        var episode = await clinic.OpenEpisode();
        var session = await clinic.RecordSession(episode);
        var rating = new SubmitSessionRating { EpisodeId = episode, SessionId = session, Relationship = 9, GoalsAndTopics = 9, ApproachOrMethod = 9, Overall = 8.5 };
        using var scope = platform.Host.Services.CreateScope();
        var bus = scope.ServiceProvider.GetRequiredService<IMessageBus>();
        var ct = TestContext.Current.CancellationToken;

        EpisodeAllianceHealth? stored;
        using (CommittedEpisodes.Watch())
        {
            Assert.True((await bus.InvokeForTenantAsync<CommandOutcome>(platform.Organization, rating, ct)).IsAccepted);
            stored = CommittedEpisodes.Stored(episode);
        }
        Assert.NotNull(stored);
        Assert.Null(CommittedEpisodes.Stored(episode));
        await using (var query = platform.QuerySession())
        {
            var read = await query.LoadAsync<EpisodeAllianceHealth>(episode, ct);
            var serializer = platform.Store.Options.Serializer();
            Assert.Equal(serializer.ToJson(read!), serializer.ToJson(stored!));
            Assert.Equal(35.5m, read!.LatestSrsTotal);
        }

        // The same rating again decides nothing: no commit stores the episode, so the answer reads it.
        using (CommittedEpisodes.Watch())
        {
            Assert.True((await bus.InvokeForTenantAsync<CommandOutcome>(platform.Organization, rating, ct)).IsAccepted);
            Assert.Null(CommittedEpisodes.Stored(episode));
        }
    }

    [Fact]
    public async Task The_answer_of_a_rating_that_raises_an_alert_equals_the_episode_read_afterwards()
    {
        var clinic = await new Clinic(platform).Register();
        var episode = await clinic.OpenEpisode();
        var first = await clinic.RecordSession(episode, 0);
        await clinic.SubmitSrs(episode, first, 10, 10, 10, 10);
        var second = await clinic.RecordSession(episode, 7);

        var answer = await platform.GraphQL($$"""
            mutation($i: SubmitSessionRatingInput!) { submitSessionRating(input: $i) { {{Selection}} } }
            """, new { i = new { episodeId = episode, sessionId = second, relationship = 5, goalsAndTopics = 5, approachOrMethod = 5, overall = 5 } });
        var read = await platform.GraphQL($$"""query($id: ID!) { episode(id: $id) { {{Selection}} } }""", new { id = episode });

        var answered = answer.Read<EpisodeAnswer>("submitSessionRating")!;
        Assert.Equal("AT_RISK", answered.AllianceHealth!.Status);
        Assert.Contains(answered.Alerts!, a => a.Status == "OPEN");
        Assert.Equal(read.Json("episode")!.ToJsonString(), answer.Json("submitSessionRating")!.ToJsonString());
    }
}
