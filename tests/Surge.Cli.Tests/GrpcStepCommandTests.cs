namespace Surge.Cli.Tests;

/// <summary>`surge run` on grpc: steps whose .proto files or messages are wrong: exit 104 before any load, at file:line:col.</summary>
public sealed class GrpcStepCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("surge-grpc-cli-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task A_malformed_proto_exits_104_naming_the_proto_file_line_and_column()
    {
        File.WriteAllText(Path.Combine(_folder, "shop.proto"), "syntax = \"proto3\";\npackage shop;\nservice Shop {\n  rpc Buy (Order) returns (Order)\n}\nmessage Order { string id = 1; }\n");
        var test = Path.Combine(_folder, "test.yaml");
        File.WriteAllText(test, "options:\n  grpc: { target: 127.0.0.1:9, proto: [shop.proto] }\nrequests:\n  - grpc: shop.Shop/Buy\n");

        var run = await SurgeProcess.RunAsync("run", test);

        Assert.Equal(104, run.ExitCode);
        Assert.Contains($"{Path.Combine(_folder, "shop.proto")}:5:1: ", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_message_field_that_does_not_fit_exits_104_at_its_place_in_the_test_file()
    {
        File.WriteAllText(Path.Combine(_folder, "shop.proto"), "syntax = \"proto3\";\npackage shop;\nservice Shop {\n  rpc Buy (Order) returns (Order);\n}\nmessage Order { string id = 1; int32 quantity = 2; }\n");
        var test = Path.Combine(_folder, "test.yaml");
        File.WriteAllText(test, "options:\n  grpc: { target: 127.0.0.1:9, proto: [shop.proto] }\nrequests:\n  - grpc: shop.Shop/Buy\n    message: { id: a, quantity: lots }\n");

        var run = await SurgeProcess.RunAsync("run", test);

        Assert.Equal(104, run.ExitCode);
        Assert.Contains($"{test}:5:33: message field 'quantity' is an int32 and needs a whole number, got the string \"lots\"", run.Stderr, StringComparison.Ordinal);
    }
}
