using Surge.Plans;

namespace Surge.Yaml.Tests;

public sealed class CookieAndRedirectOptionTests
{
    private const string Requests = "requests: [{ url: 'http://127.0.0.1/' }]\n";

    [Fact]
    public void The_jar_is_on_and_ten_redirects_are_followed_unless_the_file_says_otherwise()
    {
        var plan = Yaml.Load(Requests);

        Assert.True(plan.Http.CookieJar);
        Assert.False(plan.Http.NoCookiesReset);
        Assert.Equal(10, plan.Http.MaxRedirects);
        Assert.Null(Assert.IsType<RequestStep>(Assert.Single(plan.Scenarios).Steps[0]).MaxRedirects);
    }

    [Fact]
    public void Cookie_and_redirect_options_are_read_with_k6_names()
    {
        var plan = Yaml.Load("options:\n  cookieJar: false\n  noCookiesReset: true\n  maxRedirects: 0\n" + Requests);

        Assert.False(plan.Http.CookieJar);
        Assert.True(plan.Http.NoCookiesReset);
        Assert.Equal(0, plan.Http.MaxRedirects);
    }

    [Fact]
    public void A_request_takes_its_own_cookies_and_max_redirects()
    {
        var step = Yaml.OnlyRequest("""
            requests:
              - get: http://127.0.0.1/cart
                cookies: { session: abc, theme: "{{ env('THEME', 'dark') }}" }
                maxRedirects: 2
            """);

        Assert.Equal([new("session", "abc"), new("theme", "{{ env('THEME', 'dark') }}")], step.Cookies);
        Assert.Equal(2, step.MaxRedirects);
    }

    [Theory]
    [InlineData("options:\n  maxRedirects: -1\n", 2, 17, "maxRedirects must be at least 0")]
    [InlineData("options:\n  maxRedirects: 101\n", 2, 17, "maxRedirects must be at most 100")]
    [InlineData("options:\n  maxRedirects: many\n", 2, 17, "maxRedirects must be a whole number")]
    [InlineData("options:\n  cookieJar: maybe\n", 2, 14, "cookieJar")]
    [InlineData("options:\n  noCookiesReset: 2\n", 2, 19, "noCookiesReset")]
    public void A_bad_option_is_an_error_at_its_place(string options, int line, int column, string message)
    {
        var error = Yaml.ErrorAt(options + Requests, line, column);

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cookies: { 'bad name': x }", 3, 16, "'bad name' is not a valid cookie name")]
    [InlineData("cookies: { a: 'x;y' }", 3, 19, "cookie 'a' must not hold ';'")]
    [InlineData("cookies: { a: \"x\\ty\" }", 3, 19, "cookie 'a' must not hold ';' or a control character")]
    [InlineData("cookies: [a]", 3, 14, "cookies")]
    [InlineData("maxRedirects: -3", 3, 19, "maxRedirects must be at least 0")]
    public void A_bad_request_cookie_or_redirect_limit_is_an_error_at_its_place(string line, int row, int column, string message)
    {
        var error = Yaml.ErrorAt($"requests:\n  - get: http://127.0.0.1/\n    {line}\n", row, column);

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
