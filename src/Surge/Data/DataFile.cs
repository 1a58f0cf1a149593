using System.Text;
using Surge.Plans;

namespace Surge.Data;

/// <summary>Reads a data file whole, turning what the user can get wrong (a wrong path, no access) into plan errors.</summary>
internal static class DataFile
{
    public static string ReadText(string path, SourceLocation? declaredAt) =>
        Read(path, declaredAt, p => File.ReadAllText(p, Encoding.UTF8));

    public static byte[] ReadBytes(string path, SourceLocation? declaredAt) => Read(path, declaredAt, File.ReadAllBytes);

    /// <summary>Line and column (both from 1) of character <paramref name="index"/> in <paramref name="text"/>.</summary>
    public static SourceLocation Locate(string path, ReadOnlySpan<char> text, int index)
    {
        var before = text[..index];
        var lastBreak = before.LastIndexOfAny('\n', '\r');
        return new SourceLocation(path, 1 + CountLineBreaks(before), index - lastBreak);
    }

    /// <summary>Counts "\r\n", "\n" and a lone "\r" as one line break each, as CSV readers and editors do.</summary>
    private static int CountLineBreaks(ReadOnlySpan<char> text)
    {
        var count = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n' || (text[i] == '\r' && (i + 1 == text.Length || text[i + 1] != '\n')))
            {
                count++;
            }
        }
        return count;
    }

    private static T Read<T>(string path, SourceLocation? declaredAt, Func<string, T> read)
    {
        if (!File.Exists(path))
        {
            throw new PlanException($"data file '{path}' was not found (looked for {Path.GetFullPath(path)})", declaredAt);
        }
        try
        {
            return read(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PlanException($"data file '{path}' could not be read: {e.Message}", declaredAt);
        }
    }
}
