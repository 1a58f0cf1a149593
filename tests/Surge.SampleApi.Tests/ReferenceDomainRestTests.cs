using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Surge.SampleApi.Tests;

public sealed class ReferenceDomainRestTests
{
    [Fact]
    public async Task A_cashier_is_created_read_updated_and_deleted_with_its_version_in_proto_json()
    {
        await using var api = await ReferenceApi.StartAsync();

        var created = await SendAsync(api.Rest, HttpMethod.Post, "cashiers", """{"name":"Ada","email":"ada@example.com","role":"CASHIER_ROLE_SUPERVISOR","registers":["r1","r2"],"labels":{"shift":"early"}}""");
        var id = created.Body.GetProperty("id").GetString()!;
        var read = await SendAsync(api.Rest, HttpMethod.Get, $"cashiers/{id}");
        var updated = await SendAsync(api.Rest, HttpMethod.Put, $"cashiers/{id}", """{"version":1,"name":"Ada Lovelace","active":true}""");
        var deleted = await SendAsync(api.Rest, HttpMethod.Delete, $"cashiers/{id}?version=2");
        var gone = await SendAsync(api.Rest, HttpMethod.Get, $"cashiers/{id}");

        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.Equal($"/cashiers/{id}", created.Location);
        Assert.Equal("CASHIER_ROLE_SUPERVISOR", created.Body.GetProperty("role").GetString());
        Assert.Equal(["r1", "r2"], created.Body.GetProperty("registers").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal("early", created.Body.GetProperty("labels").GetProperty("shift").GetString());
        Assert.Equal((HttpStatusCode.OK, 1L, "Ada"), (read.Status, Version(read.Body), read.Body.GetProperty("name").GetString()));
        Assert.Equal((HttpStatusCode.OK, 2L, "Ada Lovelace"), (updated.Status, Version(updated.Body), updated.Body.GetProperty("name").GetString()));
        Assert.Equal("ada@example.com", updated.Body.GetProperty("email").GetString());
        Assert.Equal((HttpStatusCode.OK, id), (deleted.Status, deleted.Body.GetProperty("id").GetString()));
        Assert.Equal(HttpStatusCode.NotFound, gone.Status);
        var counts = api.Host.RestDomain;
        Assert.Equal((1, 1, 1, 1, 1), (counts.CashiersCreated, counts.CashiersUpdated, counts.CashiersDeleted, counts.CashiersRead, counts.NotFound));
    }

    [Fact]
    public async Task Of_twenty_concurrent_updates_with_the_same_version_exactly_one_succeeds_and_nineteen_get_409()
    {
        await using var api = await ReferenceApi.StartAsync();
        const int updaters = 20;
        var id = (await SendAsync(api.Rest, HttpMethod.Post, "cashiers", """{"name":"Ada","email":"ada@example.com"}""")).Body.GetProperty("id").GetString();

        using var start = new SemaphoreSlim(0);
        var updates = Enumerable.Range(0, updaters).Select(async i =>
        {
            await start.WaitAsync();
            return await SendAsync(api.Rest, HttpMethod.Put, $"cashiers/{id}", $$"""{"version":1,"name":"writer {{i}}","active":true}""");
        }).ToList();
        start.Release(updaters);
        var results = await Task.WhenAll(updates);

        var winners = results.Where(r => r.Status == HttpStatusCode.OK).ToList();
        Assert.Single(winners);
        Assert.Equal(updaters - 1, results.Count(r => r.Status == HttpStatusCode.Conflict));
        var final = await SendAsync(api.Rest, HttpMethod.Get, $"cashiers/{id}");
        Assert.Equal(2, Version(final.Body));
        Assert.Equal(winners[0].Body.GetProperty("name").GetString(), final.Body.GetProperty("name").GetString());
        Assert.Equal((1, updaters - 1), (api.Host.RestDomain.CashiersUpdated, api.Host.RestDomain.Conflicts));
    }

    [Fact]
    public async Task Of_concurrent_deletes_with_the_same_version_exactly_one_succeeds()
    {
        await using var api = await ReferenceApi.StartAsync();
        const int deleters = 12;
        var id = (await SendAsync(api.Rest, HttpMethod.Post, "cashiers", """{"name":"Ada","email":"ada@example.com"}""")).Body.GetProperty("id").GetString();

        var results = await Task.WhenAll(Enumerable.Range(0, deleters).Select(_ => SendAsync(api.Rest, HttpMethod.Delete, $"cashiers/{id}?version=1")));

        Assert.Single(results, r => r.Status == HttpStatusCode.OK);
        Assert.Equal(deleters - 1, results.Count(r => r.Status == HttpStatusCode.NotFound));
        Assert.Equal((1, deleters - 1), (api.Host.RestDomain.CashiersDeleted, api.Host.RestDomain.NotFound));
    }

    [Fact]
    public async Task An_invoice_totals_its_lines_with_tax_and_is_paid_once_then_refuses_cancelling_with_422()
    {
        await using var api = await ReferenceApi.StartAsync();
        var cashier = await CreateCashierAsync(api.Rest);

        var created = await SendAsync(api.Rest, HttpMethod.Post, "invoices",
            $$"""{"cashierId":"{{cashier}}","customer":"Bob","lines":[{"description":"tea","quantity":3,"unitPriceCents":250},{"description":"cake","quantity":1,"unitPriceCents":"400"}],"taxRate":0.1}""");
        var id = created.Body.GetProperty("id").GetString();
        var wrongAmount = await SendAsync(api.Rest, HttpMethod.Post, $"invoices/{id}/pay", """{"version":1,"amountCents":100}""");
        var paid = await SendAsync(api.Rest, HttpMethod.Post, $"invoices/{id}/pay", """{"version":1,"amountCents":1265}""");
        var stale = await SendAsync(api.Rest, HttpMethod.Post, $"invoices/{id}/cancel", """{"version":1}""");
        var cancelPaid = await SendAsync(api.Rest, HttpMethod.Post, $"invoices/{id}/cancel", """{"version":2,"reason":"changed mind"}""");

        // (3 x 250 + 400) x 1.1 = 1265 cents.
        Assert.Equal((HttpStatusCode.Created, "1265", "EUR", "INVOICE_STATUS_OPEN"),
            (created.Status, created.Body.GetProperty("totalCents").GetString(), created.Body.GetProperty("currency").GetString(), created.Body.GetProperty("status").GetString()));
        Assert.Equal(HttpStatusCode.BadRequest, wrongAmount.Status);
        Assert.Equal((HttpStatusCode.OK, "INVOICE_STATUS_PAID", 2L), (paid.Status, paid.Body.GetProperty("status").GetString(), Version(paid.Body)));
        Assert.Equal(HttpStatusCode.Conflict, stale.Status);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, cancelPaid.Status);
        Assert.Equal($"invoice '{id}' is paid and cannot be cancelled", cancelPaid.Body.GetProperty("error").GetString());
        var counts = api.Host.RestDomain;
        Assert.Equal((1, 1, 0, 1, 1, 1), (counts.InvoicesCreated, counts.InvoicesPaid, counts.InvoicesCancelled, counts.Conflicts, counts.PreconditionFailures, counts.Invalid));
    }

