using Surge.Plans;

namespace Surge.Yaml.Tests;

/// <summary>`ws:` steps: what they read into, and every mistake named at its file, line and column.</summary>
public sealed class WebSocketStepTests
{
    private static string Steps(string steps, string baseUrl = "http://127.0.0.1:5000/api") => $"""
        options:
          baseUrl: {baseUrl}
        scenarios:
          s:
            executor: shared-iterations
            requests:
        {string.Join('\n', steps.Split('\n').Select(line => "      " + line))}
        """;

    private static WebSocketStep OnlyStep(string steps) => Assert.IsType<WebSocketStep>(Assert.Single(Yaml.OnlyScenario(Steps(steps)).Steps));

    [Fact]
    public void A_ws_step_reads_its_url_headers_subprotocols_and_every_kind_of_action()
    {
        var step = OnlyStep("""
            - ws: /chat?room=a
              name: chat
              headers: { Authorization: "Bearer {{ token }}" }
              subprotocol: [chat.v2, chat.v1]
              timeout: 3s
              maxMessageBytes: 4096
              actions:
                - send: "hello {{ user }}"
                - sendBinary: AAEC
                - receive: { jsonPath: $.type, equals: joined }
                  timeout: 1s
                  checks: [{ bodyContains: joined }]
                  capture: [{ var: room, jsonPath: $.room }]
                - receive: any
                - receive: { regex: "^ok \\d+$" }
                - ping
                - ping: { timeout: 500ms }
                - sleep: 200ms
                - close: 4000
            """);

        Assert.Equal("ws://127.0.0.1:5000/api/chat?room=a", step.Url);
        Assert.Equal("chat", step.Name);
        Assert.Equal([new("Authorization", "Bearer {{ token }}")], step.Headers);
        Assert.Equal(["chat.v2", "chat.v1"], step.Subprotocols);
        Assert.Equal(TimeSpan.FromSeconds(3), step.ReceiveTimeout);
        Assert.Equal(4096, step.MaxMessageBytes);
        Assert.Collection(step.Actions,
            a => Assert.Equal("hello {{ user }}", Assert.IsType<WebSocketSend>(a).Text),
            a => Assert.Equal(new byte[] { 0, 1, 2 }, Assert.IsType<WebSocketSend>(a).Binary),
            a =>
            {
                var receive = Assert.IsType<WebSocketReceive>(a);
                Assert.Equal(new WebSocketMatch(WebSocketMatchKind.JsonPath, "joined", "$.type"), receive.Match);
                Assert.Equal(TimeSpan.FromSeconds(1), receive.Timeout);
                Assert.Equal(CheckKind.BodyContains, Assert.Single(receive.Checks).Kind);
                Assert.Equal("room", Assert.Single(receive.Captures).Variable);
            },
            a => Assert.Equal(WebSocketMatch.Any, Assert.IsType<WebSocketReceive>(a).Match),
            a => Assert.Equal(WebSocketMatchKind.Regex, Assert.IsType<WebSocketReceive>(a).Match.Kind),
            a => Assert.Null(Assert.IsType<WebSocketPing>(a).Timeout),
            a => Assert.Equal(TimeSpan.FromMilliseconds(500), Assert.IsType<WebSocketPing>(a).Timeout),
            a => Assert.Equal(TimeSpan.FromMilliseconds(200), Assert.IsType<WebSocketSleep>(a).Duration),
            a => Assert.Equal(4000, Assert.IsType<WebSocketClose>(a).Status));
    }

    [Fact]
    public void A_relative_url_on_an_https_base_becomes_wss_and_an_absolute_ws_url_stays()
    {
        Assert.Equal("wss://example.test/feed", Assert.IsType<WebSocketStep>(Assert.Single(Yaml.OnlyScenario(
            Steps("- { ws: /feed, actions: [ping] }", "https://example.test")).Steps)).Url);
        Assert.Equal("wss://other.test:8443/x", OnlyStep("- { ws: \"wss://other.test:8443/x\", actions: [close] }").Url);
    }

    [Fact]
    public void An_http_url_is_refused_at_its_line_with_what_to_write()
    {
        var error = Yaml.ErrorAt(Steps("- ws: http://127.0.0.1:5000/chat\n  actions: [ping]"), 7, 13);
        Assert.Contains("must be a ws:// or wss:// URL", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_action_suggests_the_closest_one()
    {
        var error = Yaml.ErrorAt(Steps("- ws: /chat\n  actions:\n    - sendd: hi"), 9, 13);
        Assert.Contains("did you mean 'send'", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Binary_that_is_not_base64_is_named_at_its_value()
    {
        var error = Yaml.ErrorAt(Steps("- ws: /chat\n  actions:\n    - sendBinary: not base64!"), 9, 25);
        Assert.Contains("is not base64", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_receive_with_two_matchers_is_refused_at_the_second()
    {
        var error = Yaml.ErrorAt(Steps("- ws: /chat\n  actions:\n    - receive: { contains: a, equals: b }"), 9, 37);
        Assert.Contains("one matcher", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_check_on_a_message_cannot_ask_for_a_status()
    {
        var error = Yaml.ErrorAt(Steps("- ws: /chat\n  actions:\n    - receive: any\n      checks: [{ status: 200 }]"), 10, 24);
        Assert.Contains("unknown key 'status'", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_ws_step_without_actions_or_with_a_reserved_close_code_is_refused()
    {
        Assert.Contains("missing 'actions'", Yaml.ErrorAt(Steps("- ws: /chat"), 7, 9).Reason, StringComparison.Ordinal);
        Assert.Contains("reserved", Yaml.ErrorAt(Steps("- ws: /chat\n  actions: [{ close: 1006 }]"), 8, 28).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_relative_url_without_a_base_url_says_how_to_give_one()
    {
        var error = Yaml.Error("""
            scenarios:
              s:
                executor: shared-iterations
                requests:
                  - { ws: /chat, actions: [ping] }
            """);
        Assert.Contains("needs a base URL", error.Reason, StringComparison.Ordinal);
        Assert.Equal(5, error.Location!.Line);
    }
}
