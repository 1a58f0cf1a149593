using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Surge.SampleApi.Endpoints;

/// <summary>Shared pieces of the endpoint handlers: lenient body parsing and JSON error responses.</summary>
internal static class Api
{
    public static IResult Error(int statusCode, string message) =>
        TypedResults.Json(new ApiError(message), SampleApiJsonContext.Instance.ApiError, statusCode: statusCode);

    public static IResult BadRequest(string message) => Error(StatusCodes.Status400BadRequest, message);

    private const int MaxQuantity = 1000;

    /// <summary>The one rule for order and cart lines: a JSON object with a positive itemId and a quantity of 1..1000.</summary>
    public static bool TryReadOrderLine(OrderLineInput? input, out int itemId, out int quantity, [NotNullWhen(false)] out IResult? error)
    {
        (itemId, quantity) = (input?.ItemId ?? 0, input?.Quantity ?? 0);
        error = input is null ? BadRequest("body must be a JSON object like {\"itemId\": 1, \"quantity\": 2}")
            : itemId <= 0 ? BadRequest("itemId must be a positive integer")
            : quantity is not (> 0 and <= MaxQuantity) ? BadRequest(FormattableString.Invariant($"quantity must be between 1 and {MaxQuantity}"))
            : null;
        return error is null;
    }

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
