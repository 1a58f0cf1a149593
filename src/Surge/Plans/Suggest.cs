namespace Surge.Plans;

/// <summary>"Did you mean" for misspelled names: the closest candidate by edit distance, ignoring case.</summary>
internal static class Suggest
{
    public static string? Closest(string input, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        var upperInput = input.ToUpperInvariant();
        foreach (var candidate in candidates)
        {
            var distance = Distance(upperInput, candidate.ToUpperInvariant());
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }
        // Up to a third of the name may be wrong; beyond that a suggestion is more confusing than helpful.
        return best is not null && bestDistance <= Math.Max(1, best.Length / 3) ? best : null;
    }

    /// <summary>"unknown executor 'x'; did you mean 'y'? Allowed: a, b, c".</summary>
    public static string Unknown(string thing, string input, IReadOnlyCollection<string> allowed, string context = "")
    {
        var allowedText = string.Join(", ", allowed);
        return Closest(input, allowed) is { } closest
            ? $"unknown {thing} '{input}'{context}; did you mean '{closest}'? Allowed: {allowedText}"
            : $"unknown {thing} '{input}'{context}. Allowed: {allowedText}";
    }

    /// <summary>Edits needed to turn one name into the other; swapping two neighbours counts as one ("GTE" → "GET").</summary>
    private static int Distance(string a, string b)
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
