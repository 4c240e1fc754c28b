using FeedbackPlatform.Clinical.People;
using FeedbackPlatform.Episodes;
using FeedbackPlatform.GraphQL;
using FeedbackPlatform.Hosting;
using GraphQL;
using GraphQL.Types;
using Marten;

namespace FeedbackPlatform.People;

/// <summary>An admin changes how the organization guards sign-in (second factor, lockout, idle hours); fields left out keep their value.</summary>
public sealed record UpdateSecurityPolicy : PeopleCommand
{
    public const string OperationName = "updateSecurityPolicy";
    public override string Operation => OperationName;

    public bool? RequireSecondFactor { get; init; }
    public int? LockoutAttempts { get; init; }
    public int? LockoutMinutes { get; init; }
    public int? SessionIdleHours { get; init; }
}

public static class UpdateSecurityPolicyHandler
{
    public static async Task<(CommandOutcome, StreamFacts<SecurityPolicy>, PeopleRecords)> Handle(UpdateSecurityPolicy c, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var organizationId = PeopleStore.SecurityPolicyIdOf(session.TenantId);
        var current = await PeopleStore.PolicyInForce(session, ct);
        var (outcome, facts) = await StreamDecisions.Decide<SecurityPolicy>(session, organizationId, _ =>
            PeopleDecisions.ChangeSecurityPolicy(current, organizationId, c.RequireSecondFactor, c.LockoutAttempts, c.LockoutMinutes, c.SessionIdleHours, c.By, clock.GetUtcNow()), ct);
        return (outcome, facts, outcome.IsAccepted && facts.Changed
            ? new PeopleRecords { Logged = [SecurityEvent.Of(SecurityEventKind.SecurityPolicyChanged, clock.GetUtcNow(), c.ClientAddress, by: c.By)] }
            : PeopleRecords.None);
    }
}

public sealed class UpdateSecurityPolicyInput : InputObjectGraphType<UpdateSecurityPolicy>
{
    public UpdateSecurityPolicyInput()
    {
        Description = "Fields left out keep their value.";
        Field<BooleanGraphType>("requireSecondFactor");
        Field<IntGraphType>("lockoutAttempts").Description("1 to 100 (default 5).");
        Field<IntGraphType>("lockoutMinutes").Description("1 to 1440 (default 15).");
        Field<IntGraphType>("sessionIdleHours").Description("1 to 168 (default 12).");
    }
}

public sealed class UpdateSecurityPolicyMutation : IMutationField
{
    public static void AddTo(ObjectGraphType mutation) =>
        mutation.Field<NonNullGraphType<SecurityPolicyGraphType>>(UpdateSecurityPolicy.OperationName)
            .Description("Changes how the organization guards sign-in; fields left out keep their value.")
            .Argument<NonNullGraphType<UpdateSecurityPolicyInput>>("input")
            .ResolveAsync(async c =>
            {
                await c.Send(PeopleChanges.Stamped(c, c.GetArgument<UpdateSecurityPolicy>("input")!));
                await using var session = c.QuerySession();
                return await PeopleStore.PolicyInForce(session, c.CancellationToken);
            });
}
