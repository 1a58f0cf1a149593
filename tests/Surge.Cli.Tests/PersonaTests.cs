using Surge.SampleApi;

namespace Surge.Cli.Tests;

public sealed class PersonaTests : IAsyncLifetime
{
    private SampleApiHost _api = null!;
    private readonly string _folder = Directory.CreateTempSubdirectory("surge-users-").FullName;

    public async Task InitializeAsync() => _api = await SampleApiHost.StartAsync(new SampleApiOptions());

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    // Each VU runs 3 iterations of its user's one request; thresholds on http_reqs{user:...} pin the counts per user.
    private string WriteTest(int vus, string thresholds, params (string Name, int Weight)[] users)
    {
        var path = Path.Combine(_folder, "users.yaml");
        var userYaml = string.Join("\n", users.Select(u => $$"""
                  - name: {{u.Name}}
                    weight: {{u.Weight}}
                    flows:
                      - name: {{u.Name}}-flow
                        steps:
                          - get: /items?limit=1
            """));
        File.WriteAllText(path, $"""
            options:
              baseUrl: {_api.BaseAddress}
            thresholds:
            {thresholds}
            scenarios:
              shop:
                executor: per-vu-iterations
                vus: {vus}
                iterations: 3
                users:
            {userYaml}
            """);
        return path;
    }

    [Fact]
    public async Task Ten_vus_over_weights_3_to_1_show_8_and_2_and_their_requests_are_tagged_with_the_user()
    {
        var thresholds = """
              "http_reqs{user:buyer}": ["count==24"]
              "http_reqs{user:admin}": ["count==6"]
              "http_reqs{user:admin,flow:admin-flow}": ["count==6"]
            """;
        var before = _api.RequestCount;

        var run = await SurgeProcess.RunAsync("run", WriteTest(10, thresholds, ("buyer", 3), ("admin", 1)), "--no-color");

        // 8 buyers and 2 admins, 3 iterations each: the thresholds pass only with exactly those counts per user tag,
        // and the server saw them all.
        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
        Assert.Contains("scenario shop: 10 VUs split between users: buyer 8, admin 2 (weights 3:1)", run.Stderr);
        Assert.Equal(30, _api.RequestCount - before);
        Assert.DoesNotContain("warning: scenario 'shop'", run.Stderr);
    }

    [Fact]
    public async Task A_user_that_gets_no_vu_is_named_in_a_warning_at_the_start()
    {
        var thresholds = """
              "http_reqs{user:w}": ["count==3"]
              "http_reqs{user:x}": ["count==6"]
              "http_reqs{user:z}": ["count==3"]
            """;
        var before = _api.RequestCount;

        var run = await SurgeProcess.RunAsync("run", WriteTest(4, thresholds, ("w", 2), ("x", 5), ("y", 1), ("z", 2)), "--quiet");

        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
        Assert.Contains("warning: scenario 'shop': user 'y' gets 0 of 4 VUs (weights 2:5:1:2) and will not run; it needs at least 6 VUs", run.Stderr);
        Assert.Equal(12, _api.RequestCount - before);
    }
}
