using FeedbackPlatform.GraphQL;
using GraphQL.Types;

namespace FeedbackPlatform.Access;

public sealed class AccessRecordGraphType : ObjectGraphType<AccessRecord>
{
    public AccessRecordGraphType()
    {
        Name = "AccessRecord";
        Description = "One read of an episode's data.";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id);
        Field<NonNullGraphType<StringGraphType>>("subject").Description("Who read it: the token subject, `person:<id>` for a signed-in person, `api-key:<id>` for a key.").Resolve(c => c.Source.Subject);
        Field<IdGraphType>("personId").Description("The person who read it, when signed in.").Resolve(c => People.SessionAuthentication.Named(c.Source.Subject).Person);
        Field<IdGraphType>("apiKeyId").Description("The API key that read it, when one did.").Resolve(c => People.SessionAuthentication.Named(c.Source.Subject).ApiKey);
        Field<NonNullGraphType<StringGraphType>>("role").Description("The caller's role, or CLIENT for a client's feedback link.").Resolve(c => c.Source.Role.ToUpperInvariant());
        Field<NonNullGraphType<IdGraphType>>("episodeId").Resolve(c => c.Source.EpisodeId);
        Field<NonNullGraphType<StringGraphType>>("operation").Description("e.g. \"query episode\".").Resolve(c => c.Source.Operation);
        Field<NonNullGraphType<InstantGraphType>>("at").Resolve(c => c.Source.At);
    }
}
