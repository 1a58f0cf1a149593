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
    [InlineData("  - get: /items\n    checks:\n      - { size: 3 }\n", 6, 11, "unknown key 'size'")]
    [InlineData("  - get: /items\n    checks:\n      - { jsonPath: '$.a[' }\n", 6, 25, "'[' is never closed")]
    [InlineData("  - get: /items\n    capture:\n      - { var: x }\n", 6, 9, "a capture reads from one of jsonPath, regex or header")]
    [InlineData("  - get: /items\n    checks:\n      - { bodyMatches: '(' }\n", 6, 24, "is not a valid regular expression")]
    [InlineData("  - group: browse\n", 4, 5, "needs steps:")]
    public void A_bad_flow_step_is_an_error_at_its_place(string steps, int line, int column, string message)
    {
        var error = Assert.Throws<PlanException>(() => Steps(steps));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Equal(line, error.Location!.Line);
        Assert.Equal(column, error.Location.Column);
    }

    private static ScenarioPlan Scenario(string work) => Yaml.Load(
        "options:\n  baseUrl: http://127.0.0.1:5000\nscenarios:\n  shop:\n    executor: constant-vus\n    duration: 10s\n" + work).Scenarios[0];

    [Fact]
    public void Users_with_weights_onStart_and_weighted_flows_read_into_personas()
    {
        var scenario = Scenario("""
                users:
                  - name: web
                    weight: 9
                    onStart:
                      - post: /login
                    flows:
                      - { name: browse, weight: 3, steps: [ { get: /items } ] }
                      - { name: cart, weight: 2, steps: [ { get: /cart } ] }
                  - name: admin
                    flows:
                      - { name: report, steps: [ { get: /orders } ] }
            """);

        Assert.Empty(scenario.Steps);
        Assert.Equal(["web", "admin"], scenario.Personas.Select(p => p.Name));
        Assert.Equal([9, 1], scenario.Personas.Select(p => p.Weight));
        Assert.Equal("POST", Assert.IsType<RequestStep>(Assert.Single(scenario.Personas[0].OnStart)).Method);
        Assert.Equal([("browse", 3), ("cart", 2)], scenario.Personas[0].Flows.Select(f => (f.Name, f.Weight)));
    }

    [Fact]
    public void Flows_without_users_make_one_persona_named_after_the_scenario()
    {
        var scenario = Scenario("""
                flows:
                  - { name: api, weight: 8, steps: [ { get: /items } ] }
                  - { name: browse, weight: 2, steps: [ { get: /items } ] }
            """);

        var persona = Assert.Single(scenario.Personas);
        Assert.Equal("shop", persona.Name);
        Assert.Equal([8, 2], persona.Flows.Select(f => f.Weight));
    }

    [Fact]
    public void A_scenario_with_both_requests_and_flows_is_an_error_at_the_second()
    {
        var error = Assert.Throws<PlanException>(() => Scenario("""
                requests: [ { get: /items } ]
                flows: [ { name: a, steps: [ { get: /items } ] } ]
            """));
        Assert.Contains("one of requests:, flows: or users:", error.Message, StringComparison.Ordinal);
        Assert.Equal(8, error.Location!.Line);
    }
}
