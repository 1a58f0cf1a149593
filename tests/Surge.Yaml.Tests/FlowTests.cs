using Surge.Plans;

namespace Surge.Yaml.Tests;

public sealed class FlowTests
{
    private static IReadOnlyList<Step> Steps(string steps) =>
        Yaml.OnlyScenario("options:\n  baseUrl: http://127.0.0.1:5000\nrequests:\n" + steps).Steps;

    [Fact]
    public void A_journey_reads_into_requests_with_checks_and_captures_groups_loops_and_logs()
    {
        var steps = Steps("""
              - post: /login
                json: { user: alice, password: secret }
                capture:
                  - { var: token, jsonPath: $.token }
                checks:
                  - status: 200
                  - { jsonPath: $.token, name: got a token }
              - group: browse
                steps:
                  - get: /items
                    headers: { Authorization: "Bearer {{ token }}" }
                    checks:
                      - header: Content-Type
                        equals: application/json
                      - duration: 500ms
                  - think: 1s-2s
              - loop: [1, 2, 3]
                as: id
                steps:
                  - get: "/items/{{ id }}"
              - log: "done as {{ token }}"
            """);

        var login = Assert.IsType<RequestStep>(steps[0]);
        Assert.Equal("POST", login.Method);
        Assert.Equal("http://127.0.0.1:5000/login", login.Url);
        Assert.Equal(new CapturePlan("token", CaptureSource.JsonPath, "$.token") { Location = login.Captures[0].Location }, login.Captures[0]);
        Assert.Equal(["status is 200", "got a token"], login.Checks.Select(c => c.Name));
        Assert.True(login.Checks[0].Statuses!.Contains(200));

        var group = Assert.IsType<GroupStep>(steps[1]);
        Assert.Equal("browse", group.Name);
        var items = Assert.IsType<RequestStep>(group.Steps[0]);
        Assert.Equal("Bearer {{ token }}", items.Headers[0].Value);
        Assert.Equal([CheckKind.Header, CheckKind.Duration], items.Checks.Select(c => c.Kind));
        Assert.Equal("application/json", items.Checks[0].Expected);
        Assert.Equal(TimeSpan.FromMilliseconds(500), items.Checks[1].MaxDuration);
        Assert.IsType<ThinkStep>(group.Steps[1]);

        var loop = Assert.IsType<LoopStep>(steps[2]);
        Assert.Equal(["1", "2", "3"], loop.Over);
        Assert.Equal("id", loop.Variable);

        Assert.Equal("done as {{ token }}", Assert.IsType<LogStep>(steps[3]).Message);
    }

    [Fact]
    public void A_loop_with_a_count_repeats_its_steps()
    {
        var loop = Assert.IsType<LoopStep>(Steps("  - loop: 5\n    steps:\n      - get: /items\n")[0]);
        Assert.Equal(5, loop.Count);
        Assert.Null(loop.Over);
    }

    [Theory]
    [InlineData("  - get: /items\n    checks:\n      - { size: 3 }\n", 6, 9, "unknown key 'size'")]
    [InlineData("  - get: /items\n    checks:\n      - { jsonPath: '$.a[' }\n", 6, 9, "")]
    [InlineData("  - get: /items\n    capture:\n      - { var: x }\n", 6, 9, "a capture reads from one of jsonPath, regex or header")]
    [InlineData("  - get: /items\n    checks:\n      - { bodyMatches: '(' }\n", 6, 24, "is not a valid regular expression")]
    [InlineData("  - group: browse\n", 4, 5, "needs steps:")]
    public void A_bad_flow_step_is_an_error_at_its_place(string steps, int line, int column, string message)
    {
        var error = Assert.Throws<PlanException>(() => Steps(steps));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Equal(line, error.Location!.Line);
        Assert.True(error.Location.Column >= column, $"column {error.Location.Column}");
    }
}
