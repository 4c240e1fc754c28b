using FeedbackPlatform.Clinical;
using FeedbackPlatform.Clinical.Access;
using FeedbackPlatform.Clinical.People;

namespace FeedbackPlatform.Clinical.Tests;

public sealed class PeopleDecisionTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private static Person Admin(PersonStatus status = PersonStatus.Active) =>
        Person.From(new PersonInvited(Guid.NewGuid(), "Ann@Clinic.example", "Ann", Role.Admin, [], null, "test", Now))
            .When(new PersonActivated(Guid.Empty, false, Now)) with { Status = status };

    [Fact]
    public void The_last_active_admin_is_neither_disabled_nor_demoted()
    {
        var admin = Admin();
        Assert.Equal(ErrorCodes.Conflict, Assert.Throws<ClinicalRejection>(() => PeopleDecisions.Disable(admin, 1, "x", Now)).Code);
        Assert.Equal("role", Assert.Throws<ClinicalRejection>(() => PeopleDecisions.ChangeAccess(admin, 1, Role.Integrator, [], null, "x", Now)).Field);
        Assert.IsType<PersonDisabled>(Assert.Single(PeopleDecisions.Disable(admin, 2, "x", Now)));
        Assert.IsType<PersonAccessChanged>(Assert.Single(PeopleDecisions.ChangeAccess(admin, 2, Role.Integrator, [], null, "x", Now)));
        // An invited admin is no active admin: disabling them is fine even when they are the only admin counted.
        Assert.Single(PeopleDecisions.Disable(Admin(PersonStatus.Invited), 1, "x", Now));
    }

    [Fact]
    public void An_invitation_needs_an_address_a_name_and_access_that_fit_the_role()
    {
        Assert.Equal("email", Assert.Throws<ClinicalRejection>(() => PeopleDecisions.Invite(null, false, Guid.NewGuid(), "no-at-sign", "A", Role.Admin, [], null, "x", Now)).Field);
        Assert.Equal("email", Assert.Throws<ClinicalRejection>(() => PeopleDecisions.Invite(null, false, Guid.NewGuid(), "a b@c.example", "A", Role.Admin, [], null, "x", Now)).Field);
        Assert.Equal("displayName", Assert.Throws<ClinicalRejection>(() => PeopleDecisions.Invite(null, false, Guid.NewGuid(), "a@c.example", " ", Role.Admin, [], null, "x", Now)).Field);
        Assert.Equal("therapistId", Assert.Throws<ClinicalRejection>(() => PeopleDecisions.Invite(null, false, Guid.NewGuid(), "a@c.example", "A", Role.Clinician, [Guid.NewGuid()], null, "x", Now)).Field);
        Assert.Equal("sites", Assert.Throws<ClinicalRejection>(() => PeopleDecisions.Invite(null, false, Guid.NewGuid(), "a@c.example", "A", Role.Director, [], null, "x", Now)).Field);
        Assert.Equal(ErrorCodes.Conflict, Assert.Throws<ClinicalRejection>(() => PeopleDecisions.Invite(null, true, Guid.NewGuid(), "a@c.example", "A", Role.Admin, [], null, "x", Now)).Code);
        var invited = Assert.IsType<PersonInvited>(Assert.Single(PeopleDecisions.Invite(null, false, Guid.NewGuid(), " A@C.example ", "A", Role.Admin, [], null, "x", Now)));
        Assert.Equal("a@c.example", Person.From(invited).EmailKey);
    }

    [Fact]
    public void A_reset_returns_the_person_to_invited_and_enabling_restores_what_they_had()
    {
        var admin = Admin();
        var reset = admin.When(Assert.Single(PeopleDecisions.ResetSignIn(admin, "x", Now)));
        Assert.Equal(PersonStatus.Invited, reset.Status);
        var disabled = admin.When(new PersonDisabled(admin.Id, "x", Now));
        Assert.Equal(PersonStatus.Active, disabled.When(Assert.Single(PeopleDecisions.Enable(disabled, "x", Now))).Status);
        Assert.Empty(PeopleDecisions.Enable(admin, "x", Now));
    }

    [Fact]
    public void The_security_policy_keeps_its_bounds()
    {
        Assert.Equal("lockoutAttempts", Assert.Throws<ClinicalRejection>(() => PeopleDecisions.ChangeSecurityPolicy(SecurityPolicy.Defaults, Guid.NewGuid(), null, 0, null, null, "x", Now)).Field);
        Assert.Equal("sessionIdleHours", Assert.Throws<ClinicalRejection>(() => PeopleDecisions.ChangeSecurityPolicy(SecurityPolicy.Defaults, Guid.NewGuid(), null, null, null, 169, "x", Now)).Field);
        var changed = Assert.IsType<SecurityPolicyChanged>(Assert.Single(PeopleDecisions.ChangeSecurityPolicy(SecurityPolicy.Defaults, Guid.NewGuid(), false, null, null, null, "x", Now)));
        Assert.False(changed.RequireSecondFactor);
        Assert.Equal(SecurityPolicy.DefaultLockoutAttempts, changed.LockoutAttempts);
        Assert.True(SecurityPolicy.Defaults.RequireSecondFactor);
    }
}
