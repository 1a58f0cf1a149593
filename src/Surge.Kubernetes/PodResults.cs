using System.IO.Compression;
using Surge.Reporting;
using Surge.Results;

namespace Surge.Kubernetes;

/// <summary>
/// The result an instance pod printed to its log: its `--result` file, gzipped and base64-encoded between
/// <see cref="KubernetesRun.BeginMarker"/> and <see cref="KubernetesRun.EndMarker"/>, after whatever else it wrote.
/// </summary>
internal static class PodResults
{
    /// <summary>The result in a pod's log; a FormatException says what is missing or broken.</summary>
    public static RunSummary Read(string log, string index)
    {
        ArgumentNullException.ThrowIfNull(log);
        var lines = log.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var begin = lines.LastIndexOf(KubernetesRun.BeginMarker(index));
        if (begin < 0)
        {
            throw new FormatException("its log holds no result (the instance ended before writing one; its log says why)");
        }
        var end = lines.IndexOf(KubernetesRun.EndMarker(index), begin);
        if (end < 0)
        {
            throw new FormatException("its result in the log is cut off (the pod was stopped while printing it)");
        }
        byte[] compressed;
        try
        {
            compressed = Convert.FromBase64String(string.Concat(lines.Skip(begin + 1).Take(end - begin - 1)));
        }
        catch (FormatException exception)
        {
            throw new FormatException($"its result in the log is not base64: {exception.Message}", exception);
        }
        using var json = new MemoryStream();
        try
        {
            using var gzip = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
            gzip.CopyTo(json);
        }
        catch (InvalidDataException exception)
        {
            throw new FormatException($"its result in the log is not gzip data: {exception.Message}", exception);
        }
        json.Position = 0;
        return ResultFile.Read(json);
    }
}
