using Surge.SampleApi.Hosting;
using Surge.SampleApi.Stores;

namespace Surge.SampleApi.Endpoints;

internal static class StatsEndpoints
{
    public static void MapStatsEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", () => TypedResults.Text("ok"));

        app.MapGet("/stats", (RequestStats stats, IDataStore store, WebSocketStats webSockets) => TypedResults.Json(
                new StatsView(stats.Total, stats.ByRoute(), StoreKindNames.ToName(store.Kind), webSockets.View()),
                SampleApiJsonContext.Instance.StatsView))
            .WithMetadata(ExcludedFromStats.Instance);

        app.MapPost("/stats/reset", (RequestStats stats, CapacityLimiter capacity, WebSocketStats webSockets) =>
            {
                stats.Reset();
                webSockets.Reset();
                capacity.Reset();
                return TypedResults.NoContent();
            })
            .WithMetadata(ExcludedFromStats.Instance);
    }
}
