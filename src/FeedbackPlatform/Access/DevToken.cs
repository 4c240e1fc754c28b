using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace FeedbackPlatform.Access;

/// <summary>
/// `dev-token --role director --org demo --site &lt;id&gt; [--site ...] [--therapist &lt;id&gt;] [--sub name] [--scope free-text] [--hours 8]`:
/// prints a token signed with the configured Auth__SigningKey, for local use.
/// </summary>
public static class DevToken
{
    public static int Run(string[] args, IConfiguration configuration)
    {
        var auth = Hosting.PlatformSettings.AuthFrom(configuration);
        if (!auth.HasUsableKey)
        {
            Console.Error.WriteLine($"dev-token: set Auth__SigningKey (at least {AuthSettings.MinimumKeyBytes} bytes) to the key the platform uses.");
            return 2;
        }
        var claims = new Dictionary<string, object>();
        var sites = new List<string>();
        var hours = 8.0;
        for (var i = 1; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--role" when value is not null: claims[ClaimNames.Role] = value.ToLowerInvariant(); i++; break;
                case "--org" when value is not null: claims[ClaimNames.Organization] = value; i++; break;
                case "--site" when value is not null: sites.Add(value); i++; break;
                case "--therapist" when value is not null: claims[ClaimNames.Therapist] = value; i++; break;
                case "--sub" when value is not null: claims[ClaimNames.Subject] = value; i++; break;
                case "--scope" when value is not null: claims[ClaimNames.Scope] = value; i++; break;
                case "--hours" when double.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out var h) && h > 0: hours = h; i++; break;
                default:
                    Console.Error.WriteLine($"dev-token: unknown or incomplete option {args[i]}");
                    return 2;
            }
        }
        claims.TryAdd(ClaimNames.Subject, $"dev-{claims.GetValueOrDefault(ClaimNames.Role) ?? "user"}");
        if (sites.Count > 0)
            claims[ClaimNames.Site] = sites.ToArray();
        Console.WriteLine(Issue(auth, claims, TimeSpan.FromHours(hours), out var problem) ?? throw new InvalidOperationException(problem));
        return 0;
    }

    /// <summary>Signs a token for the given claims; null (with the reason) when they would not be accepted.</summary>
    public static string? Issue(AuthSettings auth, IDictionary<string, object> claims, TimeSpan lifetime, out string? problem)
    {
        var identity = new ClaimsIdentity(claims.SelectMany(c => c.Value is string[] many
            ? many.Select(v => new Claim(c.Key, v))
            : [new Claim(c.Key, c.Value.ToString()!)]));
        if (Callers.Read(new ClaimsPrincipal(identity), out problem) is null)
            return null;
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = auth.Issuer,
            Audience = auth.Audience,
            Claims = claims,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + lifetime,
            SigningCredentials = new SigningCredentials(auth.Key(), SecurityAlgorithms.HmacSha256),
        });
    }
}
