using Surge.SampleApi.Domain;
using Surge.SampleApi.Hosting;
using Surge.SampleApi.Stores;

namespace Surge.SampleApi.Endpoints;

internal static class StatsEndpoints
{
    public static void MapStatsEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", () => TypedResults.Text("ok"));

        app.MapGet("/stats", (RequestStats stats, IDataStore store, WebSocketStats webSockets, GrpcStats grpc, DomainStats domain) => TypedResults.Json(
                new StatsView(stats.Total, stats.ByRoute(), StoreKindNames.ToName(store.Kind), webSockets.View(), grpc.Snapshot(), domain.View()),
                SampleApiJsonContext.Instance.StatsView))
            .WithMetadata(ExcludedFromStats.Instance);

        app.MapPost("/stats/reset", (RequestStats stats, CapacityLimiter capacity, WebSocketStats webSockets, GrpcStats grpc, DomainStats domain) =>
            {
                stats.Reset();
                webSockets.Reset();
                capacity.Reset();
                grpc.Reset();
                domain.Reset();
                return TypedResults.NoContent();
            })
            .WithMetadata(ExcludedFromStats.Instance);
    }
}
