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

    private const int DefaultLimit = 100;

    /// <summary>
    /// Every order, so an integrity check can compare server state with what its clients were told; with page or
    /// limit, one page of them (100 by default) and a Link header to the next, as a large store would serve them.
    /// </summary>
    private static async Task<IResult> ListAsync(int? page, int? limit, HttpContext context, IDataStore store, CancellationToken cancellationToken)
    {
        if (page is null && limit is null)
        {
            return TypedResults.Json(await store.ListOrdersAsync(0, int.MaxValue, cancellationToken), SampleApiJsonContext.Instance.IReadOnlyListOrder);
        }

        if (!Paging.TryRead(page, limit, DefaultLimit, out var paging, out var invalid))
        {
            return invalid;
        }

        var orders = await store.ListOrdersAsync(paging.Offset, paging.LimitPlusOne, cancellationToken);
        return TypedResults.Json(paging.Respond(context, orders), SampleApiJsonContext.Instance.IReadOnlyListOrder);
    }

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
