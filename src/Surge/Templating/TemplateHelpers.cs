namespace Surge.Templating;

/// <summary>The helper names a template knows, and the nearest one to a misspelling.</summary>
internal static class TemplateHelpers
{
    public const string Usage =
        "uuid, randomInt(min, max), randomString(length), timestamp, timestamp(\"iso\"), env(\"NAME\")";

    private static readonly string[] Names = ["uuid", "randomInt", "randomString", "timestamp", "env"];

    /// <summary>The helper nearest to a misspelled <paramref name="name"/>, or null when none is near.</summary>
    public static string? Suggest(string name) => Plans.Suggest.Closest(name, Names);
}
