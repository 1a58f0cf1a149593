using Surge.SampleApi;

namespace Surge.Cli.Tests;

/// <summary>`surge run` on grpc: steps whose .proto files or messages are wrong: exit 104 before any load, at file:line:col.</summary>
public sealed class GrpcStepCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("surge-grpc-cli-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task A_malformed_proto_exits_104_naming_the_proto_file_line_and_column()
    {
        var test = ShopTest(rpcEnd: "", fields: "string id = 1;", stepRest: "");

        var run = await SurgeProcess.RunAsync("run", test);

        Assert.Equal(104, run.ExitCode);
        Assert.Contains($"{Path.Combine(_folder, "shop.proto")}:5:1: ", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_message_field_that_does_not_fit_exits_104_at_its_place_in_the_test_file()
    {
        var test = ShopTest(rpcEnd: ";", fields: "string id = 1; int32 quantity = 2;", stepRest: "    message: { id: a, quantity: lots }\n");

        var run = await SurgeProcess.RunAsync("run", test);

        Assert.Equal(104, run.ExitCode);
        Assert.Contains($"{test}:5:33: message field 'quantity' is an int32 and needs a whole number, got the string \"lots\"", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reflection_finds_every_service_of_a_target_and_expected_statuses_do_not_count_as_failed()
    {
        await using var api = await SampleApiHost.StartAsync(new SampleApiOptions { H2cPort = 0 });
        var test = SurgeProcess.WriteTestFile($$"""
            options:
              grpc: { target: "{{api.H2cAddress}}", reflect: true }
            thresholds:
              grpc_req_failed: ["rate==0"]
              checks: ["rate==1"]
            scenarios:
              both:
                executor: shared-iterations
                vus: 2
                iterations: 10
                requests:
                  - grpc: cashiers.CashierService/CreateCashier
                    message: { name: Ada, email: ada@example.com }
                    checks: [ { status: OK } ]
                  - grpc: invoices.InvoiceService/GetInvoice
                    message: { id: nobody }
                    expectedStatuses: [NOT_FOUND]
                    checks: [ { status: NOT_FOUND } ]
            """);

        var run = await SurgeProcess.RunAsync("run", test, "--quiet");

        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}\n{run.Stdout}\n{run.Stderr}");
        Assert.Equal(10, api.Grpc.CallsTo("cashiers.CashierService/CreateCashier", "OK"));
        Assert.Equal(10, api.Grpc.CallsTo("invoices.InvoiceService/GetInvoice", "NOT_FOUND"));
    }

    [Fact]
    public async Task An_unknown_expected_status_exits_104_with_a_suggestion()
    {
        var test = ShopTest(rpcEnd: ";", fields: "string id = 1;", stepRest: "    expectedStatuses: [NOT_FOUN]\n");

        var run = await SurgeProcess.RunAsync("run", test);

        Assert.Equal(104, run.ExitCode);
        Assert.Contains($"{test}:5:24: ", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("did you mean 'NOT_FOUND'", run.Stderr, StringComparison.Ordinal);
    }

    /// <summary>A shop.proto (its Buy rpc ended by <paramref name="rpcEnd"/>, a ';' unless the test breaks it) and a test.yaml calling Buy.</summary>
    private string ShopTest(string rpcEnd, string fields, string stepRest)
    {
        File.WriteAllText(Path.Combine(_folder, "shop.proto"), $"syntax = \"proto3\";\npackage shop;\nservice Shop {{\n  rpc Buy (Order) returns (Order){rpcEnd}\n}}\nmessage Order {{ {fields} }}\n");
        var test = Path.Combine(_folder, "test.yaml");
        File.WriteAllText(test, "options:\n  grpc: { target: 127.0.0.1:9, proto: [shop.proto] }\nrequests:\n  - grpc: shop.Shop/Buy\n" + stepRest);
        return test;
    }
}
