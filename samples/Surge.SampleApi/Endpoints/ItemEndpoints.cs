using Surge.SampleApi.Stores;
using static System.FormattableString;

namespace Surge.SampleApi.Endpoints;

internal static class ItemEndpoints
{
    private const int DefaultLimit = 100;
    private const int MaxNameLength = 200;
    private const decimal MaxPrice = 1_000_000m;

    public static void MapItemEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/items", ListAsync);
        app.MapGet("/items/{id}", FindAsync);
        app.MapPost("/items", CreateAsync);
        app.MapPut("/items/{id}", UpdateAsync);
        app.MapDelete("/items/{id}", DeleteAsync);
    }

    /// <summary>Always one page: the first 100 items unless page and limit say otherwise.</summary>
    private static async Task<IResult> ListAsync(int? page, int? limit, HttpContext context, IDataStore store, CancellationToken cancellationToken)
    {
        if (!Paging.TryRead(page, limit, DefaultLimit, out var paging, out var invalid))
        {
            return invalid;
        }

        var items = await store.ListItemsAsync(paging.Offset, paging.LimitPlusOne, cancellationToken);
        return TypedResults.Json(paging.Respond(context, items), SampleApiJsonContext.Instance.IReadOnlyListItem);
    }

    private static async Task<IResult> FindAsync(int id, IDataStore store, CancellationToken cancellationToken) =>
        await store.FindItemAsync(id, cancellationToken) is { } item
            ? TypedResults.Json(item, SampleApiJsonContext.Instance.Item)
            : Api.NotFound("item", id);

    private static async Task<IResult> CreateAsync(HttpRequest request, IDataStore store, CancellationToken cancellationToken)
    {
        var input = await Api.ReadBodyAsync(request, SampleApiJsonContext.Instance.ItemInput, cancellationToken);
        if (Validate(input) is { } error)
        {
            return error;
        }

        var item = await store.AddItemAsync(input!.Name!.Trim(), input.Price!.Value, cancellationToken);
        return TypedResults.Json(item, SampleApiJsonContext.Instance.Item, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> UpdateAsync(int id, HttpRequest request, IDataStore store, CancellationToken cancellationToken)
    {
        var input = await Api.ReadBodyAsync(request, SampleApiJsonContext.Instance.ItemInput, cancellationToken);
        if (Validate(input) is { } error)
        {
            return error;
        }

        return await store.UpdateItemAsync(id, input!.Name!.Trim(), input.Price!.Value, cancellationToken) is { } item
            ? TypedResults.Json(item, SampleApiJsonContext.Instance.Item)
            : Api.NotFound("item", id);
    }

    private static async Task<IResult> DeleteAsync(int id, IDataStore store, CancellationToken cancellationToken) =>
        await store.RemoveItemAsync(id, cancellationToken) ? TypedResults.NoContent() : Api.NotFound("item", id);

    private static IResult? Validate(ItemInput? input)
    {
        if (input is null)
        {
            return Api.BadRequest("body must be a JSON object like {\"name\": \"Mug\", \"price\": 9.5}");
        }

        if (string.IsNullOrWhiteSpace(input.Name) || input.Name.Length > MaxNameLength)
        {
            return Api.BadRequest(Invariant($"name must be 1 to {MaxNameLength} characters"));
        }

        return input.Price is null or < 0 or > MaxPrice
            ? Api.BadRequest(Invariant($"price must be between 0 and {MaxPrice}"))
            : null;
    }
}
