using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Surge.Plans;

namespace Surge.Grpc;

/// <summary>
/// The protoc that Grpc.Tools ships, copied next to surge in grpc-tools/ (src/GrpcTools.props): C# stubs for
/// `surge run test.cs`, descriptor sets for YAML grpc: steps. It is the reference parser, so a .proto that loads here
/// means what it means to the server's own generated code. An error is a <see cref="PlanException"/> at protoc's
/// file:line:column.
/// </summary>
internal static partial class Protoc
{
    // protoc's error lines: "file.proto:12:5: Expected \";\"." (column optional for some errors).
    [GeneratedRegex(@"^(?<file>.+?\.proto):(?<line>\d+):(?<column>\d+): (?<message>.+)$")]
    private static partial Regex ErrorLine();

    /// <summary>How long protoc may run: a .proto that imports a pipe or a device would otherwise hold the test's load forever.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Runs protoc on <paramref name="protos"/> (full paths), each file's folder an import root beside the well-known
    /// types, with <paramref name="output"/> saying what to write.
    /// </summary>
    /// <param name="protos">The .proto files, full paths.</param>
    /// <param name="output">protoc's output options (<c>--csharp_out=...</c>, <c>--descriptor_set_out=...</c>); <c>{tools}</c> stands for Grpc.Tools' folder.</param>
    /// <param name="needs">Who needs protoc, for the message when this build of surge has none for the platform.</param>
    /// <param name="timeout">How long protoc may take (<see cref="DefaultTimeout"/> when null) before it is killed.</param>
    /// <param name="cancellationToken">Stops protoc: it is killed, and the call throws <see cref="OperationCanceledException"/>.</param>
    public static void Run(IReadOnlyList<string> protos, IEnumerable<string> output, string needs, TimeSpan? timeout = null,
        CancellationToken cancellationToken = default)
    {
        var tools = ToolsFolder(needs);
        var start = new ProcessStartInfo(Executable(tools, "protoc")) { RedirectStandardError = true, RedirectStandardOutput = true };
        // Each file's own folder is an import root, so that it and its neighbours import each other by name.
        foreach (var folder in protos.Select(p => Path.GetDirectoryName(p)!).Distinct(StringComparer.Ordinal))
        {
            start.ArgumentList.Add($"--proto_path={folder}");
        }
        start.ArgumentList.Add($"--proto_path={Path.Combine(tools, "..", "include")}");
        foreach (var argument in output)
        {
            start.ArgumentList.Add(argument.Replace("{tools}", tools, StringComparison.Ordinal));
        }
        start.ArgumentList.Add("--error_format=gcc");
        foreach (var proto in protos)
        {
            start.ArgumentList.Add(proto);
        }
        using var protoc = Process.Start(start) ?? throw new InvalidOperationException("could not start protoc");
        var errors = protoc.StandardError.ReadToEndAsync(CancellationToken.None);
        _ = protoc.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var limit = timeout ?? DefaultTimeout;
        var deadline = Stopwatch.GetTimestamp() + (long)(limit.TotalSeconds * Stopwatch.Frequency);
        while (!protoc.WaitForExit(100))
        {
            if (cancellationToken.IsCancellationRequested || Stopwatch.GetTimestamp() > deadline)
            {
                protoc.Kill(entireProcessTree: true);
                protoc.WaitForExit();
                cancellationToken.ThrowIfCancellationRequested();
                throw new PlanException(
                    $"protoc did not finish within {limit.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)}s compiling {string.Join(", ", protos)}; does an import name a pipe or a device?");
            }
        }
        var message = errors.GetAwaiter().GetResult().Trim();
        if (protoc.ExitCode != 0)
        {
            throw ToPlanException(message, protos);
        }
    }

    /// <summary>The path of one of Grpc.Tools' executables (protoc, grpc_csharp_plugin), made executable if a copy lost the bit.</summary>
    public static string Executable(string folder, string name)
    {
        var path = Path.Combine(folder, OperatingSystem.IsWindows() ? name + ".exe" : name);
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & UnixFileMode.UserExecute) == 0)
        {
            File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        }
        return path;
    }

    /// <summary>
    /// The descriptors of <paramref name="protos"/> and everything they import, compiled when the test loads.
    /// </summary>
    /// <param name="protos">The .proto files, full paths.</param>
    /// <param name="at">Where the test names the files, blamed when one is missing.</param>
    public static IReadOnlyList<FileDescriptor> Descriptors(IReadOnlyList<string> protos, SourceLocation? at)
    {
        foreach (var proto in protos)
        {
            if (!File.Exists(proto))
            {
                throw new PlanException($"proto file '{proto}' does not exist", at);
            }
        }
        var output = Path.Combine(Path.GetTempPath(), $"surge-{Guid.NewGuid():N}.protoset");
        try
        {
            Run(protos, [$"--descriptor_set_out={output}", "--include_imports"], "a grpc: step's proto:");
            var set = FileDescriptorSet.Parser.ParseFrom(File.ReadAllBytes(output));
            return FileDescriptor.BuildFromByteStrings(set.File.Select(f => f.ToByteString()));
        }
        finally
        {
            File.Delete(output);
        }
    }

    /// <summary>protoc's first error at its file:line:column (the path as the test's folder resolves it); the others listed after it.</summary>
    private static PlanException ToPlanException(string stderr, IReadOnlyList<string> protos)
    {
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        SourceLocation? first = null;
        var reasons = new List<string>();
        foreach (var line in lines)
        {
            var match = ErrorLine().Match(line);
            if (!match.Success)
            {
                reasons.Add(line);
                continue;
            }
            var location = new SourceLocation(
                FullPathOf(match.Groups["file"].Value, protos),
                int.Parse(match.Groups["line"].Value, CultureInfo.InvariantCulture),
                int.Parse(match.Groups["column"].Value, CultureInfo.InvariantCulture));
            if (first is null)
            {
                first = location;
                reasons.Insert(0, match.Groups["message"].Value);
            }
            else
            {
                reasons.Add($"{location}: {match.Groups["message"].Value}");
            }
        }
        return new PlanException(reasons.Count == 0 ? "protoc failed without a message" : string.Join('\n', reasons), first);
    }

    // protoc names a file by its path under the import root; the user knows it by where it is.
    private static string FullPathOf(string named, IReadOnlyList<string> protos) =>
        Path.IsPathRooted(named) ? named
        : protos.FirstOrDefault(p => p.EndsWith(Path.DirectorySeparatorChar + named, StringComparison.Ordinal)) ?? named;

    private static string ToolsFolder(string needs)
    {
        var platform = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 when OperatingSystem.IsLinux() => "linux_x64",
            Architecture.Arm64 when OperatingSystem.IsLinux() => "linux_arm64",
            Architecture.X64 when OperatingSystem.IsWindows() => "windows_x64",
            _ when OperatingSystem.IsMacOS() => "macosx_universal",
            _ => RuntimeInformation.RuntimeIdentifier,
        };
        var folder = Path.Combine(AppContext.BaseDirectory, "grpc-tools");
        return File.Exists(Path.Combine(folder, platform, OperatingSystem.IsWindows() ? "protoc.exe" : "protoc"))
            ? Path.Combine(folder, platform)
            : throw new PlanException($"{needs} needs protoc for {platform}, which this build of surge does not carry (it ships linux_x64 in {folder})");
    }
}
