using Surge.Grpc;
using Surge.Plans;

namespace Surge.Yaml.Tests;

/// <summary>grpc: steps read from YAML, with .proto files compiled by protoc when the test loads.</summary>
public sealed class GrpcStepTests : IDisposable
{
    private const string CashiersProto = """
        syntax = "proto3";
        package cashiers;
        service CashierService {
          rpc CreateCashier (CreateCashierRequest) returns (Cashier);
          rpc ListCashiers (CreateCashierRequest) returns (stream Cashier);
        }
        message CreateCashierRequest {
          string name = 1;
          int32 age = 2;
          repeated string registers = 3;
        }
        message Cashier {
          string id = 1;
        }
        """;

    private readonly string _folder = Directory.CreateTempSubdirectory("surge-grpc-yaml-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void A_grpc_step_takes_its_method_from_the_proto_files_and_its_defaults_from_options()
    {
        var plan = Load("""
            options:
              grpc: { target: 127.0.0.1:5051, proto: [protos/cashiers.proto] }
            requests:
              - name: create cashier
                grpc: cashiers.CashierService/CreateCashier
                message: { name: "cashier {{ vu }}", age: 30, registers: [r1] }
                metadata: { x-tenant: acme }
                timeout: 2s
                checks: [ { status: OK }, { status: [NOT_FOUND, 10] }, { jsonPath: $.id } ]
                capture: [ { var: cashierId, jsonPath: $.id } ]
            """);

        var step = Assert.IsType<GrpcStep>(Assert.Single(Assert.Single(plan.Scenarios).Steps));
        Assert.Equal("cashiers.CashierService/CreateCashier", step.Method);
        Assert.Equal("CreateCashier", step.Descriptor!.Name);
        Assert.Equal("http://127.0.0.1:5051", step.Target);
        Assert.Equal(TimeSpan.FromSeconds(2), step.Timeout);
        Assert.Equal([new("x-tenant", "acme")], step.Metadata);
        Assert.Equal([(0, 0)], step.Checks[0].Statuses!.Ranges);
        Assert.Equal([(5, 5), (10, 10)], step.Checks[1].Statuses!.Ranges);
        Assert.Equal("cashierId", Assert.Single(step.Captures).Variable);
        Assert.Equal(ProtoJsonKind.Number, step.Message.Properties[1].Value.Kind);
        Assert.Equal(new SourceLocation(Path.Combine(_folder, "test.yaml"), 6, 47), step.Message.Properties[1].Value.Location);
    }

    [Fact]
    public void A_malformed_proto_file_is_an_error_at_its_own_line_and_column()
    {
        File.WriteAllText(Path.Combine(_folder, "broken.proto"), "syntax = \"proto3\";\npackage broken;\nmessage Thing {\n  string name = 1\n}\n");

        var error = Error("""
            requests:
              - { grpc: broken.Service/Call, proto: broken.proto }
            """);

        Assert.Equal(new SourceLocation(Path.Combine(_folder, "broken.proto"), 5, 1), error.Location);
        Assert.Contains("Expected \";\"", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_proto_that_imports_a_pipe_stops_protoc_at_its_time_limit_instead_of_hanging_the_load()
    {
        var main = Path.Combine(_folder, "main.proto");
        File.WriteAllText(main, "syntax = \"proto3\";\nimport \"pipe.proto\";\n");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", Path.Combine(_folder, "pipe.proto")))
        {
            mkfifo.WaitForExit();
        }

        var error = Assert.Throws<PlanException>(() => Protoc.Run([main], [$"--descriptor_set_out={Path.Combine(_folder, "set.bin")}"], "the test", timeout: TimeSpan.FromSeconds(1)));

        Assert.Equal($"protoc did not finish within 1s compiling {main}; does an import name a pipe or a device?", error.Message);
    }

    [Fact]
    public void An_unknown_method_gets_a_suggestion()
    {
        var error = Error("""
            requests:
              - { grpc: cashiers.CashierService/CreateCashiers, proto: protos/cashiers.proto }
            """);

        Assert.Equal(new SourceLocation(Path.Combine(_folder, "test.yaml"), 2, 13), error.Location);
        Assert.Contains("unknown method 'cashiers.CashierService/CreateCashiers'", error.Reason, StringComparison.Ordinal);
        Assert.Contains("did you mean 'cashiers.CashierService/CreateCashier'?", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_streaming_method_is_refused_with_the_reason()
    {
        var error = Error("""
            requests:
              - { grpc: cashiers.CashierService/ListCashiers, proto: protos/cashiers.proto }
            """);

        Assert.Contains("streams (server streaming); grpc: steps make unary calls", error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{ nmae: x }", "x", "message field 'nmae': unknown field 'nmae' in cashiers.CreateCashierRequest; did you mean 'name'? Allowed: name, age, registers")]
    [InlineData("{ age: 3000000000 }", "3000000000", "message field 'age' is an int32 and is out of range (-2147483648 to 2147483647), got the number 3000000000")]
    [InlineData("{ age: \"{{ n }}\", name: 7 }", "7", "message field 'name' is a string and needs a string (quote it), got the number 7")]
    [InlineData("{ registers: r1 }", "r1", "message field 'registers' is a repeated field and needs a list, got the string \"r1\"")]
    public void A_message_that_does_not_fit_the_descriptor_is_an_error_at_the_value(string message, string value, string reason)
    {
        var error = Error($"requests:\n  - grpc: cashiers.CashierService/CreateCashier\n    proto: protos/cashiers.proto\n    message: {message}\n");

        Assert.Equal(reason, error.Reason);
        // "    message: " is 13 characters: the message starts in column 14.
        Assert.Equal(new SourceLocation(Path.Combine(_folder, "test.yaml"), 4, 14 + message.IndexOf(value, StringComparison.Ordinal)), error.Location);
    }

    [Fact]
    public void An_unknown_status_name_gets_a_suggestion()
    {
        var error = Error("""
            requests:
              - { grpc: cashiers.CashierService/CreateCashier, proto: protos/cashiers.proto, checks: [ { status: NOT_FOND } ] }
            """);

        Assert.Contains("unknown gRPC status 'NOT_FOND'; did you mean 'NOT_FOUND'?", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_step_without_proto_files_or_reflection_says_what_it_needs()
    {
        var error = Error("requests:\n  - { grpc: cashiers.CashierService/CreateCashier }\n");

        Assert.Contains("needs its service's .proto files (proto: [service.proto], here or in options.grpc) or reflect: true", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Reflect_true_leaves_the_method_to_the_server_and_keeps_the_message_for_then()
    {
        var plan = Load("""
            requests:
              - { grpc: cashiers.CashierService/CreateCashier, target: "https://api.example.com", reflect: true, message: { anything: [1, 2] } }
            """);

        var step = Assert.IsType<GrpcStep>(Assert.Single(Assert.Single(plan.Scenarios).Steps));
        Assert.True(step.Reflect);
        Assert.Null(step.Descriptor);
        Assert.Equal("https://api.example.com", step.Target);
    }

    private TestPlan Load(string yaml)
    {
        Directory.CreateDirectory(Path.Combine(_folder, "protos"));
        File.WriteAllText(Path.Combine(_folder, "protos", "cashiers.proto"), CashiersProto);
        var file = Path.Combine(_folder, "test.yaml");
        File.WriteAllText(file, yaml);
        return YamlPlanLoader.Load(file);
    }

    private PlanException Error(string yaml) => Assert.Throws<PlanException>(() => Load(yaml));
}
