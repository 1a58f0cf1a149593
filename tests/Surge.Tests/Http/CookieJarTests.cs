using Surge.Http;

namespace Surge.Tests.Http;

public sealed class CookieJarTests
{
    private static readonly Uri Shop = new("http://shop.example.com/cart/items");
    private static readonly Uri SecureShop = new("https://shop.example.com/cart/items");

    private static string Sent(CookieJar jar, string url) =>
        string.Join("; ", jar.CookiesFor(new Uri(url)).Select(c => $"{c.Key}={c.Value}"));

    [Fact]
    public void A_cookie_without_a_domain_goes_back_to_its_host_only()
    {
        var jar = new CookieJar();
        jar.Receive(Shop, "sid=1; Path=/");

        Assert.Equal("sid=1", Sent(jar, "http://shop.example.com/"));
        Assert.Equal("", Sent(jar, "http://api.shop.example.com/"));
        Assert.Equal("", Sent(jar, "http://example.com/"));
    }

    [Fact]
    public void A_domain_cookie_goes_to_the_domain_and_its_subdomains_and_a_foreign_domain_is_refused()
    {
        var jar = new CookieJar();
        jar.Receive(Shop, "a=1; Domain=.example.com; Path=/");
        jar.Receive(Shop, "b=2; Domain=other.com; Path=/");
        jar.Receive(Shop, "c=3; Domain=com; Path=/");

        Assert.Equal("a=1", Sent(jar, "http://example.com/"));
        Assert.Equal("a=1", Sent(jar, "http://api.example.com/x"));
        Assert.Equal("", Sent(jar, "http://notexample.com/"));
        Assert.Equal(1, jar.Count);
    }

    [Fact]
    public void Paths_match_by_segment_and_the_default_path_is_the_requests_directory()
    {
        var jar = new CookieJar();
        jar.Receive(Shop, "dir=1");
        jar.Receive(Shop, "api=2; Path=/api");

        Assert.Equal("dir=1", Sent(jar, "http://shop.example.com/cart"));
        Assert.Equal("dir=1", Sent(jar, "http://shop.example.com/cart/x"));
        Assert.Equal("", Sent(jar, "http://shop.example.com/cartoon"));
        Assert.Equal("api=2", Sent(jar, "http://shop.example.com/api/orders"));
        Assert.Equal("", Sent(jar, "http://shop.example.com/apis"));
    }

    [Fact]
    public void Longer_paths_go_first_then_older_cookies()
    {
        var jar = new CookieJar();
        jar.Receive(Shop, "b=1; Path=/");
        jar.Receive(Shop, "c=2; Path=/cart");
        jar.Receive(Shop, "a=3; Path=/");

        Assert.Equal("c=2; b=1; a=3", Sent(jar, "http://shop.example.com/cart/1"));
    }

    [Fact]
    public void The_same_name_domain_and_path_replaces_the_value()
    {
        var jar = new CookieJar();
        jar.Receive(Shop, "sid=1; Path=/");
        jar.Receive(Shop, "sid=2; Path=/");

        Assert.Equal("sid=2", Sent(jar, "http://shop.example.com/"));
        Assert.Equal(1, jar.Count);
    }

    [Theory]
    [InlineData("sid=; Max-Age=0")]
    [InlineData("sid=; Max-Age=-1")]
    [InlineData("sid=; Expires=Thu, 01 Jan 1970 00:00:00 GMT")]
    [InlineData("sid=; Expires=Thu, 01-Jan-1970 00:00:01 GMT")]
    public void An_expiry_in_the_past_deletes_the_cookie(string deletion)
    {
        var jar = new CookieJar();
        jar.Receive(Shop, "sid=1; Path=/");
        jar.Receive(Shop, deletion + "; Path=/");

        Assert.Equal(0, jar.Count);
    }

    [Fact]
    public void Max_age_wins_over_expires_and_a_future_expiry_keeps_the_cookie()
    {
        var jar = new CookieJar();
        jar.Receive(Shop, "a=1; Path=/; Max-Age=3600; Expires=Thu, 01 Jan 1970 00:00:00 GMT");
        jar.Receive(Shop, $"b=2; Path=/; Expires={DateTimeOffset.UtcNow.AddDays(1):r}");

        Assert.Equal("a=1; b=2", Sent(jar, "http://shop.example.com/"));
    }

    [Fact]
    public void A_secure_cookie_is_set_and_sent_only_over_https()
    {
        var jar = new CookieJar();
        jar.Receive(Shop, "plain=1; Secure; Path=/");
        jar.Receive(SecureShop, "tls=2; Secure; Path=/");

        Assert.Equal("", Sent(jar, "http://shop.example.com/"));
        Assert.Equal("tls=2", Sent(jar, "https://shop.example.com/"));
    }

    [Theory]
    [InlineData("novalue")]
    [InlineData("=anonymous")]
    [InlineData("a\rb=1")]
    [InlineData("a=1\u0000x")]
    [InlineData("a=1\nSet-Cookie: b=2")]
    [InlineData("a=\u0001")]
    public void A_malformed_set_cookie_is_ignored(string header)
    {
        var jar = new CookieJar();
        jar.Receive(Shop, header);

        Assert.Equal(0, jar.Count);
    }

    [Fact]
    public void Malformed_attributes_are_ignored_and_the_cookie_kept()
    {
        var jar = new CookieJar();
        jar.Receive(Shop, "a=1; Max-Age=soon; Expires=someday; Path=relative; Domain=; ; =; SameSite=Lax; HttpOnly");

        Assert.Equal("a=1", Sent(jar, "http://shop.example.com/cart/"));
    }

    [Fact]
    public void A_cookie_larger_than_4096_bytes_is_ignored()
    {
        var jar = new CookieJar();
        jar.Receive(Shop, "big=" + new string('x', CookieJar.MaxCookieBytes));

        Assert.Equal(0, jar.Count);
    }

    [Fact]
    public void Thousands_of_cookies_keep_the_newest_50_of_a_domain_and_at_most_300_in_all()
    {
        var jar = new CookieJar();
        for (var i = 0; i < 5000; i++)
        {
            jar.Receive(Shop, $"c{i}=v; Path=/");
        }
        Assert.Equal(CookieJar.MaxCookiesPerDomain, jar.Count);
        Assert.Equal("c4950=v", Sent(jar, "http://shop.example.com/").Split("; ")[0]);

        for (var host = 0; host < 20; host++)
        {
            for (var i = 0; i < 40; i++)
            {
                jar.Receive(new Uri($"http://h{host}.example.com/"), $"c{i}=v");
            }
        }
        Assert.Equal(CookieJar.MaxCookies, jar.Count);
    }

    [Fact]
    public void Cookies_set_in_code_are_host_only_and_bad_ones_are_refused()
    {
        var jar = new CookieJar();
        jar.Set(Shop, "theme", "dark");

        Assert.Equal("theme=dark", Sent(jar, "http://shop.example.com/anything"));
        Assert.Throws<ArgumentException>(() => jar.Set(Shop, "bad name", "x"));
        Assert.Throws<ArgumentException>(() => jar.Set(Shop, "ok", "a\r\nb"));
    }
}
