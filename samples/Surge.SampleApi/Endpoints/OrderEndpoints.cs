using Surge.SampleApi.Stores;
using static System.FormattableString;

namespace Surge.SampleApi.Endpoints;

internal static class OrderEndpoints
{
    private const int MaxQuantity = 1000;

    public static void MapOrderEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/orders", ListAsync);
        app.MapGet("/orders/{id}", FindAsync);
        app.MapPost("/orders", CreateAsync);
    }

    /// <summary>Every order, so an integrity check can compare server state with what its clients were told.</summary>
    private static async Task<IResult> ListAsync(IDataStore store, CancellationToken cancellationToken) =>
        TypedResults.Json(await store.ListOrdersAsync(cancellationToken), SampleApiJsonContext.Instance.IReadOnlyListOrder);

    private static async Task<IResult> FindAsync(int id, IDataStore store, CancellationToken cancellationToken) =>
        await store.FindOrderAsync(id, cancellationToken) is { } order
            ? TypedResults.Json(order, SampleApiJsonContext.Instance.Order)
            : Api.NotFound("order", id);

    /// <remarks>
    /// The item id is checked for shape only, not against the catalogue: the order stream of a load test must not
    /// start failing because another scenario deleted an item (or because the JSON file store lost it).
    /// </remarks>
    private static async Task<IResult> CreateAsync(HttpRequest request, IDataStore store, CancellationToken cancellationToken)
    {
        var input = await Api.ReadBodyAsync(request, SampleApiJsonContext.Instance.OrderInput, cancellationToken);
        if (input is null)
        {
            return Api.BadRequest("body must be a JSON object like {\"itemId\": 1, \"quantity\": 2}");
        }

        if (input.ItemId is not > 0)
        {
            return Api.BadRequest("itemId must be a positive integer");
        }

        if (input.Quantity is not (> 0 and <= MaxQuantity))
        {
            return Api.BadRequest(Invariant($"quantity must be between 1 and {MaxQuantity}"));
        }

        var order = await store.AddOrderAsync(input.ItemId.Value, input.Quantity.Value, cancellationToken);
        return TypedResults.Json(order, SampleApiJsonContext.Instance.Order, statusCode: StatusCodes.Status201Created);
    }
}
