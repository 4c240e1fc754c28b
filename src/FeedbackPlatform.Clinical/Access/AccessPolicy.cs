namespace FeedbackPlatform.Clinical.Access;

/// <summary>The four kinds of people and systems the platform answers.</summary>
public enum Role
{
    Clinician,
    Director,
    Integrator,
    Admin,
}

/// <summary>
/// Who is asking, as their token says: the organization (the tenant), their role, the sites they work at and,
/// for a clinician, their own therapist id. MayReadFreeText is an integrator's explicit scope.
/// </summary>
public sealed record Caller(string Subject, Role Role, string Organization, IReadOnlySet<Guid> Sites, Guid? TherapistId, bool FreeTextScope = false);

/// <summary>What the policy needs to know about an episode (or anything of one, such as its alerts).</summary>
public readonly record struct EpisodeScope(Guid SiteId, Guid TherapistId);

/// <summary>The slice of episodes (and alerts) a caller may list; null sets mean "the whole organization".</summary>
public sealed record ListScope(IReadOnlySet<Guid>? Sites, Guid? TherapistId)
{
    public static readonly ListScope Everything = new(null, null);
    public static readonly ListScope Nothing = new(new HashSet<Guid>(), Guid.Empty);
}

/// <summary>
/// Who may do and see what, in one place. Every GraphQL field, mutation, subscription and REST endpoint asks
/// these functions; nothing else decides. Tenancy (the organization) is enforced underneath by the store.
/// A caller who may not see an object is answered as if it did not exist.
/// </summary>
public static class AccessPolicy
{
    private static readonly Role[] Everyone = [Role.Admin, Role.Director, Role.Clinician, Role.Integrator];
    private static readonly Role[] Readers = [Role.Admin, Role.Director, Role.Integrator];
    private static readonly Role[] Treating = [Role.Admin, Role.Clinician];
    private static readonly Role[] AlertWorkers = [Role.Admin, Role.Director];
    private static readonly Role[] AdminOnly = [Role.Admin];

    /// <summary>
    /// Every operation of the API (GraphQL root fields; REST endpoints and Wolverine commands map onto them) and
    /// the roles that may call it at all. An operation missing here is refused to everyone.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, Role[]> Operations = new Dictionary<string, Role[]>
    {
        // Reads. What each object shows is then narrowed by the object rules below.
        ["episode"] = Everyone,
        ["site"] = Everyone,
        ["therapist"] = Everyone,
        ["organization"] = Everyone,
        ["alertRules"] = Everyone,
        ["alerts"] = Readers,
        ["alert"] = Readers,
        ["alertRaised"] = Readers,
        ["simulateAlertRules"] = AdminOnly,
        ["notificationSubscriptions"] = AdminOnly,
        ["notificationDeliveries"] = AdminOnly,
        ["accessLog"] = AdminOnly,
        ["securityLog"] = AdminOnly,
        ["people"] = AdminOnly,
        ["person"] = AdminOnly,
        ["apiKeys"] = AdminOnly,
        ["securityPolicy"] = AdminOnly,
        ["clientFeedbackSettings"] = AdminOnly,
        // CSV exports (GET /exports/...): outcome figures by the summaries' rules; de-identified episode rows for the organization's readers of everything.
        ["exportOutcomes"] = Everyone,
        ["exportEpisodes"] = [Role.Admin, Role.Integrator],
        // The directory and the rules.
        ["registerSite"] = AdminOnly,
        ["renameSite"] = AdminOnly,
        ["deactivateSite"] = AdminOnly,
        ["assignClinicalDirector"] = AdminOnly,
        ["unassignClinicalDirector"] = AdminOnly,
        ["registerTherapist"] = AdminOnly,
        ["renameTherapist"] = AdminOnly,
        ["deactivateTherapist"] = AdminOnly,
        ["updateAlertRules"] = AdminOnly,
        ["createNotificationSubscription"] = AdminOnly,
        ["removeNotificationSubscription"] = AdminOnly,
        ["retryNotification"] = AdminOnly,
        ["eraseClientData"] = AdminOnly,
        // People and how they sign in.
        ["invitePerson"] = AdminOnly,
        ["changePersonAccess"] = AdminOnly,
        ["disablePerson"] = AdminOnly,
        ["enablePerson"] = AdminOnly,
        ["resetPersonSignIn"] = AdminOnly,
        ["updateSecurityPolicy"] = AdminOnly,
        ["createApiKey"] = AdminOnly,
        ["revokeApiKey"] = AdminOnly,
        // How clients are asked for feedback: the wording they read, an SRS request per session recorded.
        ["updateClientFeedbackSettings"] = AdminOnly,
        // Treatment: the clinician of the episode.
        ["openEpisode"] = Treating,
        ["importEpisodeHistory"] = Treating,
        ["reassignTherapist"] = Treating,
        ["recordSession"] = Treating,
        ["cancelSession"] = Treating,
        ["submitSessionRating"] = Treating,
        ["submitOutcomeRating"] = Treating,
        ["submitAllianceInventory"] = Treating,
        ["recordGoalAgreement"] = Treating,
        ["reviseGoal"] = Treating,
        ["markGoalAchieved"] = Treating,
        ["noteRupture"] = Treating,
        ["closeEpisode"] = Treating,
        // The client's own link to an instrument of one session (the link itself is the client's only capability).
        ["requestFeedback"] = Treating,
        ["revokeFeedbackRequest"] = Treating,
        // Working alerts: the directors of the alert's site.
        ["acknowledgeAlert"] = AlertWorkers,
        ["acknowledgeAlerts"] = AlertWorkers,
        ["resolveAlert"] = AlertWorkers,
    };

