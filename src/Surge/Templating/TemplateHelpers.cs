namespace Surge.Templating;

/// <summary>The helper names a template knows, and the nearest one to a misspelling.</summary>
internal static class TemplateHelpers
{
    public const string Usage =
        "uuid, randomInt(min, max), randomString(length), timestamp, timestamp(\"iso\"), env(\"NAME\")";

    private static readonly string[] Names = ["uuid", "randomInt", "randomString", "timestamp", "env"];

    public static bool IsHelper(string name) => Array.IndexOf(Names, name) >= 0;

    /// <summary>The helper within two edits of <paramref name="name"/> (ignoring case), or null.</summary>
    public static string? Suggest(string name)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var helper in Names)
        {
            var distance = EditDistance(name.ToUpperInvariant(), helper.ToUpperInvariant());
            if (distance < bestDistance && distance <= Math.Max(1, Math.Min(2, helper.Length / 3)))
            {
                best = helper;
                bestDistance = distance;
            }
        }
        return best;
    }

    /// <summary>Edits (insert, delete, substitute, swap two neighbours) turning one name into the other.</summary>
    private static int EditDistance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }
        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(d[i - 1, j - 1] + cost, Math.Min(d[i - 1, j], d[i, j - 1]) + 1);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }
        return d[a.Length, b.Length];
    }
}
