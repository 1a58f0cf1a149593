using Surge.SampleApi.Hosting;
using static System.FormattableString;

namespace Surge.SampleApi.Endpoints;

/// <summary>
/// GET /capacity: an endpoint whose capacity is known in advance (concurrency / service time, 200/s by default), as
/// the target of a breakpoint search. GET /capacity/stats says what the server measured, and is not counted itself.
/// </summary>
internal static class CapacityEndpoints
{
    public static void MapCapacityEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/capacity", ServeAsync);
        app.MapGet("/capacity/stats", (CapacityLimiter limiter) => TypedResults.Json(limiter.Snapshot(), SampleApiJsonContext.Instance.CapacityStats))
            .WithMetadata(ExcludedFromStats.Instance);
    }

    private static async Task<IResult> ServeAsync(CapacityLimiter limiter)
    {
        if (await limiter.TryServeAsync())
        {
            return TypedResults.Text("ok\n");
        }

        var options = limiter.Options;
        return Api.Error(StatusCodes.Status503ServiceUnavailable,
            Invariant($"over capacity: {options.Concurrency} requests in service and {options.Queue} waiting"));
    }
}
