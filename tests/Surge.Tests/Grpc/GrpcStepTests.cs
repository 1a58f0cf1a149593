using System.Collections.Concurrent;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Surge.Grpc;
using Surge.Metrics;
using Surge.Plans;
using Surge.Results;
using Surge.SampleApi.Grpc.Cashiers;

namespace Surge.Tests.Grpc;

/// <summary>grpc: steps (the plans YAML makes) against an in-test cashiers service that counts what it served.</summary>
public sealed class GrpcStepTests
{
    [Fact]
    public async Task Calls_are_counted_as_the_server_counted_them_and_a_capture_feeds_the_next_call()
    {
        await using var server = await CashierServer.StartAsync(reflection: false);
        var plan = Plan(server.Address, iterations: 24,
            Step("CreateCashier", """{ "name": "cashier {{ n }}", "email": "c@example.com", "role": "CASHIER_ROLE_SUPERVISOR", "labels": { "team": "{{ n }}" } }""") with
            {
                Checks = [Status("OK"), new CheckPlan("has an id", CheckKind.JsonPath) { Subject = "$.id" }, new CheckPlan("version is 0", CheckKind.JsonPath) { Subject = "$.version", Expected = "0" }],
                Captures = [new CapturePlan("id", CaptureSource.JsonPath, "$.id")],
                Metadata = [new("x-tenant", "acme-{{ n }}")],
            },
            Step("GetCashier", """{ "id": "{{ id }}" }""") with
            {
                Checks = [Status("OK"), new CheckPlan("same name", CheckKind.JsonPath) { Subject = "$.role", Expected = "CASHIER_ROLE_SUPERVISOR" }],
            },
            // The version is stale (the server's is 0): ABORTED, as a concurrent update would get.
            Step("UpdateCashier", """{ "id": "{{ id }}", "version": "7", "name": "late" }""") with { Checks = [Status("ABORTED")] });

        var summary = await TestRun.RunAsync(plan);

        Assert.Equal(24, server.Calls["CreateCashier"]);
        Assert.Equal(24, server.Calls["GetCashier"]);
        Assert.Equal(24, server.Calls["UpdateCashier"]);
        Assert.Equal(24, server.Found); // every GetCashier asked for an id that CreateCashier had returned
        Assert.Equal(24, server.Tenants.Count(t => t.StartsWith("acme-", StringComparison.Ordinal)));
        Assert.Equal(72, Count(summary, "grpc_req_duration", TagSet.Empty));
        Assert.Equal(24, Count(summary, "grpc_req_duration", Tags(("name", "cashiers.CashierService/UpdateCashier"), ("status", "10"))));
        Assert.Equal(24, Count(summary, "grpc_req_duration", Tags(("name", "cashiers.CashierService/CreateCashier"), ("status", "0"))));
        Assert.Equal(1, Rate(summary, "checks"));
        Assert.Equal(0, summary.Find("http_reqs")?.Series.Sum(s => s.Values.Sum) ?? 0);
    }

    [Fact]
    public async Task A_status_check_fails_on_another_status_and_the_call_counts_as_failed()
    {
        await using var server = await CashierServer.StartAsync(reflection: false);
        var plan = Plan(server.Address, iterations: 6, Step("GetCashier", """{ "id": "nobody" }""") with { Checks = [Status("OK"), Status("NOT_FOUND")] });

        var summary = await TestRun.RunAsync(plan);

        Assert.Equal(6, server.Calls["GetCashier"]);
        Assert.Equal(6, Count(summary, "grpc_req_duration", Tags(("status", "5"))));
        Assert.Equal(0.5, Rate(summary, "checks"));
        Assert.Equal(1, Rate(summary, "grpc_req_failed"));
    }

    [Fact]
    public async Task Reflect_true_asks_the_server_for_the_descriptors_before_the_load()
    {
        await using var server = await CashierServer.StartAsync(reflection: true);
        var step = Step("CreateCashier", """{ "name": "reflected", "registers": ["r1", "r2"] }""") with
        {
            Descriptor = null,
            Reflect = true,
            Checks = [Status("OK"), new CheckPlan("registers", CheckKind.JsonPath) { Subject = "$.registers[1]", Expected = "r2" }],
        };

        var summary = await TestRun.RunAsync(Plan(server.Address, iterations: 6, step));

        Assert.Equal(6, server.Calls["CreateCashier"]);
        Assert.Equal(1, Rate(summary, "checks"));
    }

    [Fact]
    public async Task Reflect_true_on_a_server_without_reflection_is_a_plan_error_before_any_call()
    {
        await using var server = await CashierServer.StartAsync(reflection: false);
        var step = Step("CreateCashier", "{}") with { Descriptor = null, Reflect = true, Location = new SourceLocation("t.yaml", 4, 5) };

        var error = await Assert.ThrowsAsync<PlanException>(() => TestRun.RunAsync(Plan(server.Address, iterations: 1, step)));

        Assert.StartsWith("t.yaml:4:5: reflect: true, but ", error.Message, StringComparison.Ordinal);
        Assert.Contains("has no reflection service", error.Message, StringComparison.Ordinal);
        Assert.Empty(server.Calls);
    }

