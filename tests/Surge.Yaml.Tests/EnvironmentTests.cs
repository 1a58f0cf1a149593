using Surge.Grpc;
using Surge.Plans;
using Surge.Templating;

namespace Surge.Yaml.Tests;

/// <summary>baseUrl and hosts from the environment, and every missing env() name reported at once, before load.</summary>
public sealed class EnvironmentTests
{
    private static readonly Dictionary<string, string> NoProcessEnvironment = [];

    [Fact]
    public void A_base_url_from_the_environment_prefixes_relative_urls_and_renders_once_the_environment_is_known()
    {
        var request = Yaml.OnlyRequest("""
            options: { baseUrl: "{{ env('API_BASE_URL') }}" }
            requests: [ { get: /items } ]
            """);
        Assert.Equal("{{ env('API_BASE_URL') }}/items", request.Url);
        var environment = new Dictionary<string, string> { ["API_BASE_URL"] = "http://127.0.0.1:5000" };
        Assert.Equal("http://127.0.0.1:5000/items", Template.Parse(request.Url, null, environment).Render(DictionaryVariables.Empty));
    }

    [Fact]
    public void The_host_of_an_absolute_url_can_come_from_the_environment()
    {
        var request = Yaml.OnlyRequest("""requests: [ { get: "http://{{ env('HOST') }}:5000/items" } ]""");
        Assert.Equal("http://{{ env('HOST') }}:5000/items", request.Url);
    }

    [Fact]
    public void Every_unset_environment_name_is_listed_at_once_with_where_it_is_used()
    {
        var plan = Yaml.Load("""
            options: { baseUrl: "{{ env('API_BASE_URL') }}" }
            scenarios:
              s:
                executor: shared-iterations
                env: { SCENARIO_SET: yes }
                requests:
                  - get: /items
                    headers: { Authorization: "Bearer {{ env(\"TOKEN\") }}", X-Tenant: "{{ env('TENANT', 'default') }}" }
                  - get: "/items/{{ env('SCENARIO_SET') }}"
                  - get: /again
            """);
        var error = Assert.Throws<PlanException>(() => PlanEnvironment.CheckResolved(plan, NoProcessEnvironment));
        Assert.Equal(
            "test.yaml:7:9: environment variables not set: API_BASE_URL (at test.yaml:7:9), TOKEN (at test.yaml:7:9); pass -e NAME=..., add them to .env, or give a default with env(\"NAME\", \"...\")",
            error.Message);
    }

    [Fact]
    public void Env_names_in_cookies_grpc_metadata_and_grpc_message_strings_are_checked_too()
    {
        var plan = Yaml.Load("""
            requests:
              - get: http://127.0.0.1:5000/items
                cookies: { session: "{{ env('SESSION') }}" }
            """);
        var grpc = new GrpcStep
        {
            Method = "cashiers.CashierService/CreateCashier",
            Metadata = [new("x-tenant", "{{ env('TENANT') }}")],
            Message = ProtoJsonNode.Parse("""{ "name": "{{ env('CASHIER') }}", "tags": ["{{ env('TAG') }}", "{{ env('SET', 'x') }}"], "age": 3 }"""),
        };
        var scenario = Assert.Single(plan.Scenarios);
        plan = plan with { Scenarios = [scenario with { Steps = [.. scenario.Steps, grpc] }] };

        var error = Assert.Throws<PlanException>(() => PlanEnvironment.CheckResolved(plan, NoProcessEnvironment));

        Assert.StartsWith("test.yaml:2:5: environment variables not set: SESSION (at test.yaml:2:5), TENANT, CASHIER, TAG; ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Names_set_by_the_run_or_the_process_environment_pass_the_check()
    {
        var plan = Yaml.Load("""
            options: { baseUrl: "{{ env('API_BASE_URL') }}" }
            requests: [ { get: /items, headers: { Authorization: "{{ env('TOKEN') }}" } } ]
            """);
        PlanEnvironment.CheckResolved(plan with { Env = new Dictionary<string, string> { ["API_BASE_URL"] = "http://127.0.0.1:5000" } },
            new Dictionary<string, string> { ["TOKEN"] = "t" });
    }

    [Fact]
    public void A_base_url_that_is_neither_a_url_nor_a_template_is_still_refused_at_its_value()
    {
        var error = Yaml.ErrorAt("options: { baseUrl: \"API_BASE_URL\" }\nrequests: [ { get: /items } ]\n", 1, 21);
        Assert.Equal("baseUrl 'API_BASE_URL' must be an absolute http or https URL, e.g. http://127.0.0.1:5000", error.Reason);
    }
}
