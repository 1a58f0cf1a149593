namespace Surge.SampleApi.Tests;

public sealed class CommandLineTests
{
    [Fact]
    public void No_arguments_mean_the_sqlite_store_on_port_5000_of_127_0_0_1_with_h2c_on_5001_and_tls_on_5002()
    {
        var result = SampleApiCommandLine.Parse([]);

        Assert.Equal(new SampleApiOptions { Store = StoreKind.Sqlite, Port = 5000, H2cPort = 5001, TlsPort = 5002, Host = "127.0.0.1" }, result.Options);
    }

    [Fact]
    public void Every_option_is_read()
    {
        var result = SampleApiCommandLine.Parse(["--store", "json-file", "--port", "0", "--h2c-port", "6001", "--tls-port", "0", "--host", "localhost", "--data", "/tmp/d"]);

        Assert.Equal(
            new SampleApiOptions { Store = StoreKind.JsonFile, Port = 0, H2cPort = 6001, TlsPort = 0, Host = "localhost", DataDirectory = "/tmp/d" },
            result.Options);
        Assert.Null(result.Error);
    }

    [Fact]
    public void The_capacity_endpoint_is_configured_by_its_three_options()
    {
        var result = SampleApiCommandLine.Parse(["--capacity-concurrency", "8", "--capacity-service-ms", "12.5", "--capacity-queue", "0"]);

        var capacity = result.Options!.Capacity;
        Assert.Equal((8, TimeSpan.FromMilliseconds(12.5), 0), (capacity.Concurrency, capacity.ServiceTime, capacity.Queue));
        Assert.Equal(640, capacity.RequestsPerSecond, precision: 9);
    }

    [Fact]
    public void By_default_the_capacity_endpoint_serves_4_at_a_time_for_20_ms_each_so_200_per_second_with_50_in_line()
    {
        var capacity = SampleApiCommandLine.Parse([]).Options!.Capacity;

        Assert.Equal((4, TimeSpan.FromMilliseconds(20), 50), (capacity.Concurrency, capacity.ServiceTime, capacity.Queue));
        Assert.Equal(200, capacity.RequestsPerSecond, precision: 9);
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
    [InlineData("--store memory", "--store must be 'json-file' or 'sqlite', not 'memory'")]
    [InlineData("--port 70000", "--port must be a number from 0 to 65535, not '70000'")]
    [InlineData("--port -1", "--port must be a number from 0 to 65535, not '-1'")]
    [InlineData("--port abc", "--port must be a number from 0 to 65535, not 'abc'")]
    [InlineData("--port", "--port needs a value")]
    [InlineData("--h2c-port 65536", "--h2c-port must be a number from 0 to 65535, not '65536'")]
    [InlineData("--tls-port https", "--tls-port must be a number from 0 to 65535, not 'https'")]
    [InlineData("--tls-port", "--tls-port needs a value")]
    [InlineData("--verbose", "unknown argument '--verbose'")]
    [InlineData("--capacity-concurrency 0", "--capacity-concurrency must be a whole number from 1 to 100000, not '0'")]
    [InlineData("--capacity-queue -1", "--capacity-queue must be a whole number from 0 to 100000, not '-1'")]
    [InlineData("--capacity-service-ms 0", "--capacity-service-ms must be a number of milliseconds above 0 and up to 60000, not '0'")]
    [InlineData("--capacity-service-ms 20ms", "--capacity-service-ms must be a number of milliseconds above 0 and up to 60000, not '20ms'")]
    public void A_bad_argument_is_an_error_that_names_it(string args, string error)
    {
        var result = SampleApiCommandLine.Parse(args.Split(' '));

        Assert.Null(result.Options);
        Assert.Equal(error, result.Error);
    }
}
