// A test written in C#: each shopper logs in once (onStart), then browses three times for every checkout. The
// checkout records two custom metrics, and afterwards the verify stage proves every acknowledged order is on the
// server exactly once.
//   surge run examples/shop-test.cs --base-url http://127.0.0.1:5000
// The same Plan() runs inside a unit test: var result = await ShopTest.Plan().RunAsync();
using System.Diagnostics;
using Surge;
using Surge.Plans;

namespace Examples;

public static class ShopTest
{
    public static TestPlan Plan() => Load.Plan()
        .BaseUrl("http://127.0.0.1:5000")
        .Rate("order_creation_success")
        .Trend("checkout_time")
        .Scenario("shoppers", s => s
            .ConstantVus(10, TimeSpan.FromSeconds(20))
            .User("shopper", 1, u => u
                .OnStart(o => o.Run("log in", LogInAsync))
                .Flow("browse", 3, f => f.Run("browse", BrowseAsync).Think(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(150)))
                .Flow("checkout", 1, f => f.Run("checkout", CheckOutAsync))))
        .Verify("orders", "/orders")
        .Threshold("http_req_failed", "rate<0.01")
        .Threshold("checks", "rate>0.99")
        .Threshold("order_creation_success", "rate>0.99")
        .Threshold("checkout_time", "p(95)<1000")
        .Build();

    private static async Task LogInAsync(VuContext ctx)
    {
        var login = await ctx.Http.PostAsync("/login", $$"""{"username": "shopper{{ctx.VuId}}", "password": "secret"}""", name: "login");
        ctx.Check("logged in", login.Status == 200);
        ctx.Http.DefaultHeaders["Authorization"] = $"Bearer {login.Json("$.token")}";
    }

    private static async Task BrowseAsync(VuContext ctx)
    {
        var items = await ctx.Http.GetAsync("/items?limit=20", name: "list items");
        ctx.Check("items listed", items.Status == 200 && items.Json("$[0].id") is not null);
        var id = items.Json($"$[{Random.Shared.Next(20)}].id") ?? "1";
        var item = await ctx.Http.GetAsync($"/items/{id}", name: "item");
        ctx.Check("item found", item.Status == 200);
    }

    private static Task CheckOutAsync(VuContext ctx) => ctx.Group("checkout", async () =>
    {
        var started = Stopwatch.GetTimestamp();
        var cart = await ctx.Http.PostAsync("/cart", """{"itemId": 3, "quantity": 1}""", name: "add to cart");
        ctx.Check("added to cart", cart.Status == 201);
        var order = await ctx.Http.PostAsync("/orders", """{"itemId": 3, "quantity": 1}""", name: "create order");
        var created = order.Status == 201 && order.Json("$.id") is not null;
        ctx.Rate("order_creation_success", created);
        if (created)
        {
            ctx.Acknowledge("orders", order.Json("$.id")!);
        }
        ctx.Trend("checkout_time", Stopwatch.GetElapsedTime(started));
    });
}
