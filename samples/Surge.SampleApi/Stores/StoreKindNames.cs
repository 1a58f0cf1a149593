using System.Diagnostics.CodeAnalysis;

namespace Surge.SampleApi.Stores;

/// <summary>The spelling of store kinds on the command line and in GET /stats.</summary>
internal static class StoreKindNames
{
    public const string JsonFile = "json-file";
    public const string Sqlite = "sqlite";

    public static string ToName(StoreKind kind) => kind switch
    {
        StoreKind.JsonFile => JsonFile,
        StoreKind.Sqlite => Sqlite,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static bool TryParse(string? name, [NotNullWhen(true)] out StoreKind? kind)
    {
        kind = name switch
        {
            JsonFile => StoreKind.JsonFile,
            Sqlite => StoreKind.Sqlite,
            _ => null,
        };
        return kind is not null;
    }
}
