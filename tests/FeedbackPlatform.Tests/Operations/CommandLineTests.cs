using System.Diagnostics;
using FeedbackPlatform.Tests.Support;

namespace FeedbackPlatform.Tests.Operations;

/// <summary>The host's command line, as operators use it (the built application, a real database).</summary>
public sealed class CommandLineTests
{
    private static async Task<(int Exit, string Output)> Run(string schema, params string[] args)
    {
        using var process = Process.Start(PlatformProcess.Command(schema, args))!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, await output + await error);
    }

    [Fact]
    public async Task Db_patch_writes_the_whole_migration_for_a_new_database_and_resources_setup_applies_it()
    {
        var schema = "t_cli_" + Guid.NewGuid().ToString("N")[..6];
        var patch = Path.Combine(Path.GetTempPath(), schema + ".sql");
        // The event store's database (Wolverine's message storage is listed as a second one).
        var connection = new Npgsql.NpgsqlConnectionStringBuilder(PlatformFixture.ConnectionString);
        var database = $"postgresql://{connection.Host}/{connection.Database}/{schema}";
        try
        {
            var (exit, output) = await Run(schema, "db-patch", patch, "-d", database);
            Assert.True(exit == 0, output);
            var sql = await File.ReadAllTextAsync(patch, TestContext.Current.CancellationToken);
            // The event store, the read models, the access log with its append-only triggers.
            Assert.Contains($"{schema}.mt_events", sql);
            Assert.Contains($"{schema}.mt_doc_episodealliancehealth", sql);
            Assert.Contains("feedback_access_log", sql);
            Assert.Contains("access_log_no_change", sql);

            (exit, output) = await Run(schema, "resources", "setup");
            Assert.True(exit == 0, output);
            File.Delete(patch);
            (exit, output) = await Run(schema, "db-patch", patch, "-d", database);
            Assert.True(exit == 0, output);
            // Once migrated there is nothing left to patch.
            Assert.False(File.Exists(patch) && (await File.ReadAllTextAsync(patch, TestContext.Current.CancellationToken)).Contains("CREATE TABLE", StringComparison.OrdinalIgnoreCase),
                "db-patch still finds differences after resources setup");
        }
        finally
        {
            File.Delete(patch);
            File.Delete(Path.ChangeExtension(patch, ".drop.sql"));
            await using var cleanup = new Npgsql.NpgsqlConnection(PlatformFixture.ConnectionString);
            await cleanup.OpenAsync(CancellationToken.None);
            await new Npgsql.NpgsqlCommand($"drop schema if exists \"{schema}\" cascade", cleanup).ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task Create_admin_prints_an_invitation_link_for_a_new_organizations_first_admin()
    {
        var schema = "t_cli_" + Guid.NewGuid().ToString("N")[..6];
        try
        {
            var (exit, output) = await Run(schema, "create-admin", "--org", "new-clinic", "--email", "First.Admin@clinic.example");
            Assert.True(exit == 0, output);
            var link = output.Split('\n').Select(l => l.Trim()).Single(l => l.Contains("/invitation#"));
            Assert.Matches("^https?://[^#]+/invitation#new-clinic\\.[A-Za-z0-9_-]{43}$", link);
            await using var connection = new Npgsql.NpgsqlConnection(PlatformFixture.ConnectionString);
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            var stored = (long)(await new Npgsql.NpgsqlCommand($"select count(*) from \"{schema}\".mt_doc_person where tenant_id = 'new-clinic' and data->>'role' = 'Admin' and data->>'status' = 'Invited'", connection)
                .ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
            Assert.Equal(1, stored);
            // The token itself is stored nowhere: only its hash.
            var token = link[(link.IndexOf('#') + 1)..];
            var leaked = (long)(await new Npgsql.NpgsqlCommand($"select count(*) from \"{schema}\".mt_doc_invitation where data::text like '%{token[^20..]}%'", connection)
                .ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
            Assert.Equal(0, leaked);
            (exit, output) = await Run(schema, "create-admin", "--org", "new-clinic", "--email", "first.admin@CLINIC.example");
            Assert.Equal(1, exit);
            Assert.Contains("CONFLICT", output);
        }
        finally
        {
            await using var cleanup = new Npgsql.NpgsqlConnection(PlatformFixture.ConnectionString);
            await cleanup.OpenAsync(CancellationToken.None);
            await new Npgsql.NpgsqlCommand($"drop schema if exists \"{schema}\" cascade", cleanup).ExecuteNonQueryAsync(CancellationToken.None);
        }
    }
}
