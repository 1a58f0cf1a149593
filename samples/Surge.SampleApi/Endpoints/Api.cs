using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Surge.SampleApi.Endpoints;

/// <summary>Shared pieces of the endpoint handlers: lenient body parsing and JSON error responses.</summary>
internal static class Api
{
    public static IResult Error(int statusCode, string message) =>
        TypedResults.Json(new ApiError(message), SampleApiJsonContext.Instance.ApiError, statusCode: statusCode);

    public static IResult BadRequest(string message) => Error(StatusCodes.Status400BadRequest, message);

    public static IResult NotFound(string what, int id) => Error(StatusCodes.Status404NotFound, FormattableString.Invariant($"{what} {id} not found"));

    /// <summary>
    /// Reads the body as JSON whatever its Content-Type says (load generators are not always careful), and returns
    /// null for an empty or malformed body so the handler can answer 400 with a JSON error instead of an empty one.
    /// </summary>
    public static async ValueTask<T?> ReadBodyAsync<T>(HttpRequest request, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            return await JsonSerializer.DeserializeAsync(request.Body, typeInfo, cancellationToken);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
