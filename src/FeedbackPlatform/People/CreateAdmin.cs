using FeedbackPlatform.Clinical.Access;
using FeedbackPlatform.Clinical.People;
using FeedbackPlatform.Hosting;
using JasperFx.Resources;
using Marten;

namespace FeedbackPlatform.People;

/// <summary>
/// `create-admin --org &lt;org&gt; --email &lt;e-mail&gt; [--name "Display name"]`: invites a new organization's first admin
/// through the same decision as invitePerson, and prints the invitation link (valid once, for Auth__InvitationHours).
/// </summary>
public static class CreateAdmin
{
    public static async Task<int> Run(WebApplicationBuilder builder, string[] args)
    {
        string? organization = null, email = null, name = null;
        for (var i = 1; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--org" when value is not null: organization = value; i++; break;
                case "--email" when value is not null: email = value; i++; break;
                case "--name" when value is not null: name = value; i++; break;
                default:
                    Console.Error.WriteLine($"create-admin: unknown or incomplete option {args[i]}");
                    return 2;
            }
        }
        if (!Access.Callers.IsOrganizationKey(organization) || email is null)
        {
            Console.Error.WriteLine("create-admin: give --org <organization key> and --email <e-mail address>.");
            return 2;
        }

        await using var app = builder.Build();
        // Like seed-demo, it may be the first thing to touch a new database.
        await app.SetupResources(CancellationToken.None);
        var token = Secrets.Token(organization!);
        var command = new InvitePerson
        {
            PersonId = Guid.CreateVersion7(), Email = email, DisplayName = name ?? email.Split('@')[0], Role = Role.Admin,
            InvitationHash = Secrets.Hash(token), By = "create-admin", ClientAddress = "command line",
        };
        var settings = app.Services.GetRequiredService<SignInSettings>();
        await using var session = app.Services.GetRequiredService<IDocumentStore>().LightweightSession(organization!);
        // The handler outside Wolverine: what it returns is applied here, as Wolverine would.
        var (outcome, facts, records) = await InvitePersonHandler.Handle(command, session, app.Services.GetRequiredService<TimeProvider>(), settings, CancellationToken.None);
        if (!outcome.IsAccepted)
        {
            Console.Error.WriteLine($"create-admin: {outcome.Code} {outcome.Field}: {outcome.Message}");
            return 1;
        }
        facts.Execute(session);
        records.Execute(session);
        await session.SaveChangesAsync();
        Console.WriteLine(settings.InvitationLink(token, null));
        return 0;
    }
}
