namespace Surge.Json;

internal enum JsonPathOutcome
{
    /// <summary>The path leads to a value (which may be JSON null).</summary>
    Found,

    /// <summary>The body is JSON but has nothing at the path.</summary>
    Missing,

    /// <summary>The body is not (complete, valid) JSON, so the path cannot be looked at.</summary>
    NotJson,
}
