using FeedbackPlatform.GraphQL;

namespace FeedbackPlatform.Dashboards;

/// <summary>A page of episodes, as the contract's cursor connection names it.</summary>
public sealed class EpisodeEdgeGraphType() : EdgeGraphType<EpisodeGraphType, EpisodeAllianceHealth>("EpisodeEdge");

public sealed class EpisodeConnectionGraphType() : ConnectionGraphType<EpisodeGraphType, EpisodeEdgeGraphType, EpisodeAllianceHealth>("EpisodeConnection");
