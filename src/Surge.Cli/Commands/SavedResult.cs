using Surge.Plans;
using Surge.Reporting;
using Surge.Results;

namespace Surge.Cli.Commands;

/// <summary>Reads a result file written by `surge run --result`; anything wrong ends the command with 104, naming the file.</summary>
public static class SavedResult
{
    public static RunSummary Read(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return ResultFile.Read(stream);
        }
        catch (FormatException exception)
        {
            throw new PlanException($"{path}: {exception.Message}", exception);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new PlanException($"{path}: cannot read the result file: {exception.Message}", exception);
        }
    }
}
