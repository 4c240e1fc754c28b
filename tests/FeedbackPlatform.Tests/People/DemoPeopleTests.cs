using System.Net;
using FeedbackPlatform.Demo;
using Microsoft.Extensions.DependencyInjection;

namespace FeedbackPlatform.Tests.People;

public sealed class DemoPeopleFixture : PeopleFixture;

/// <summary>The demo's people, one per role, sign in with the demo password and without a second factor.</summary>
public sealed class DemoPeopleTests(DemoPeopleFixture platform) : IClassFixture<DemoPeopleFixture>
{
    [Fact]
    public async Task Every_demo_person_signs_in_with_the_demo_password_as_their_role()
    {
        const string password = "demo-password-for-tests-7Qx";
        var demo = ActivatorUtilities.CreateInstance<DemoPeople>(platform.Host.Services);
        Assert.Equal(7, await demo.Seed(password, TestContext.Current.CancellationToken));
        Assert.Equal(0, await demo.Seed(password, TestContext.Current.CancellationToken)); // never twice
        foreach (var (email, _, role, sites, _) in DemoPeople.People())
        {
            var signedIn = await platform.Post("/auth/sign-in", new { organization = platform.Organization, email, password });
            Assert.True(signedIn.Status == HttpStatusCode.OK, email + " " + signedIn.Body.ToJsonString());
            var me = await platform.Get("/auth/me", signedIn.Cookie);
            Assert.Equal(role.ToString().ToUpperInvariant(), me.Body["role"]!.GetValue<string>());
            Assert.Equal(sites.Select(s => s.ToString()), me.Body["sites"]!.AsArray().Select(s => s!.GetValue<string>()));
        }
        var policy = await platform.GraphQL("{ securityPolicy { requireSecondFactor } }");
        Assert.False(policy.At("securityPolicy.requireSecondFactor")!.GetValue<bool>());
    }
}
