using System.Diagnostics.CodeAnalysis;

namespace Surge.SampleApi.Stores;

/// <summary>The spelling of store kinds on the command line and in GET /stats.</summary>
internal static class StoreKindNames
{
    public const string JsonFile = "json-file";
    public const string Safe = "safe";

    public static string ToName(StoreKind kind) => kind switch
    {
        StoreKind.JsonFile => JsonFile,
        StoreKind.Safe => Safe,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static bool TryParse(string? name, [NotNullWhen(true)] out StoreKind? kind)
    {
        kind = name switch
        {
            JsonFile => StoreKind.JsonFile,
            Safe => StoreKind.Safe,
            _ => null,
        };
        return kind is not null;
    }
}