    [Fact]
    public async Task A_template_that_renders_a_value_the_field_cannot_hold_is_refused_unsent()
    {
        await using var server = await CashierServer.StartAsync(reflection: false);
        var step = Step("UpdateCashier", """{ "id": "x", "version": "{{ v }}" }""") with { Checks = [Status("OK")] };
        var plan = Plan(server.Address, iterations: 3, step);

        var summary = await TestRun.RunAsync(plan with { Scenarios = [plan.Scenarios[0] with { Steps = [new LoopStep([step]) { Over = ["seven"], Variable = "v" }] }] });

        Assert.Empty(server.Calls);
        Assert.Equal(0, Rate(summary, "checks"));
        var warnings = string.Join('\n', summary.Warnings);
        Assert.True(warnings.Contains("message field 'version' needs a whole number, got \"seven\" from {{ v }}", StringComparison.Ordinal), warnings);
    }

    private static CheckPlan Status(string name) => new($"status is {name}", CheckKind.Status) { Statuses = new StatusRanges([(GrpcStatusNames.Parse(name)!.Value, GrpcStatusNames.Parse(name)!.Value)]) };

    private static GrpcStep Step(string method, string message) => new()
    {
        Method = $"cashiers.CashierService/{method}",
        Descriptor = CashiersReflection.Descriptor.FindTypeByName<Google.Protobuf.Reflection.ServiceDescriptor>("CashierService").FindMethodByName(method),
        Message = ProtoJsonNode.Parse(message),
    };

    private static TestPlan Plan(string address, int iterations, params Step[] steps) => new()
    {
        Http = HttpOptions.Default with { BaseAddress = new Uri(address) },
        Scenarios =
        [
            new ScenarioPlan
            {
                Name = "grpc",
                Executor = new PerVuIterationsExecutor(3, iterations / 3, TimeSpan.FromMinutes(2)),
                Steps = [new LoopStep(steps) { Over = ["1"], Variable = "n" }],
            },
        ],
    };

    private static TagSet Tags(params (string Key, string Value)[] tags) => TagSet.From(tags.Select(t => new KeyValuePair<string, string>(t.Key, t.Value)));

    private static long Count(RunSummary summary, string metric, TagSet filter) =>
        summary.Find(metric)?.Series.Where(s => s.Tags.Matches(filter)).Sum(s => s.Values.Histogram!.TotalCount) ?? 0;

    private static double Rate(RunSummary summary, string metric)
    {
        var series = summary.Find(metric)!.Series;
        return (double)series.Sum(s => s.Values.Passes) / series.Sum(s => s.Values.Samples);
    }

    /// <summary>The cashiers service with versions, counting calls per method: the ground truth.</summary>
    private sealed class CashierServer : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private CashierServer(WebApplication app, State state)
        {
            _app = app;
            State = state;
        }

        private State State { get; }

        public string Address { get; private init; } = "";

        public ConcurrentDictionary<string, int> Calls => State.Calls;

        public int Found => State.Found;

        public ConcurrentQueue<string> Tenants => State.Tenants;

        public static async Task<CashierServer> StartAsync(bool reflection)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.SetMinimumLevel(LogLevel.Critical);
            builder.WebHost.UseKestrel(k => k.ConfigureEndpointDefaults(e => e.Protocols = HttpProtocols.Http2)).UseUrls("http://127.0.0.1:0");
            var state = new State();
            builder.Services.AddSingleton(state);
            builder.Services.AddGrpc();
            if (reflection)
            {
                builder.Services.AddGrpcReflection();
            }
            var app = builder.Build();
            app.MapGrpcService<Service>();
            if (reflection)
            {
                app.MapGrpcReflectionService();
            }
            await app.StartAsync();
            return new CashierServer(app, state) { Address = app.Urls.First().TrimEnd('/') };
        }

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();
    }

    private sealed class State
    {
        private int _found;

        public ConcurrentDictionary<string, int> Calls { get; } = new();

        public ConcurrentDictionary<string, Cashier> Cashiers { get; } = new();

        public ConcurrentQueue<string> Tenants { get; } = new();

        public int Found => Volatile.Read(ref _found);

        public void Count(string method) => Calls.AddOrUpdate(method, 1, (_, n) => n + 1);

        public void Hit() => Interlocked.Increment(ref _found);
    }

    private sealed class Service(State state) : CashierService.CashierServiceBase
    {
        public override Task<Cashier> CreateCashier(CreateCashierRequest request, ServerCallContext context)
        {
            state.Count("CreateCashier");
            state.Tenants.Enqueue(context.RequestHeaders.GetValue("x-tenant") ?? "");
            var cashier = new Cashier { Id = Guid.NewGuid().ToString("N"), Name = request.Name, Email = request.Email, Role = request.Role, Registers = { request.Registers } };
            state.Cashiers[cashier.Id] = cashier;
            return Task.FromResult(cashier);
        }

        public override Task<Cashier> GetCashier(GetCashierRequest request, ServerCallContext context)
        {
            state.Count("GetCashier");
            if (!state.Cashiers.TryGetValue(request.Id, out var cashier))
            {
                throw new RpcException(new Status(StatusCode.NotFound, $"no cashier {request.Id}"));
            }
            state.Hit();
            return Task.FromResult(cashier);
        }

        public override Task<Cashier> UpdateCashier(UpdateCashierRequest request, ServerCallContext context)
        {
            state.Count("UpdateCashier");
            if (!state.Cashiers.TryGetValue(request.Id, out var cashier))
            {
                throw new RpcException(new Status(StatusCode.NotFound, $"no cashier {request.Id}"));
            }
            if (request.Version != cashier.Version)
            {
                throw new RpcException(new Status(StatusCode.Aborted, $"version {request.Version} is stale; the cashier is at {cashier.Version}"));
            }
            cashier.Version++;
            return Task.FromResult(cashier);
        }
    }
}
