using FeedbackPlatform.Demo;
using FeedbackPlatform.Hosting;
using JasperFx;

if (args is ["healthcheck", ..])
    return await HealthProbe.Run();

var builder = WebApplication.CreateBuilder(args);

// `dev-token --role director --org demo --site <id>`: a token signed with Auth__SigningKey, for local use.
if (args is ["dev-token", ..])
    return FeedbackPlatform.Access.DevToken.Run(args, builder.Configuration);

// Serving (no command, `run`, or only options) needs a token key in Production; the other commands do not.
builder.AddFeedbackPlatform(serving: args is [] or ["run", ..] || args[0].StartsWith('-'));

if (args is ["seed-demo", ..])
    return await DemoSeeding.Run(builder);

// `create-admin --org <org> --email <e-mail>`: a new organization's first admin; prints their invitation link.
if (args is ["create-admin", ..])
    return await FeedbackPlatform.People.CreateAdmin.Run(builder, args);

var app = builder.Build();
app.MapFeedbackPlatform();

// JasperFx's command line: `run` (the default), `codegen write`, `resources setup`, `describe`, ...
return await app.RunJasperFxCommands(args);

/// <summary>Entry point, visible to Alba integration tests.</summary>
public partial class Program;
