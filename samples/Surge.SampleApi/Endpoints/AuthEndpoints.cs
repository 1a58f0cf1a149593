using Surge.SampleApi.Hosting;

namespace Surge.SampleApi.Endpoints;

/// <summary>Login and a per-user cart, for multi-step flow tests that carry a token from one request to the next.</summary>
internal static class AuthEndpoints
{
    /// <summary>The one password every user has.</summary>
    public const string Password = "secret";

    public static void MapAuthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/login", LoginAsync);
        app.MapGet("/cart", GetCart);
        app.MapPost("/cart", AddToCartAsync);
    }

    private static async Task<IResult> LoginAsync(HttpRequest request, TokenIssuer tokens, CancellationToken cancellationToken)
    {
        var input = await Api.ReadBodyAsync(request, SampleApiJsonContext.Instance.LoginInput, cancellationToken);
        if (input is null)
        {
            return Api.BadRequest("body must be a JSON object like {\"username\": \"ada\", \"password\": \"secret\"}");
        }

        if (string.IsNullOrWhiteSpace(input.Username) || input.Password != Password)
        {
            return Api.Error(StatusCodes.Status401Unauthorized, "invalid username or password");
        }

        return TypedResults.Json(new LoginResult(tokens.Issue(input.Username)), SampleApiJsonContext.Instance.LoginResult);
    }

    private static IResult GetCart(HttpRequest request, TokenIssuer tokens, Carts carts) =>
        tokens.TryValidate(request.Headers.Authorization, out var user)
            ? TypedResults.Json(carts.View(user), SampleApiJsonContext.Instance.CartView)
            : Unauthorized(request);

    private static async Task<IResult> AddToCartAsync(HttpRequest request, TokenIssuer tokens, Carts carts, CancellationToken cancellationToken)
    {
        if (!tokens.TryValidate(request.Headers.Authorization, out var user))
        {
            return Unauthorized(request);
        }

        var input = await Api.ReadBodyAsync(request, SampleApiJsonContext.Instance.OrderLineInput, cancellationToken);
        if (!Api.TryReadOrderLine(input, out var itemId, out var quantity, out var invalid))
        {
            return invalid;
        }

        var cart = carts.Add(user, itemId, quantity);
        return TypedResults.Json(cart, SampleApiJsonContext.Instance.CartView, statusCode: StatusCodes.Status201Created);
    }

    private static IResult Unauthorized(HttpRequest request)
    {
        request.HttpContext.Response.Headers.WWWAuthenticate = "Bearer";
        return Api.Error(StatusCodes.Status401Unauthorized, "send Authorization: Bearer <token> from POST /login");
    }
}
