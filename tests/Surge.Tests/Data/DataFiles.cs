namespace Surge.Tests.Data;

/// <summary>A temporary folder of data files written by a test, removed afterwards.</summary>
public sealed class DataFiles : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("surge-data-").FullName;

    /// <summary>Writes the text exactly as given (no BOM, line endings untouched) and returns the file's path.</summary>
    public string Write(string name, string text)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    public string PathOf(string name) => Path.Combine(_folder, name);

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