    public static bool MayCall(Caller caller, string operation) =>
        Operations.TryGetValue(operation, out var roles) && roles.Contains(caller.Role);

    private static bool WorksAt(Caller caller, Guid siteId) => caller.Sites.Contains(siteId);

    private static bool IsOwn(Caller caller, EpisodeScope episode) =>
        WorksAt(caller, episode.SiteId) && caller.TherapistId is { } own && own == episode.TherapistId;

    /// <summary>Reading an episode, its sessions, ratings, goals and alerts.</summary>
    public static bool MaySeeEpisode(Caller caller, EpisodeScope episode) => caller.Role switch
    {
        Role.Admin or Role.Integrator => true,
        Role.Director => WorksAt(caller, episode.SiteId),
        Role.Clinician => IsOwn(caller, episode),
        _ => false,
    };

    /// <summary>Recording anything on an episode: its own clinician (at one of their sites) or an admin.</summary>
    public static bool MayTreat(Caller caller, EpisodeScope episode) => caller.Role switch
    {
        Role.Admin => true,
        Role.Clinician => IsOwn(caller, episode),
        _ => false,
    };

    /// <summary>An alert read on its own (the inbox); alerts reached through a visible episode are that episode's.</summary>
    public static bool MaySeeAlert(Caller caller, Guid siteId) => caller.Role switch
    {
        Role.Admin or Role.Integrator => true,
        Role.Director => WorksAt(caller, siteId),
        _ => false,
    };

    public static bool MayWorkAlert(Caller caller, Guid siteId) => caller.Role switch
    {
        Role.Admin => true,
        Role.Director => WorksAt(caller, siteId),
        _ => false,
    };

    /// <summary>A site's directory entry (name, time zone); people see the sites they work at.</summary>
    public static bool MaySeeSite(Caller caller, Guid siteId) => caller.Role switch
    {
        Role.Admin or Role.Integrator => true,
        _ => WorksAt(caller, siteId),
    };

    /// <summary>A therapist's directory entry: directors see their sites' therapists, a clinician sees themself.</summary>
    public static bool MaySeeTherapist(Caller caller, Guid siteId, Guid therapistId) => caller.Role switch
    {
        Role.Admin or Role.Integrator => true,
        Role.Director => WorksAt(caller, siteId),
        Role.Clinician => caller.TherapistId == therapistId,
        _ => false,
    };

    /// <summary>Summaries, weekly series and outcome figures: the organization's to admins and integrators, a site's also
    /// to its directors, a therapist's also to their site's directors and to the therapist.</summary>
    public static bool MaySeeOrganizationSummary(Caller caller) => caller.Role is Role.Admin or Role.Integrator;

    public static bool MaySeeSiteSummary(Caller caller, Guid siteId) =>
        MaySeeOrganizationSummary(caller) || (caller.Role == Role.Director && WorksAt(caller, siteId));

    public static bool MaySeeTherapistSummary(Caller caller, Guid siteId, Guid therapistId) =>
        MaySeeSiteSummary(caller, siteId) || (caller.Role == Role.Clinician && caller.TherapistId == therapistId);

    /// <summary>Free text people wrote (goal descriptions, notes): integrators only with the explicit scope.</summary>
    public static bool MayReadFreeText(Caller caller) => caller.Role != Role.Integrator || caller.FreeTextScope;

    /// <summary>The episodes a caller may list, as a filter the query applies (so pages stay full).</summary>
    public static ListScope EpisodeList(Caller caller) => caller.Role switch
    {
        Role.Admin or Role.Integrator => ListScope.Everything,
        Role.Director => new ListScope(caller.Sites, null),
        Role.Clinician when caller.TherapistId is { } own => new ListScope(caller.Sites, own),
        _ => ListScope.Nothing,
    };

    /// <summary>The alerts a caller may list in the inbox.</summary>
    public static ListScope AlertList(Caller caller) => caller.Role switch
    {
        Role.Admin or Role.Integrator => ListScope.Everything,
        Role.Director => new ListScope(caller.Sites, null),
        _ => ListScope.Nothing,
    };
}
