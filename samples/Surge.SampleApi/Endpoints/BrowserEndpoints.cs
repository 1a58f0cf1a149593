using Surge.SampleApi.Hosting;

namespace Surge.SampleApi.Endpoints;

/// <summary>
/// What a browser-like client meets: a login that sets a session cookie, a page that needs it, redirects of each kind
/// and an echo that says what arrived, so that tests can prove cookie jars and redirect following against the
/// server's own counts (GET /stats).
/// </summary>
internal static class BrowserEndpoints
{
    public const string SessionCookie = "session";

    private static readonly int[] RedirectStatuses = [301, 302, 303, 307, 308];

    public static void MapBrowserEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/session", LoginAsync);
        app.MapGet("/session", (HttpRequest request, TokenIssuer tokens) =>
            tokens.TryValidate(Bearer(request), out var user)
                ? TypedResults.Json(new SessionView(user), SampleApiJsonContext.Instance.SessionView)
                : Api.Error(StatusCodes.Status401Unauthorized, "no session: POST /session first, and send its cookie"));
        app.MapDelete("/session", (HttpResponse response) =>
        {
            response.Cookies.Delete(SessionCookie, new CookieOptions { Path = "/" });
            return TypedResults.NoContent();
        });

        app.MapGet("/go/items/{id}", (int id) => TypedResults.Redirect(FormattableString.Invariant($"/items/{id}")));
        app.MapGet("/redirect/loop", () => TypedResults.Redirect("/redirect/loop"));
        app.MapMethods("/redirect/{code}", ["GET", "POST", "PUT", "PATCH", "DELETE"], Redirect);
        app.MapMethods("/echo", ["GET", "POST", "PUT", "PATCH", "DELETE"], EchoAsync);
    }

    // `POST /session?then=/session`: a form login's 303 to the next page, with the cookie set on the redirect itself.
    private static async Task<IResult> LoginAsync(string? then, HttpRequest request, TokenIssuer tokens, CancellationToken cancellationToken)
    {
        if (then is not null && !IsLocalPath(then))
        {
            return Api.BadRequest("then must be a path on this server, e.g. then=/session");
        }
        var input = await Api.ReadBodyAsync(request, SampleApiJsonContext.Instance.LoginInput, cancellationToken);
        if (input is null || string.IsNullOrWhiteSpace(input.Username) || input.Password != AuthEndpoints.Password)
        {
            return Api.Error(StatusCodes.Status401Unauthorized, "send {\"username\": \"ada\", \"password\": \"secret\"}");
        }
        request.HttpContext.Response.Cookies.Append(SessionCookie, tokens.Issue(input.Username),
            new CookieOptions { Path = "/", HttpOnly = true, SameSite = SameSiteMode.Lax });
        return then is null
            ? TypedResults.Json(new SessionView(input.Username), SampleApiJsonContext.Instance.SessionView)
            : new RedirectResult(StatusCodes.Status303SeeOther, then);
    }

    private static bool IsLocalPath(string path) => path.StartsWith('/') && !path.StartsWith("//", StringComparison.Ordinal) && !path.Contains('\\', StringComparison.Ordinal);

    // The session cookie carries the same signed token as POST /login's bearer token.
    private static string? Bearer(HttpRequest request) =>
        request.Cookies.TryGetValue(SessionCookie, out var token) ? "Bearer " + token : null;

    // `/redirect/307?to=/echo`: any of the five redirect statuses to a path on this server (never another site).
    private static IResult Redirect(int code, string? to) =>
        !RedirectStatuses.Contains(code) ? Api.BadRequest("code must be 301, 302, 303, 307 or 308")
        : to is null || !IsLocalPath(to) ? Api.BadRequest("to must be a path on this server, e.g. to=/echo")
        : new RedirectResult(code, to);

    private static async Task<IResult> EchoAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync(cancellationToken);
        return TypedResults.Json(new EchoView(request.Method, body, request.Headers.Cookie.ToString()), SampleApiJsonContext.Instance.EchoView);
    }

    private sealed class RedirectResult(int status, string location) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = status;
            httpContext.Response.Headers.Location = location;
            return Task.CompletedTask;
        }
    }
}
