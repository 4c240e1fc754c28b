using FeedbackPlatform.Clinical.Access;
using FeedbackPlatform.Clinical.People;
using FeedbackPlatform.Hosting;
using FeedbackPlatform.People;
using Marten;

namespace FeedbackPlatform.Demo;

/// <summary>
/// The people of the demo clinic, one for each role: an admin, a director per site, two clinicians and an
/// integrator, all signing in with one password (FEEDBACK_DEMO_PASSWORD; ops/run.sh makes one per clone in
/// .local/demo-password). The demo organization alone does without a second factor.
/// </summary>
public sealed class DemoPeople(IDocumentStore store, TimeProvider clock, SignInSettings settings, Passwords passwords, PlatformSettings platform)
{
    public static readonly string[] Sites = ["Riverside", "Harbour", "Hillside"];

    public static IEnumerable<(string Email, string Name, Role Role, Guid[] Sites, Guid? Therapist)> People()
    {
        yield return ("admin@demo.example", "Demo Admin", Role.Admin, [], null);
        foreach (var site in Sites)
            yield return ($"director.{site.ToLowerInvariant()}@demo.example", $"Director of {site}", Role.Director, [DemoClinic.Id("site", site)], null);
        yield return ("okafor@demo.example", "A. Okafor", Role.Clinician, [DemoClinic.Id("site", "Riverside")], DemoClinic.Id("therapist", "Riverside0"));
        yield return ("lindqvist@demo.example", "B. Lindqvist", Role.Clinician, [DemoClinic.Id("site", "Riverside")], DemoClinic.Id("therapist", "Riverside1"));
        yield return ("integrator@demo.example", "Record system", Role.Integrator, [], null);
    }

    /// <summary>Adds the people who are not there yet; answers how many it added.</summary>
    public async Task<int> Seed(string password, CancellationToken ct)
    {
        Passwords.Check(password, "");
        await using var session = store.LightweightSession(platform.Organization);
        // The handlers outside Wolverine: what they return is applied here, as Wolverine would.
        var (_, policy, logged) = await UpdateSecurityPolicyHandler.Handle(new UpdateSecurityPolicy { RequireSecondFactor = false, By = "seed-demo", ClientAddress = "command line" }, session, clock, ct);
        policy.Execute(session);
        logged.Execute(session);
        var added = 0;
        foreach (var (email, name, role, sites, therapist) in People())
        {
            var key = PeopleDecisions.EmailKey(email);
            if (await session.Query<Person>().AnyAsync(p => p.EmailKey == key, ct))
                continue;
            var id = Guid.CreateVersion7();
            var (outcome, facts, records) = await InvitePersonHandler.Handle(new InvitePerson
            {
                PersonId = id, Email = email, DisplayName = name, Role = role, Sites = sites, TherapistId = therapist,
                InvitationHash = Secrets.Hash(Secrets.Token(platform.Organization)), By = "seed-demo", ClientAddress = "command line",
            }, session, clock, settings, ct);
            if (!outcome.IsAccepted)
                throw new InvalidOperationException($"Demo person refused: {outcome.Code} {outcome.Field} {outcome.Message}");
            facts.Execute(session);
            records.Execute(session);
            // As if they had accepted their invitations with the demo password.
            session.Store(new SignInCredentials { Id = id, PasswordHash = passwords.Hash(password) });
            session.Events.Append(id, new PersonActivated(id, false, clock.GetUtcNow()));
            session.DeleteWhere<Invitation>(i => i.PersonId == id);
            added++;
        }
        await session.SaveChangesAsync(ct);
        return added;
    }
}
