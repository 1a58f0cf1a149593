using Surge.SampleApi;

namespace Surge.Cli.Tests;

public sealed class EnvironmentTests : IAsyncLifetime
{
    private SampleApiHost _api = null!;
    private readonly string _folder = Directory.CreateTempSubdirectory("surge-env-").FullName;

    public async Task InitializeAsync() => _api = await SampleApiHost.StartAsync(new SampleApiOptions());

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    // 20 requests to /status/CODE, passing only when every response has status 201.
    private string WriteTest()
    {
        var path = Path.Combine(_folder, "test.yaml");
        File.WriteAllText(path, $$$"""
            options:
              baseUrl: {{{_api.BaseAddress}}}
            thresholds:
              checks: ["rate==1"]
            iterations: 20
            requests:
              - get: '/status/{{ env("CODE") }}'
                expectedStatuses: [200, 201]
                checks:
                  - status: 201
            """);
        return path;
    }

    [Fact]
    public async Task A_value_given_with_e_reaches_the_requests()
    {
        var run = await SurgeProcess.RunAsync("run", WriteTest(), "-e", "CODE=201", "--quiet");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(20, _api.RequestCount);
    }

    [Fact]
    public async Task A_dot_env_file_beside_the_test_is_read_and_e_wins_over_it()
    {
        var test = WriteTest();
        File.WriteAllText(Path.Combine(_folder, ".env"), "# codes\nexport CODE=\"201\"\n");

        var fromFile = await SurgeProcess.RunAsync("run", test, "--quiet");
        var overridden = await SurgeProcess.RunAsync("run", test, "-e", "CODE=200", "--quiet");

        Assert.Equal(0, fromFile.ExitCode);
        Assert.Equal(99, overridden.ExitCode);
    }

    [Fact]
    public async Task A_malformed_env_file_line_exits_104_at_its_line()
    {
        var test = WriteTest();
        var envFile = Path.Combine(_folder, "broken.env");
        File.WriteAllText(envFile, "CODE=201\nthis is not an assignment\n");

        var run = await SurgeProcess.RunAsync("run", test, "--env-file", envFile, "--quiet");

        Assert.Equal(104, run.ExitCode);
        Assert.Contains($"{envFile}:2:1", run.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, _api.RequestCount);
    }

    [Fact]
    public async Task An_env_value_smuggling_a_delete_onto_the_connection_is_not_sent_and_the_summary_names_the_request()
    {
        var path = Path.Combine(_folder, "smuggle.yaml");
        File.WriteAllText(path, $$$"""
            options:
              baseUrl: {{{_api.BaseAddress}}}
            iterations: 5
            requests:
              - get: /items
                name: list items
                headers:
                  X-Tenant: '{{ env("TENANT") }}'
              - get: /status/200
            """);

        var run = await SurgeProcess.RunAsync("run", path, "-e", "TENANT=1\r\nContent-Length: 0\r\n\r\nDELETE /items/1 HTTP/1.1\r\nHost: x\r\nX-Pad: 1");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(5, _api.RequestCount); // the five /status/200, nothing smuggled
        var summary = System.Text.RegularExpressions.Regex.Replace(run.Stdout, @"\s+", " "); // undo the warning's line wrapping
        Assert.Contains($"5 requests were not sent because they were malformed; the first: request 'list items' ({path}:5:5): "
            + "the value of header 'X-Tenant' contains a CR at offset 1 (invalid_header)", summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_process_environment_wins_over_the_dot_env_file_and_e_wins_over_both()
    {
        var test = WriteTest();
        File.WriteAllText(Path.Combine(_folder, ".env"), "CODE=200\n");

        var fromProcess = await SurgeProcess.RunWithEnvironmentAsync(new Dictionary<string, string> { ["CODE"] = "201" }, "run", test, "--quiet");
        var fromE = await SurgeProcess.RunWithEnvironmentAsync(new Dictionary<string, string> { ["CODE"] = "200" }, "run", test, "-e", "CODE=201", "--quiet");

        Assert.Equal(0, fromProcess.ExitCode);
        Assert.Equal(0, fromE.ExitCode);
        Assert.Equal(40, _api.RequestCount);
    }

    [Fact]
    public async Task A_value_set_in_csharp_code_is_a_default_that_the_process_environment_and_dot_env_replace()
    {
        var test = Path.Combine(_folder, "test.cs");
        File.WriteAllText(test, $$$"""
            public static class CodeTest
            {
                public static TestPlan Plan() => Load.Plan()
                    .Env("CODE", "200")
                    .Scenario("s", s => s.Iterations(vus: 1, iterations: 10)
                        .Get("{{{_api.BaseAddress}}}status/{{ env(\"CODE\") }}", "code"))
                    .Threshold("http_reqs{status:201}", "count==10")
                    .Build();
            }
            """);

        var fromProcess = await SurgeProcess.RunWithEnvironmentAsync(new Dictionary<string, string> { ["CODE"] = "201" }, "run", test, "--quiet");
        File.WriteAllText(Path.Combine(_folder, ".env"), "CODE=201\n");
        var fromDotEnv = await SurgeProcess.RunAsync("run", test, "--quiet");

        Assert.Equal((0, 0), (fromProcess.ExitCode, fromDotEnv.ExitCode));
        Assert.Equal(20, _api.RequestCount);
    }

    [Fact]
    public async Task SURGE_PROFILE_chooses_a_profile_and_profile_wins_over_it()
    {
        var test = Path.Combine(_folder, "profiles.yaml");
        File.WriteAllText(test, $$"""
            options:
              baseUrl: {{_api.BaseAddress}}
            profiles:
              few: { vus: 1, iterations: 3 }
              more: { vus: 1, iterations: 7 }
            iterations: 100
            requests:
              - get: /health
            """);

        var fromVariable = await SurgeProcess.RunWithEnvironmentAsync(new Dictionary<string, string> { ["SURGE_PROFILE"] = "few" }, "run", test, "--quiet");
        var fromOption = await SurgeProcess.RunWithEnvironmentAsync(new Dictionary<string, string> { ["SURGE_PROFILE"] = "few" }, "run", test, "--profile", "more", "--quiet");
        var unknown = await SurgeProcess.RunWithEnvironmentAsync(new Dictionary<string, string> { ["SURGE_PROFILE"] = "huge" }, "run", test, "--quiet");

        Assert.Equal(0, fromVariable.ExitCode);
        Assert.Equal(0, fromOption.ExitCode);
        Assert.Equal(3 + 7, _api.RequestCount);
        Assert.Equal(104, unknown.ExitCode);
        Assert.StartsWith("error: SURGE_PROFILE=huge (from the environment): ", unknown.Stderr, StringComparison.Ordinal);
    }
}
