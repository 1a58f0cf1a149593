using System.Text;
using Surge.Plans;

namespace Surge.Cli.Commands;

/// <summary>One file a command writes: the option that asked for it, where, and what goes in.</summary>
public sealed record OutputFile(string Option, string Path, Action<Stream> Write)
{
    /// <summary>A text file written through a UTF-8 writer without a byte-order mark.</summary>
    public static OutputFile Text(string option, string path, Action<TextWriter> write) => new(option, path, stream =>
    {
        using var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        write(writer);
    });
}

/// <summary>
/// Nothing measured is lost to a file that cannot be written. Every path is checked before any load, so that a typo
/// costs seconds rather than the run (error 104 naming the path and why). At the end each file is written on its own:
/// one that fails then (a full disk) costs only itself, and is named.
/// </summary>
public static class OutputFiles
{
    /// <summary>Throws a <see cref="PlanException"/> naming every path that cannot be written, and why.</summary>
    public static void Check(IReadOnlyCollection<OutputFile> files)
    {
        var problems = new List<string>();
        // One problem per option: --csv's three files share a folder, and so their reason.
        foreach (var option in files.GroupBy(f => f.Option, StringComparer.Ordinal))
        {
            if (option.Select(f => (f.Path, Problem: Problem(f.Path))).FirstOrDefault(f => f.Problem is not null) is { Problem: { } problem } file)
            {
                problems.Add($"{option.Key} '{file.Path}': {problem}");
            }
        }
        foreach (var same in files.GroupBy(f => FullPath(f.Path), StringComparer.Ordinal).Where(g => g.Key is not null && g.Count() > 1))
        {
            problems.Add($"{string.Join(" and ", same.Select(f => f.Option))} would write the same file '{same.First().Path}'; give each its own");
        }
        if (problems.Count > 0)
        {
            throw new PlanException(string.Join(Environment.NewLine + "error: ", problems));
        }
    }

    /// <summary>Writes every file, each on its own; returns what failed, e.g. "--junit '/dev/full': No space left on device".</summary>
    public static IReadOnlyList<string> Write(IEnumerable<OutputFile> files)
    {
        var failures = new List<string>();
        foreach (var file in files)
        {
            try
            {
                if (Path.GetDirectoryName(Path.GetFullPath(file.Path)) is { } directory)
                {
                    Directory.CreateDirectory(directory);
                }
                using var stream = File.Create(file.Path);
                file.Write(stream);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                failures.Add($"{file.Option} '{file.Path}' was not written: {Reason(exception)}");
            }
        }
        return failures;
    }

    // What stops a file from being written at this path, found by doing what the final write does: create the missing
    // folders, open the file for writing (a new one is deleted again, an existing one is left as it is).
    private static string? Problem(string path)
    {
        if (path.Length == 0)
        {
            return "no file name given";
        }
        if (FullPath(path) is not { } full)
        {
            return "not a valid path";
        }
        if (Directory.Exists(full) || path.EndsWith(Path.DirectorySeparatorChar) || path.EndsWith(Path.AltDirectorySeparatorChar))
        {
            return "is a directory; give a file name";
        }
        var directory = Path.GetDirectoryName(full) ?? "/";
        try
        {
            if (File.Exists(directory))
            {
                return $"'{directory}' is a file, not a folder";
            }
            Directory.CreateDirectory(directory);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return $"its folder '{directory}' does not exist and cannot be created ({Reason(exception)})";
        }
        try
        {
            using var probe = File.Exists(full)
                ? new FileStream(full, FileMode.Open, FileAccess.Write, FileShare.ReadWrite)
                : new FileStream(full, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose);
            return null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return $"cannot write a file there ({Reason(exception)})";
        }
    }

    private static string? FullPath(string path)
    {
        try
        {
            return Path.GetFullPath(path);
        }
        catch (Exception exception) when (exception is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return null;
        }
    }

    // The operating system's reason in a few words; .NET's messages repeat the path the error already names.
    private static string Reason(Exception exception) => exception switch
    {
        UnauthorizedAccessException => "permission denied",
        FileNotFoundException or DirectoryNotFoundException => "no such file or directory",
        _ => exception.Message.Split(" : '", 2)[0].TrimEnd('.'),
    };
}
