namespace Surge.SampleApi.Tests;

public sealed class CommandLineTests
{
    [Fact]
    public void No_arguments_mean_the_safe_store_on_port_5000_of_127_0_0_1()
    {
        var result = SampleApiCommandLine.Parse([]);

        Assert.Equal(new SampleApiOptions { Store = StoreKind.Safe, Port = 5000, Host = "127.0.0.1" }, result.Options);
    }

    [Fact]
    public void Every_option_is_read()
    {
        var result = SampleApiCommandLine.Parse(["--store", "json-file", "--port", "0", "--host", "localhost", "--data", "/tmp/d"]);

        Assert.Equal(
            new SampleApiOptions { Store = StoreKind.JsonFile, Port = 0, Host = "localhost", DataDirectory = "/tmp/d" },
            result.Options);
        Assert.Null(result.Error);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public void Help_is_a_request_not_an_error(string flag)
    {
        var result = SampleApiCommandLine.Parse([flag]);

        Assert.True(result.ShowHelp);
        Assert.Null(result.Error);
    }

    [Theory]
    [InlineData("--store memory", "--store must be 'json-file' or 'safe', not 'memory'")]
    [InlineData("--port 70000", "--port must be a number from 0 to 65535, not '70000'")]
    [InlineData("--port -1", "--port must be a number from 0 to 65535, not '-1'")]
    [InlineData("--port abc", "--port must be a number from 0 to 65535, not 'abc'")]
    [InlineData("--port", "--port needs a value")]
    [InlineData("--verbose", "unknown argument '--verbose'")]
    public void A_bad_argument_is_an_error_that_names_it(string args, string error)
    {
        var result = SampleApiCommandLine.Parse(args.Split(' '));

        Assert.Null(result.Options);
        Assert.Equal(error, result.Error);
    }
}
