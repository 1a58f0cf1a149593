using System.CommandLine;
using System.Reflection;
using System.Runtime.InteropServices;

namespace Surge.Cli.Commands;

/// <summary>`surge version`, as `k6 version`: the tool's version, the runtime and the platform.</summary>
public static class VersionCommand
{
    public static Command Create()
    {
        var command = new Command("version", "Print Surge's version, the .NET runtime and the platform");
        command.SetAction(_ =>
        {
            Console.Out.WriteLine(Text());
            return ExitCodes.Success;
        });
        return command;
    }

    public static string Text()
    {
        var assembly = typeof(VersionCommand).Assembly;
        var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly.GetName().Version?.ToString() ?? "unknown";
        return $"surge v{version} ({RuntimeInformation.FrameworkDescription}, {RuntimeInformation.RuntimeIdentifier})";
    }
}
