using System.Net;

namespace FeedbackPlatform.Tests.People;

/// <summary>Three sign-in attempts a minute from one address, so that the fourth is refused.</summary>
public sealed class RateLimitedSignInFixture : PeopleFixture
{
    protected override IEnumerable<(string Key, string Value)> Settings() => [("Auth:SignInsPerMinute", "3")];
}

/// <summary>
/// Sign-in attempts are limited per client address besides the lockout per account: guessing across many accounts
/// from one address is slowed down too, and refused with a clear code, without saying whether any account exists.
/// </summary>
public sealed class SignInRateLimitTests(RateLimitedSignInFixture platform) : IClassFixture<RateLimitedSignInFixture>
{
    [Fact]
    public async Task An_address_that_tries_too_often_is_refused_with_429_whichever_accounts_it_names()
    {
        var answers = new List<PeopleFixture.Answer>();
        foreach (var email in new[] { "one@clinic.example", "two@clinic.example", "three@clinic.example", "four@clinic.example" })
            answers.Add(await platform.Post("/auth/sign-in", new { organization = platform.Organization, email, password = "not the password at all" }));

        Assert.All(answers.Take(3), a => Assert.Equal((HttpStatusCode.Unauthorized, "UNAUTHENTICATED"), (a.Status, a.Code)));
        Assert.Equal((HttpStatusCode.TooManyRequests, "RATE_LIMITED"), (answers[3].Status, answers[3].Code));
        Assert.Null(answers[3].SetCookie);
    }
}
