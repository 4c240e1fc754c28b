namespace FeedbackPlatform.Tests.Support;

/// <summary>
/// Test classes that start several platform processes (a cluster, two deployments, an upgrade) or time how a
/// process answers (a database cut off) take turns instead of running beside each other: on a 2-core machine five
/// processes starting next to a timed outage starve it, and the test would measure the machine, not the platform.
/// They still run in parallel with every other class.
/// </summary>
[CollectionDefinition(Name)]
public sealed class PlatformProcesses
{
    public const string Name = "platform processes";
}