    [Fact]
    public async Task Paying_a_cancelled_invoice_is_422()
    {
        await using var api = await ReferenceApi.StartAsync();
        var id = await CreateInvoiceAsync(api.Rest, await CreateCashierAsync(api.Rest));

        var cancelled = await SendAsync(api.Rest, HttpMethod.Post, $"invoices/{id}/cancel", """{"version":1,"reason":"duplicate"}""");
        var paid = await SendAsync(api.Rest, HttpMethod.Post, $"invoices/{id}/pay", """{"version":2}""");

        Assert.Equal((HttpStatusCode.OK, "INVOICE_STATUS_CANCELLED"), (cancelled.Status, cancelled.Body.GetProperty("status").GetString()));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, paid.Status);
        Assert.Equal($"invoice '{id}' is cancelled and cannot be paid", paid.Body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Concurrent_pays_and_cancels_of_one_invoice_with_its_version_leave_exactly_one_winner()
    {
        await using var api = await ReferenceApi.StartAsync();
        var id = await CreateInvoiceAsync(api.Rest, await CreateCashierAsync(api.Rest));

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(i =>
            SendAsync(api.Rest, HttpMethod.Post, $"invoices/{id}/{(i % 2 == 0 ? "pay" : "cancel")}", """{"version":1}""")));

        var winner = Assert.Single(results, r => r.Status == HttpStatusCode.OK);
        Assert.Equal(15, results.Count(r => r.Status == HttpStatusCode.Conflict));
        var final = await SendAsync(api.Rest, HttpMethod.Get, $"invoices/{id}");
        Assert.Equal(winner.Body.GetProperty("status").GetString(), final.Body.GetProperty("status").GetString());
        Assert.Equal(1, api.Host.RestDomain.InvoicesPaid + api.Host.RestDomain.InvoicesCancelled);
    }

    [Fact]
    public async Task An_import_stores_every_invoice_or_none_and_names_the_bad_one_by_index()
    {
        await using var api = await ReferenceApi.StartAsync();
        var cashier = await CreateCashierAsync(api.Rest);
        var line = """[{"description":"tea","quantity":2,"unitPriceCents":150}]""";

        var imported = await SendAsync(api.Rest, HttpMethod.Post, "invoices/import",
            $$"""[{"cashierId":"{{cashier}}","customer":"A","lines":{{line}}},{"cashierId":"{{cashier}}","customer":"B","lines":{{line}}}]""");
        var refused = await SendAsync(api.Rest, HttpMethod.Post, "invoices/import",
            $$"""[{"cashierId":"{{cashier}}","customer":"C","lines":{{line}}},{"cashierId":"{{cashier}}","customer":"","lines":{{line}}}]""");

        Assert.Equal(HttpStatusCode.OK, imported.Status);
        Assert.Equal(2, imported.Body.GetProperty("imported").GetInt32());
        Assert.Equal("600", imported.Body.GetProperty("totalCents").GetString());
        foreach (var id in imported.Body.GetProperty("ids").EnumerateArray())
        {
            Assert.Equal(HttpStatusCode.OK, (await SendAsync(api.Rest, HttpMethod.Get, $"invoices/{id.GetString()}")).Status);
        }

        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Equal("invoice 1: customer must not be empty", refused.Body.GetProperty("error").GetString());
        Assert.Equal(2, api.Host.RestDomain.InvoicesImported);
    }

