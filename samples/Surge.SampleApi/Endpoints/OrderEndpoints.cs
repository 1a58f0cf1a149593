using Surge.SampleApi.Stores;

namespace Surge.SampleApi.Endpoints;

internal static class OrderEndpoints
{
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
        var input = await Api.ReadBodyAsync(request, SampleApiJsonContext.Instance.OrderLineInput, cancellationToken);
        if (!Api.TryReadOrderLine(input, out var itemId, out var quantity, out var invalid))
        {
            return invalid;
        }

        var order = await store.AddOrderAsync(itemId, quantity, cancellationToken);
        return TypedResults.Json(order, SampleApiJsonContext.Instance.Order, statusCode: StatusCodes.Status201Created);
    }
}
