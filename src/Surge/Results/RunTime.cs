using System.Globalization;

namespace Surge.Results;

/// <summary>A moment of the run as warnings and findings write it: m:ss, or h:mm:ss past an hour.</summary>
internal static class RunTime
{
    public static string Format(TimeSpan at) =>
        at.TotalHours >= 1
            ? at.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture)
            : at.ToString(@"m\:ss", CultureInfo.InvariantCulture);
}