    [Theory]
    [InlineData("POST", "cashiers", "", "body must be a JSON CreateCashierRequest")]
    [InlineData("POST", "cashiers", "{\"name\":\"Ada\",\"email\":\"ada@example.com\",\"nmae\":1}", "body is not a valid CreateCashierRequest: Unknown field: nmae")]
    [InlineData("POST", "cashiers", "{\"name\":\"\",\"email\":\"ada@example.com\"}", "name must not be empty")]
    [InlineData("POST", "cashiers", "{\"name\":\"Ada\",\"email\":\"ada\"}", "email 'ada' is not an address like ada@example.com")]
    [InlineData("PUT", "cashiers/cashier-1", "{\"version\":0}", "version must be the version you read (1 or more)")]
    [InlineData("PUT", "cashiers/cashier-1", "{\"id\":\"cashier-2\",\"version\":1}", "body id 'cashier-2' is not the path's 'cashier-1'")]
    [InlineData("DELETE", "cashiers/cashier-1", "", "DELETE needs the version you read, e.g. /cashiers/cashier-1?version=3")]
    [InlineData("GET", "cashiers?limit=x", "", "limit must be a whole number (0 for all), not 'x'")]
    [InlineData("POST", "invoices", "{\"cashierId\":\"cashier-1\",\"customer\":\"Bob\",\"lines\":[]}", "lines must hold 1 to 100 lines")]
    [InlineData("POST", "invoices", "{\"cashierId\":\"cashier-1\",\"customer\":\"Bob\",\"lines\":[{\"description\":\"tea\",\"quantity\":0}]}", "lines[0].quantity must be between 1 and 1000")]
    [InlineData("POST", "invoices", "{\"cashierId\":\"cashier-1\",\"customer\":\"Bob\",\"currency\":\"euro\",\"lines\":[{\"description\":\"tea\",\"quantity\":1}]}", "currency 'euro' is not a three-letter code like EUR")]
    [InlineData("POST", "invoices/import", "{}", "body must be a JSON array of CreateInvoiceRequest objects")]
    public async Task Invalid_input_is_400_naming_what_is_wrong(string method, string path, string body, string error)
    {
        await using var api = await ReferenceApi.StartAsync();
        await CreateCashierAsync(api.Rest);

        var response = await SendAsync(api.Rest, new HttpMethod(method), path, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal(error, response.Body.GetProperty("error").GetString());
        Assert.Equal(1, api.Host.RestDomain.Invalid);
    }

    [Fact]
    public async Task An_invoice_for_a_cashier_that_does_not_exist_is_422()
    {
        await using var api = await ReferenceApi.StartAsync();

        var response = await SendAsync(api.Rest, HttpMethod.Post, "invoices", """{"cashierId":"cashier-404","customer":"Bob","lines":[{"description":"tea","quantity":1}]}""");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.Status);
        Assert.Equal("cashier 'cashier-404' does not exist", response.Body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task The_list_holds_every_cashier_in_creation_order_and_limit_cuts_it()
    {
        await using var api = await ReferenceApi.StartAsync();
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await CreateCashierAsync(api.Rest));
        }

        var all = await SendAsync(api.Rest, HttpMethod.Get, "cashiers");
        var two = await SendAsync(api.Rest, HttpMethod.Get, "cashiers?limit=2");

        Assert.Equal(ids, all.Body.EnumerateArray().Select(c => c.GetProperty("id").GetString()));
        Assert.Equal(ids.Take(2), two.Body.EnumerateArray().Select(c => c.GetProperty("id").GetString()));
    }

    internal static long Version(JsonElement body) => long.Parse(body.GetProperty("version").GetString()!, CultureInfo.InvariantCulture);

    internal static async Task<string> CreateCashierAsync(HttpClient client) =>
        (await SendAsync(client, HttpMethod.Post, "cashiers", """{"name":"Ada","email":"ada@example.com"}""")).Body.GetProperty("id").GetString()!;

    private static async Task<string> CreateInvoiceAsync(HttpClient client, string cashier) =>
        (await SendAsync(client, HttpMethod.Post, "invoices", $$"""{"cashierId":"{{cashier}}","customer":"Bob","lines":[{"description":"tea","quantity":1,"unitPriceCents":300}]}"""))
        .Body.GetProperty("id").GetString()!;

    internal sealed record Reply(HttpStatusCode Status, JsonElement Body, string? Location);

    internal static async Task<Reply> SendAsync(HttpClient client, HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (!string.IsNullOrEmpty(json))
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var body = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        return new Reply(response.StatusCode, body, response.Headers.Location?.OriginalString);
    }
}
