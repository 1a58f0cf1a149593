using Surge.SampleApi.Hosting;

namespace Surge.SampleApi;

public sealed record Item(int Id, string Name, decimal Price);

public sealed record Order(int Id, int ItemId, int Quantity, DateTimeOffset CreatedAt);

/// <summary>Body of POST and PUT /items; fields are nullable so a missing one is a 400, not a silent zero.</summary>
internal sealed record ItemInput(string? Name, decimal? Price);

/// <summary>Body of POST /orders and POST /cart: one item and its quantity, validated by one rule.</summary>
internal sealed record OrderLineInput(int? ItemId, int? Quantity);

internal sealed record LoginInput(string? Username, string? Password);

internal sealed record LoginResult(string Token);

internal sealed record CartLine(int ItemId, long Quantity);

internal sealed record CartView(IReadOnlyList<CartLine> Items, long TotalQuantity);

internal sealed record StatsView(
    long Requests,
    IReadOnlyDictionary<string, long> ByRoute,
    string Store,
    WebSocketStatsView WebSockets,
    Hosting.GrpcCounts Grpc,
    Domain.DomainStatsView Domain);

internal sealed record DelayResult(int DelayedMs);

internal sealed record ApiError(string Error);

/// <summary>
/// GET /capacity/stats: the configuration, the analytic capacity (concurrency / service time) and what the server
/// measured since start or the last POST /stats/reset. servedPerSecond is served over the span from the first service
/// start to the last service end; meanLateMs is how long after its service ended a response left, on average (timer
/// and scheduling delay of a busy machine, which lengthens responses but does not lower the capacity).
/// </summary>
internal sealed record CapacityStats(
    int Concurrency,
    double ServiceTimeMs,
    int Queue,
    double CapacityPerSecond,
    long Served,
    long Rejected,
    int InService,
    int MaxInService,
    double MeanLateMs,
    double ServedPerSecond);

internal sealed record SessionView(string Username);

/// <summary>What GET/POST /echo received: the method, the body and the Cookie header.</summary>
internal sealed record EchoView(string Method, string Body, string Cookie);
