// Site and Therapist graph types are the directory's; the dashboards' types (Dashboards/) still name them without
// importing Directory. These two aliases stand in for that import until Dashboards/ takes it.
global using SiteGraphType = FeedbackPlatform.Directory.SiteGraphType;
global using TherapistGraphType = FeedbackPlatform.Directory.TherapistGraphType;
